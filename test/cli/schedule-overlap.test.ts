/**
 * `arq schedule` on real time with second-level cron lines: runs happen at their seconds, and a
 * firing that comes while a run is going is skipped, queued, or cancels that run. Everything is
 * asserted from the run history the scheduler recorded (planned times, start and end of each run)
 * and from its log, never from the test's own clock.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { killLeftovers, liveProcesses, uniqueSleep } from '../helpers/processes.js';
import { expectOneAtATime, plannedTimes, scheduledRuns, startScheduler, stopScheduler } from '../helpers/schedule.js';
import { tempDir, writeFiles } from '../helpers/workflow.js';

const markers: string[] = [];
afterEach(() => markers.splice(0).forEach(killLeftovers));

/** A folder holding one workflow, `tick`, on the given schedule entry and steps. */
function folderWith(entry: string, steps: string): string {
  const dir = tempDir('arq-schedule-');
  writeFiles(dir, { 'flows/tick.yaml': `name: tick\non:\n  schedule:\n${entry}\ninputs:\n  who: { type: string, default: me }\nsteps:\n${steps}` });
  return dir;
}

const seconds = (times: readonly number[]) => times.map((t) => t / 1000);
const gaps = (times: readonly number[]) => times.slice(1).map((t, i) => t - times[i]!);
/** The planned times named in log lines like `tick #1: skipped 2026-01-01T10:00:03+00:00: ...`. */
const timesIn = (lines: readonly string[]) => lines.map((l) => Date.parse(/(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d)/.exec(l)![1]!));

