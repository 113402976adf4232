/**
 * `npm run bench`: every scenario (bench/scenarios/*.mjs) against every peer it lists
 * (bench/peers/*.mjs), one fresh node process per measurement, one measurement at a time.
 * Prints a markdown table and writes bench/results.json and bench/results.md.
 *
 *   node bench/run.mjs [--only=chain,shell] [--runs=6] [--rounds=2] [--warmup=3] [--cli-runs=10]
 *
 * ARQ_BENCH_DIST=/path/to/dist measures another arq build (e.g. of another commit).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { arqDist, benchDir, measureInChild, measureProcess, repoDir, RowFailure, stats } from './lib/measure.mjs';
import { renderMarkdown } from './lib/report.mjs';
import { aheadOfPeers } from './lib/targets.mjs';

const SCENARIOS = ['chain', 'fanout', 'dag', 'shell', 'journal', 'cli', 'schedule'];

const args = Object.fromEntries(process.argv.slice(2).map((a) => {
  const [key, value = 'true'] = a.replace(/^--/, '').split('=');
  return [key, value];
}));
const only = args.only ? args.only.split(',') : SCENARIOS;
const runs = Math.max(5, Number(args.runs ?? 6));
const warmup = Math.max(0, Number(args.warmup ?? 3));
const cliRuns = Math.max(10, Number(args['cli-runs'] ?? 10));
const rounds = Math.max(1, Number(args.rounds ?? 2));

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
  method: { warmup, runs: rounds * Math.ceil(runs / rounds), rounds, cliWarmup: 2, cliRuns: rounds * Math.ceil(cliRuns / rounds), note: 'median of the measured runs; each row in a fresh node process per round, the rows of a size measured in turn each round (CLI rows: one process per run)' },
  scenarios: [],
  targets: [],
};

/** One round of a row: its own fresh process (or, for CLI rows, its whole-program spawns). */
function measureRow(row, roundRuns) {
  return row.process
    ? measureProcess({ ...row.process, cwd: repoDir, warmup: 2, runs: Math.ceil(cliRuns / rounds) })
    : measureInChild({ peer: row.peer, task: row.task, params: row.params, warmup: row.warmup ?? warmup, runs: roundRuns, timeoutMs: row.timeoutMs });
}

/** Adds a round's report to what the row has so far; peak RSS is the highest of its processes. */
function merge(into, report) {
  if (!into) return { ...report, phases: { ...report.phases } };
  for (const key of ['runs', 'warmups', 'cpu']) into[key] = [...into[key], ...report[key]];
  for (const [name, values] of Object.entries(report.phases)) into.phases[name] = [...(into.phases[name] ?? []), ...values];
  into.maxRssKb = Math.max(into.maxRssKb ?? 0, report.maxRssKb ?? 0) || undefined;
  into.stderr = into.stderr ?? report.stderr;
  return into;
}

function summarize(base, report) {
  const s = stats(report.runs);
  return {
    ...base, ...s, runs: report.runs, warmups: report.warmups, cpu: stats(report.cpu),
    phases: Object.fromEntries(Object.entries(report.phases).map(([k, v]) => [k, stats(v)])),
    perUnitMs: base.units ? s.median / base.units : undefined, maxRssMiB: report.maxRssKb === undefined ? undefined : report.maxRssKb / 1024,
    warnings: report.stderr,
  };
}

/**
 * Measures a group of rows (one scenario at one size) in rounds: every row once, then every row
 * again, each time in a fresh process, so that a busy minute on a shared machine falls on all the
 * rows compared rather than on one of them. A row that fails is not run again.
 */
async function measureGroup(scenario, rows) {
  const reports = new Map();
  const failures = new Map();
  const roundRuns = Math.ceil(runs / rounds);
  for (let round = 1; round <= rounds; round++) {
    for (const row of rows.filter((r) => !r.skip && !failures.has(r))) {
      process.stderr.write(`${scenario.id}/${row.id} (round ${round}/${rounds}) ... `);
      const t0 = Date.now();
      try {
        const report = await measureRow(row, roundRuns);
        reports.set(row, merge(reports.get(row), report));
        process.stderr.write(`${stats(report.runs).median.toFixed(1)} ms (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
      } catch (error) {
        failures.set(row, error);
        process.stderr.write(`${error instanceof RowFailure ? error.reason : 'FAILED'} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
        if (!(error instanceof RowFailure) || !row.competitor) process.stderr.write(`${error.message}\n`);
      }
    }
  }
  return rows.map((row) => {
    const base = { id: row.id, impl: row.impl, units: row.units ?? scenario.units, size: row.size, column: row.column, competitor: row.competitor };
    if (row.skip) return { ...base, skipped: row.skip };
    const error = failures.get(row);
    // A peer that overflows its stack or stalls is a result; anything else is a failure of the bench or of arq.
    if (error) return error instanceof RowFailure ? { ...base, failed: error.message } : { ...base, error: error.message };
    return summarize(base, reports.get(row));
  });
}

const summaries = {};
for (const name of SCENARIOS.filter((s) => only.includes(s))) {
  const scenario = (await import(`./scenarios/${name}.mjs`)).default;
  const out = { id: scenario.id, title: scenario.title, rows: [] };
  const sizes = [...new Set(scenario.rows.map((row) => row.size))];
  for (const size of sizes) out.rows.push(...(await measureGroup(scenario, scenario.rows.filter((row) => row.size === size))));
  for (const row of out.rows) if (row.median !== undefined) summaries[`${scenario.id}/${row.id}`] = row;
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
