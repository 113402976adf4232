/**
 * `npm run bench`: every scenario (bench/scenarios/*.mjs) against every peer it lists
 * (bench/peers/*.mjs), one fresh node process per measurement, one measurement at a time.
 * Prints a markdown table and writes bench/results.json and bench/results.md.
 *
 *   node bench/run.mjs [--only=chain,shell] [--runs=5] [--warmup=3] [--cli-runs=10]
 *
 * ARQ_BENCH_DIST=/path/to/dist measures another arq build (e.g. of another commit).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { arqDist, benchDir, measureInChild, measureProcess, repoDir, RowFailure, stats } from './lib/measure.mjs';
import { renderMarkdown } from './lib/report.mjs';
import { aheadOfPeers } from './lib/targets.mjs';

const SCENARIOS = ['chain', 'fanout', 'dag', 'shell', 'journal', 'cli'];

const args = Object.fromEntries(process.argv.slice(2).map((a) => {
  const [key, value = 'true'] = a.replace(/^--/, '').split('=');
  return [key, value];
}));
const only = args.only ? args.only.split(',') : SCENARIOS;
const runs = Math.max(5, Number(args.runs ?? 5));
const warmup = Math.max(0, Number(args.warmup ?? 3));
const cliRuns = Math.max(10, Number(args['cli-runs'] ?? 10));

if (!existsSync(join(arqDist, 'engine', 'run', 'run.js'))) {
  console.error(`${arqDist} holds no arq build: run \`npm run bench\` (it builds first) or \`npx tsc -p tsconfig.json\`.`);
  process.exit(2);
}

const version = (pkg) => JSON.parse(readFileSync(join(repoDir, 'node_modules', pkg, 'package.json'), 'utf8')).version;
const started = Date.now();
const results = {
  date: new Date().toISOString(),
  machine: { node: process.version, platform: `${process.platform} ${process.arch}`, cpu: cpus()[0]?.model, cores: cpus().length, memoryGiB: +(totalmem() / 2 ** 30).toFixed(1), loadavgBefore: loadavg() },
  arqBuild: arqDist,
  versions: { arq: JSON.parse(readFileSync(join(repoDir, 'package.json'), 'utf8')).version, ...Object.fromEntries(['xstate', 'execa', '@wmfs/statebox', 'node-red', 'bpmn-engine', 'zx'].map((pkg) => [pkg, version(pkg)])) },
  method: { warmup, runs, cliWarmup: 2, cliRuns, note: 'median of the measured runs; each row in a fresh node process (CLI rows: one process per run)' },
  scenarios: [],
  targets: [],
};

const summaries = {};
for (const name of SCENARIOS.filter((s) => only.includes(s))) {
  const scenario = (await import(`./scenarios/${name}.mjs`)).default;
  const out = { id: scenario.id, title: scenario.title, rows: [] };
  for (const row of scenario.rows) {
    const units = row.units ?? scenario.units;
    const base = { id: row.id, impl: row.impl, units, size: row.size, column: row.column, competitor: row.competitor };
    if (row.skip) {
      out.rows.push({ ...base, skipped: row.skip });
      continue;
    }
    process.stderr.write(`${scenario.id}/${row.id} ... `);
    const t0 = Date.now();
    const load1 = loadavg()[0];
    try {
      const report = row.process
        ? await measureProcess({ ...row.process, cwd: repoDir, warmup: 2, runs: cliRuns })
        : await measureInChild({ peer: row.peer, task: row.task, params: row.params, warmup: row.warmup ?? warmup, runs, timeoutMs: row.timeoutMs });
      const s = stats(report.runs);
      const summary = {
        ...base, ...s, runs: report.runs, warmups: report.warmups, cpu: stats(report.cpu), loadavg1: load1,
        phases: Object.fromEntries(Object.entries(report.phases).map(([k, v]) => [k, stats(v)])),
        perUnitMs: units ? s.median / units : undefined, maxRssMiB: report.maxRssKb === undefined ? undefined : report.maxRssKb / 1024,
        warnings: report.stderr,
      };
      out.rows.push(summary);
      summaries[`${scenario.id}/${row.id}`] = summary;
      process.stderr.write(`${s.median.toFixed(1)} ms (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
    } catch (error) {
      // A peer that overflows its stack or stalls is a result; anything else is a failure of the bench or of arq.
      out.rows.push(error instanceof RowFailure ? { ...base, failed: error.message } : { ...base, error: error.message });
      process.stderr.write(`${error instanceof RowFailure ? error.reason : 'FAILED'} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
      if (!(error instanceof RowFailure) || row.column === 'arq') process.stderr.write(`${error.message}\n`);
    }
  }
  // "× ref": against the row's own `ref`, the scenario's, or arq's row of the same size.
  for (const r of out.rows) {
    const refId = scenario.rows.find((row) => row.id === r.id)?.ref ?? scenario.ref ?? (r.size === undefined ? undefined : `arq@${r.size}`);
    const ref = out.rows.find((row) => row.id === refId && row.median !== undefined);
    if (ref && r.median !== undefined) r.vsRef = r === ref ? 'ref' : r.median / ref.median;
  }
  results.scenarios.push(out);
  if (scenario.shape) results.targets.push(...aheadOfPeers(scenario, out.rows));
  for (const target of scenario.targets) results.targets.push(target(summaries));
}
results.machine.loadavgAfter = loadavg();
results.totalSeconds = (Date.now() - started) / 1000;

const markdown = renderMarkdown(results);
writeFileSync(join(benchDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(join(benchDir, 'results.md'), markdown);
process.stdout.write(markdown);
// Peers may fail (that is measured); arq, the floors and the bench itself may not.
process.exitCode = results.scenarios.some((s) => s.rows.some((r) => r.error || (r.failed && !r.competitor))) ? 1 : 0;
