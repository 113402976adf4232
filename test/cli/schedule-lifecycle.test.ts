/**
 * The scheduler as a service: it reloads a workflow when its file changes (an invalid edit is
 * reported with file:line:column and the previous version keeps running), stops the schedules of a
 * removed file, and on SIGTERM/SIGINT stops firing, lets running runs finish within the grace
 * period, cancels them cleanly after it, and exits 0.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { killLeftovers, liveProcesses, uniqueSleep } from '../helpers/processes.js';
import { scheduledRuns, startScheduler, stopScheduler, type SchedulerProcess } from '../helpers/schedule.js';
import { tempDir, writeFiles } from '../helpers/workflow.js';

const markers: string[] = [];
afterEach(() => markers.splice(0).forEach(killLeftovers));

const everySecond = (steps: string) => `name: tick\non:\n  schedule:\n    - cron: "* * * * * *"\n      timezone: UTC\nsteps:\n${steps}`;
const stepLog = (dir: string, id: string) => readFileSync(join(dir, '.arq', 'runs', id, 'logs', 'say.log'), 'utf8');
const startedIds = (lines: readonly string[]) => lines.map((l) => /started run (\S+) /.exec(l)![1]!);

/** The first run started after log line `index`, once it has succeeded. */
async function nextRun(scheduler: SchedulerProcess, index: number): Promise<string> {
  const before = scheduler.lines().slice(0, index + 1).filter((l) => l.includes('started run')).length;
  const started = await scheduler.waitFor(/^tick #1: started run /, before + 1);
  const id = startedIds(started)[before]!;
  await scheduler.waitFor(new RegExp(`^tick #1: run ${id} succeeded after`));
  return id;
}

describe('reloading a workflow whose file changed', () => {
  it('an invalid edit is reported and the previous version keeps running; a valid edit runs the new version; a removed file stops', async () => {
    const dir = tempDir('arq-reload-');
    const file = join(dir, 'tick.yaml');
    writeFileSync(file, everySecond('  - id: say\n    run: echo v1\n'));
    const scheduler = startScheduler([], dir);
    await scheduler.waitFor(/^tick #1: run \S+ succeeded after/);

    writeFileSync(file, everySecond('  - id: say\n    run: echo v2\n').replace('"* * * * * *"', '"61 * * * * *"'));
    await scheduler.waitFor(/^ {2}tick.yaml:4:14: /);
    const invalidAt = scheduler.lines().indexOf('tick.yaml: invalid edit, not loaded; the previous version keeps running');
    expect(scheduler.lines()[invalidAt + 1]).toBe('  tick.yaml:4:14: "61" is not a valid second in cron line "61 * * * * *"; expected 0-59, as a value, * or */N, a range (a-b, a-b/N) or a list (a,b) [schedule.cron]');
    const ranAfterInvalid = await nextRun(scheduler, invalidAt);
    expect(stepLog(dir, ranAfterInvalid)).toBe('stdout | v1\n');

    writeFileSync(file, everySecond('  - id: say\n    run: echo v1\n'));
    await scheduler.waitFor(/^tick.yaml: valid again, as the version that kept running$/);
    expect(scheduler.lines().some((l) => l.startsWith('tick: reloaded'))).toBe(false);

    writeFileSync(file, everySecond('  - id: say\n    run: echo v2\n'));
    await scheduler.waitFor(/^tick: reloaded tick.yaml \(1 schedule\)$/);
    const ranAfterReload = await nextRun(scheduler, scheduler.lines().indexOf('tick: reloaded tick.yaml (1 schedule)'));
    expect(stepLog(dir, ranAfterReload)).toBe('stdout | v2\n');

    rmSync(file);
    await scheduler.waitFor(/^tick: tick.yaml was removed; its schedules are stopped$/);
    await stopScheduler(scheduler);

    const runs = scheduledRuns(join(dir, '.arq'), 'tick');
    const hashes = [...new Set(runs.map((r) => r.hash))];
    expect(hashes.length).toBe(2);
    expect(runs.find((r) => r.id === ranAfterInvalid)!.hash).toBe(runs[0]!.hash);
    expect(runs.find((r) => r.id === ranAfterReload)!.hash).toBe(runs.at(-1)!.hash);
    expect(runs[0]!.hash).not.toBe(runs.at(-1)!.hash);
  }, 60_000);
});

describe('stopping on SIGTERM and SIGINT', () => {
  it('a run still going when SIGTERM comes finishes within the grace period, and the scheduler exits 0', async () => {
    const dir = tempDir('arq-stop-');
    writeFiles(dir, { 'tick.yaml': everySecond('  - id: say\n    run: sleep 1.5; echo finished\n') });
    const scheduler = startScheduler(['--shutdown-grace', '60s'], dir);
    const [started] = await scheduler.waitFor(/^tick #1: started run /);
    await stopScheduler(scheduler);

    const id = startedIds([started!])[0]!;
    const stopAt = scheduler.lines().indexOf('stopping (SIGTERM): no more firings');
    expect(scheduler.lines()[stopAt + 1]).toBe('waiting up to 1m for 1 run to end');
    expect(scheduler.lines().at(-1)).toBe('arq schedule: stopped');
    const runs = scheduledRuns(join(dir, '.arq'), 'tick');
    expect(runs.map((r) => [r.id, r.status])).toEqual([[id, 'succeeded']]);
    expect(stepLog(dir, id)).toBe('stdout | finished\n');
    // Nothing fired after the signal.
    expect(scheduler.lines().slice(stopAt).some((l) => l.includes('started run'))).toBe(false);
  }, 60_000);

  it('after the grace period a run is cancelled cleanly (its finally: runs, its processes are gone); a second signal cuts the grace short', async () => {
    const marker = uniqueSleep();
    markers.push(marker);
    const dir = tempDir('arq-stop-');
    writeFiles(dir, { 'tick.yaml': everySecond(`  - id: say\n    run: echo started; sleep ${marker}\nfinally:\n  - id: cleanup\n    run: echo cleaned\n`) });

    const patient = startScheduler(['--shutdown-grace', '1s'], dir);
    await patient.waitFor(/^tick #1: started run /);
    await waitForProcess(marker);
    await stopScheduler(patient);
    expect(patient.lines().filter((l) => l.startsWith('cancelling run'))).toEqual([expect.stringMatching(/^cancelling run \S+: the scheduler is stopping$/)]);

    const hurried = startScheduler(['--shutdown-grace', '1h'], dir);
    await hurried.waitFor(/^tick #1: started run /);
    await waitForProcess(marker);
    hurried.signal('SIGINT');
    await hurried.waitFor(/^waiting up to 1h for 1 run to end$/);
    expect(hurried.lines().filter((l) => l.startsWith('stopping'))).toEqual(['stopping (SIGINT): no more firings']);
    await stopScheduler(hurried);

    const runs = scheduledRuns(join(dir, '.arq'), 'tick');
    expect(runs.map((r) => [r.status, r.steps.say?.status, r.steps.cleanup?.status])).toEqual([
      ['cancelled', 'cancelled', 'succeeded'],
      ['cancelled', 'cancelled', 'succeeded'],
    ]);
    expect(liveProcesses(marker)).toEqual([]);
  }, 60_000);
});

/** Resolves once a process with the marker runs (the step has really started), polling /proc. */
async function waitForProcess(marker: string): Promise<void> {
  for (let i = 0; i < 300 && !liveProcesses(marker).length; i++) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(liveProcesses(marker).length).toBeGreaterThan(0);
}
