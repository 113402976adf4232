/**
 * Measuring, child side: `node bench/lib/child.mjs '{"peer","task","params","warmup","runs"}'`.
 *
 * A peer module exports tasks: `task(params)` prepares what is not measured (generating the
 * YAML text, say) and returns `run`, an async function doing one measured run, or `{ run, reset }`
 * where `reset` undoes a run, unmeasured, before the next (node-red empties its flows). `run`
 * resolves to `{ count, phases? }`: how many steps it saw finish (checked against `params.expect`) and
 * the time of its phases in ms.
 *
 * Prints one JSON line per run as it ends (`{"progress":{"ms","warmup"}}`, so that a parent that
 * gives up on a slow row knows how far it got), then the report: every run's wall time, CPU time
 * (user + system, all threads: GC helpers count) and the peak RSS. Warm-up stops after the first
 * run when that run took more than WARMUP_BUDGET_MS: a row of 5 s runs gets 1 warm-up, not 3.
 */
import { pathToFileURL } from 'node:url';

const WARMUP_BUDGET_MS = 2000;

const { peer, task, params, warmup, runs } = JSON.parse(process.argv[2]);
const mod = await import(pathToFileURL(peer).href);
if (typeof mod[task] !== 'function') throw new Error(`${peer} has no task "${task}"`);
const prepared = await mod[task](params);
const { run, reset } = typeof prepared === 'function' ? { run: prepared } : prepared;

/** One run: wall and CPU time, the count checked against params.expect, then the peer's reset. */
async function measureOnce() {
  // Let the previous run's timers and callbacks finish. No forced gc() here: with one before each
  // run the parse phase measured ~5x slower (full GCs let V8 flush bytecode), i.e. always cold.
  await new Promise((resolve) => setTimeout(resolve, 20));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = (await run()) ?? {};
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  await reset?.();
  if (params.expect !== undefined && result.count !== params.expect) {
    throw new Error(`${task}: expected ${params.expect} steps to finish, saw ${result.count}`);
  }
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, result };
}

const report = { runs: [], warmups: [], cpu: [], phases: {}, counts: [] };
while (report.warmups.length < warmup) {
  const { ms } = await measureOnce();
  report.warmups.push(ms);
  process.stdout.write(`${JSON.stringify({ progress: { ms, warmup: true } })}\n`);
  if (ms > WARMUP_BUDGET_MS) break;
}
while (report.runs.length < runs) {
  const { ms, cpuMs, result } = await measureOnce();
  report.runs.push(ms);
  report.cpu.push(cpuMs);
  report.counts.push(result.count);
  for (const [name, value] of Object.entries(result.phases ?? {})) (report.phases[name] ??= []).push(value);
  process.stdout.write(`${JSON.stringify({ progress: { ms, warmup: false } })}\n`);
}
report.maxRssKb = process.resourceUsage().maxRSS;
process.stdout.write(`${JSON.stringify(report)}\n`);
