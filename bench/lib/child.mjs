/**
 * Measuring, child side: `node bench/lib/child.mjs '{"peer","task","params","warmup","runs"}'`.
 *
 * A peer module exports tasks: `task(params)` prepares what is not measured (generating the
 * YAML text, say) and returns `run`, an async function doing one measured run. `run` resolves
 * to `{ count, phases? }`: how many steps it saw finish (checked against `params.expect`) and
 * the time of its phases in ms. Prints one JSON line with every run's wall time, CPU time (user +
 * system, all threads: GC helpers count) and the peak RSS.
 */
import { pathToFileURL } from 'node:url';

const { peer, task, params, warmup, runs } = JSON.parse(process.argv[2]);
const mod = await import(pathToFileURL(peer).href);
if (typeof mod[task] !== 'function') throw new Error(`${peer} has no task "${task}"`);
const run = await mod[task](params);

const report = { runs: [], warmups: [], cpu: [], phases: {}, counts: [] };
for (let i = 0; i < warmup + runs; i++) {
  // Let the previous run's timers and callbacks finish. No forced gc() here: with one before each
  // run the parse phase measured ~5x slower (full GCs let V8 flush bytecode), i.e. always cold.
  await new Promise((resolve) => setTimeout(resolve, 20));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = (await run()) ?? {};
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  if (params.expect !== undefined && result.count !== params.expect) {
    throw new Error(`${task}: expected ${params.expect} steps to finish, saw ${result.count}`);
  }
  if (i < warmup) {
    report.warmups.push(ms);
    continue;
  }
  report.runs.push(ms);
  report.cpu.push((cpu.user + cpu.system) / 1000);
  report.counts.push(result.count);
  for (const [name, value] of Object.entries(result.phases ?? {})) (report.phases[name] ??= []).push(value);
}
report.maxRssKb = process.resourceUsage().maxRSS;
process.stdout.write(`${JSON.stringify(report)}\n`);