describe('runs happen at the seconds of their cron line', () => {
  it('every second second, with the entry\'s inputs, each run recorded with its trigger', async () => {
    const dir = folderWith('    - { cron: "*/2 * * * * *", timezone: UTC, overlap: queue, inputs: { who: cron } }', '  - id: greet\n    run: echo "hello ${{ inputs.who }}"\n');
    const scheduler = startScheduler(['flows', '--state-dir', 'state'], dir);
    await scheduler.waitFor(/^tick #1: run \S+ succeeded after/, 3);
    await stopScheduler(scheduler);

    const runs = scheduledRuns(join(dir, 'state'), 'tick');
    expect(runs.length).toBeGreaterThanOrEqual(3);
    const planned = plannedTimes(runs);
    // Whole even seconds, one firing after another: a queue never drops a firing.
    expect(seconds(planned).every((s) => Number.isInteger(s) && s % 2 === 0)).toBe(true);
    expect(gaps(planned)).toEqual(planned.slice(1).map(() => 2000));
    for (const run of runs) {
      expect(run.status).toBe('succeeded');
      expect(run.trigger).toEqual({ type: 'schedule', entry: 1, cron: '*/2 * * * * *', timezone: 'UTC', planned_at: run.trigger!.planned_at, reason: 'cron' });
      expect(Date.parse(run.started_at)).toBeGreaterThanOrEqual(Date.parse(run.trigger!.planned_at));
      expect(readFileSync(join(dir, 'state', 'runs', run.id, 'logs', 'greet.log'), 'utf8')).toBe('stdout | hello cron\n');
    }
    expectOneAtATime(runs);
    expect(scheduler.lines().filter((l) => l.startsWith('tick #1: started run')).length).toBe(runs.length);
  }, 60_000);

  it('arq runs shows the trigger of each scheduled run: the entry and its planned time', async () => {
    const dir = folderWith('    - { cron: "* * * * * *", timezone: UTC }', '  - run: "true"\n');
    const scheduler = startScheduler(['flows', '--state-dir', 'state'], dir);
    await scheduler.waitFor(/^tick #1: run \S+ succeeded after/);
    await stopScheduler(scheduler);
    await runCli(['run', 'flows/tick.yaml', '--state-dir', 'state'], dir);

    const [manual, ...scheduled] = (await runCli(['runs', '--state-dir', 'state'], dir)).stdout.trimEnd().split('\n').slice(1).map((l) => l.split(/\s{2,}/));
    expect(manual!.slice(1, 3).concat(manual!.slice(5))).toEqual(['tick', 'succeeded', 'manual']);
    for (const row of scheduled) expect(row[5]).toMatch(/^schedule #1 \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const json = JSON.parse((await runCli(['runs', '--json', '--state-dir', 'state'], dir)).stdout) as { trigger?: { planned_at: string } }[];
    expect(json[0]!.trigger).toBeUndefined();
    expect(json[1]!.trigger!.planned_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
  }, 60_000);
});

describe('jitter, and what the scheduler passes on to its runs', () => {
  it('a run starts a random delay after its planned time, in the --workdir, with secrets from --secrets-file', async () => {
    const dir = tempDir('arq-schedule-');
    const steps = '  - id: write\n    run: echo "token=${{ secrets.TOKEN }}"; echo "${{ secrets.TOKEN }}" > token.txt\n';
    writeFiles(dir, {
      'flows/tick.yaml': `name: tick\non:\n  schedule:\n    - { cron: "*/3 * * * * *", timezone: UTC, jitter: 1500ms }\nsecrets:\n  TOKEN: { env: TICK_TOKEN }\nsteps:\n${steps}`,
      'secrets.env': 'TICK_TOKEN=s3cr3t-value\n',
      'work/.keep': '',
    });
    const scheduler = startScheduler(['flows', '--state-dir', 'state', '--workdir', 'work', '--secrets-file', 'secrets.env'], dir);
    await scheduler.waitFor(/^tick #1: run \S+ succeeded after/, 2);
    await stopScheduler(scheduler);

    const runs = scheduledRuns(join(dir, 'state'), 'tick');
    const jitters = scheduler.lines().filter((l) => l.includes('(jitter)'));
    expect(jitters.length).toBeGreaterThanOrEqual(runs.length);
    for (const line of jitters) expect(line).toMatch(/^tick #1: \S+: starting in \d+(ms|\.\d+s|s) \(jitter\)$/);
    for (const run of runs) {
      expect(seconds([Date.parse(run.trigger!.planned_at)])[0]! % 3).toBe(0);
      expect(readFileSync(join(dir, 'state', 'runs', run.id, 'logs', 'write.log'), 'utf8')).toBe('stdout | token=***\n');
    }
    expect(readFileSync(join(dir, 'work', 'token.txt'), 'utf8')).toBe('s3cr3t-value\n');
  }, 60_000);
});

describe('overlap: what a firing does while a run of the workflow is still going', () => {
  it('skip (the default): the firings during a run are skipped and logged, runs never overlap', async () => {
    const dir = folderWith('    - { cron: "* * * * * *", timezone: UTC }', '  - run: sleep 2\n');
    const scheduler = startScheduler(['flows', '--state-dir', 'state'], dir);
    await scheduler.waitFor(/^tick #1: run \S+ succeeded after/, 2);
    await stopScheduler(scheduler);

    const runs = scheduledRuns(join(dir, 'state'), 'tick');
    expectOneAtATime(runs);
    const skippedLines = scheduler.lines().filter((l) => l.includes(': skipped '));
    for (const line of skippedLines) expect(line).toMatch(/^tick #1: skipped \S+: run \d{8}-\d{6}-[0-9a-f]{6} is still running \(overlap: skip\)$/);
    // Every second from the first run's to the last's was a run or a logged skip, and only one of them.
    const planned = plannedTimes(runs);
    const accounted = [...planned, ...timesIn(skippedLines).filter((t) => t < planned.at(-1)!)].sort((a, b) => a - b);
    expect(accounted).toEqual(Array.from({ length: accounted.length }, (_, i) => planned[0]! + i * 1000));
    expect(gaps(planned).every((gap) => gap >= 2000)).toBe(true);
  }, 60_000);

  it('queue: every firing runs, one after another, in order', async () => {
    const dir = folderWith('    - { cron: "* * * * * *", timezone: UTC, overlap: queue }', '  - run: sleep 1.2\n');
    const scheduler = startScheduler(['flows', '--state-dir', 'state'], dir);
    await scheduler.waitFor(/^tick #1: run \S+ succeeded after/, 3);
    await stopScheduler(scheduler);

    const runs = scheduledRuns(join(dir, 'state'), 'tick');
    expectOneAtATime(runs);
    expect(gaps(plannedTimes(runs))).toEqual(runs.slice(1).map(() => 1000));
    expect(runs.every((r) => r.status === 'succeeded')).toBe(true);
    expect(scheduler.lines().some((l) => /^tick #1: queued \S+: run \S+ is still running(, \d+ waiting)? \(overlap: queue\)$/.test(l))).toBe(true);
    // What was still waiting when the scheduler stopped is dropped, and said so.
    const dropped = scheduler.lines().filter((l) => l.includes(': dropped '));
    for (const line of dropped) expect(line).toMatch(/^tick #1: dropped \S+: the scheduler is stopping$/);
  }, 60_000);

  it('cancel_previous: a firing cancels the run still going (its finally: runs), then starts', async () => {
    const marker = uniqueSleep();
    markers.push(marker);
    const steps = `  - run: sleep ${marker}\nfinally:\n  - id: cleanup\n    run: echo cleaned\n`;
    const dir = folderWith('    - { cron: "*/2 * * * * *", timezone: UTC, overlap: cancel_previous }', steps);
    const scheduler = startScheduler(['flows', '--state-dir', 'state', '--shutdown-grace', '0s'], dir);
    await scheduler.waitFor(/^tick #1: run \S+ cancelled after/, 2);
    await stopScheduler(scheduler);

    const runs = scheduledRuns(join(dir, 'state'), 'tick');
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expectOneAtATime(runs);
    // Every firing started a run, unless the next came while its previous run was still ending.
    const planned = plannedTimes(runs);
    const dropped = timesIn(scheduler.lines().filter((l) => l.includes(': dropped ') && l.endsWith('(overlap: cancel_previous)')));
    const accounted = [...planned, ...dropped.filter((t) => t < planned.at(-1)!)].sort((a, b) => a - b);
    expect(accounted).toEqual(Array.from({ length: accounted.length }, (_, i) => planned[0]! + i * 2000));
    expect(runs.map((r) => r.status)).toEqual(runs.map(() => 'cancelled'));
    expect(runs.map((r) => r.steps.cleanup?.status)).toEqual(runs.map(() => 'succeeded'));
    const cancelledByFiring = scheduler.lines().flatMap((l) => /^tick #1: cancelling run (\S+): \S+ fired \(overlap: cancel_previous\)$/.exec(l)?.[1] ?? []);
    expect(cancelledByFiring.slice(0, runs.length - 1)).toEqual(runs.slice(0, -1).map((r) => r.id));
    expect(liveProcesses(marker)).toEqual([]);
  }, 60_000);
});
