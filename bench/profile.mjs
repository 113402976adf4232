/**
 * Where the time of one row goes: runs it under `node --cpu-prof` (in a fresh process, after
 * the same warm-up) and prints self time by function and by file.
 *
 *   node bench/profile.mjs chain/arq@10000 [--top=30] [--runs=3] [--keep]
 *
 * The .cpuprofile is left in bench/profiles/ with --keep (open it in Chrome DevTools).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { benchDir, repoDir } from './lib/measure.mjs';

const [which, ...rest] = process.argv.slice(2);
const opts = Object.fromEntries(rest.map((a) => a.replace(/^--/, '').split('=')).map(([k, v = 'true']) => [k, v]));
if (!which?.includes('/')) {
  console.error('usage: node bench/profile.mjs SCENARIO/ROW [--top=30] [--runs=3] [--keep]   e.g. chain/arq@10000, shell/arq@100');
  process.exit(2);
}
const [scenarioId, rowId] = which.split('/');
const scenario = (await import(`./scenarios/${scenarioId}.mjs`)).default;
const row = scenario.rows.find((r) => r.id === rowId);
if (!row?.peer) {
  console.error(`No in-process row ${which}; rows: ${scenario.rows.filter((r) => r.peer).map((r) => `${scenarioId}/${r.id}`).join(', ')}`);
  process.exit(2);
}

const profiles = join(benchDir, 'profiles');
const dir = join(profiles, `${scenarioId}-${rowId}-${Date.now()}`);
mkdirSync(dir, { recursive: true });
const spec = JSON.stringify({ peer: join(benchDir, row.peer), task: row.task, params: row.params, warmup: 1, runs: Number(opts.runs ?? 3) });
const child = spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=200', join(benchDir, 'lib', 'child.mjs'), spec], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
if (child.status !== 0) process.exit(child.status ?? 1);
const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
const profile = JSON.parse(readFileSync(join(dir, file), 'utf8'));

// Self time per node = samples that landed on it × their time deltas.
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const where = (cf) => {
  const url = cf.url.replace(/^file:\/\//, '');
  const short = url.startsWith(repoDir) ? relative(repoDir, url).replace(/^node_modules\/(@[^/]+\/[^/]+|[^/]+)\/.*/, 'npm:$1') : url.replace(/^.*\/node_modules\/(@[^/]+\/[^/]+|[^/]+)\/.*/, 'npm:$1') || '(native/vm)';
  return short;
};
const fnTotals = new Map();
const fileTotals = new Map();
let total = 0;
for (const [id, us] of self) {
  const cf = byId.get(id).callFrame;
  total += us;
  const file = where(cf);
  const fn = `${cf.functionName || '(anonymous)'}  ${file}${cf.lineNumber >= 0 ? `:${cf.lineNumber + 1}` : ''}`;
  fnTotals.set(fn, (fnTotals.get(fn) ?? 0) + us);
  fileTotals.set(file, (fileTotals.get(file) ?? 0) + us);
}
const top = Number(opts.top ?? 30);
const pct = (us) => `${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms`;
console.log(`${which}: ${(total / 1000).toFixed(0)} ms sampled (1 warm-up + ${opts.runs ?? 3} runs)\n`);
console.log('Self time by file:');
for (const [f, us] of [...fileTotals].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`  ${pct(us)}  ${f}`);
console.log(`\nSelf time by function (top ${top}):`);
for (const [f, us] of [...fnTotals].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(us)}  ${f}`);
if (opts.keep) console.log(`\nprofile: ${join(dir, file)}`);
else {
  rmSync(dir, { recursive: true, force: true });
  try {
    rmdirSync(profiles); // only when empty
  } catch {}
}
