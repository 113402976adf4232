/**
 * Catch-up: a scheduler that starts after a downtime looks in the run history for each entry's
 * last run and starts exactly the missed firings its `catch_up:` asks for. The history is written
 * with the store's own recorder, as if an earlier scheduler had run the entries five hours ago.
 */
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunRecorder } from '../../engine/store/recorder.js';
import { expectOneAtATime, scheduledRuns, startScheduler, stopScheduler } from '../helpers/schedule.js';
import { tempDir, writeFiles } from '../helpers/workflow.js';

const HOUR = 3_600_000;
const iso = (t: number) => new Date(t).toISOString();

/**
 * An hourly minute half an hour away from now, so that no firing falls due while the test runs,
 * and the latest firing of that line before now.
 */
function hourlyAwayFromNow(): { minute: number; latest: number } {
  const now = new Date();
  const minute = (now.getUTCMinutes() + 30) % 60;
  const at = new Date(now);
  at.setUTCMinutes(minute, 0, 0);
  const latest = at.getTime() > now.getTime() ? at.getTime() - HOUR : at.getTime();
  return { minute, latest };
}

/** A run of `file`'s entry 1 that an earlier scheduler recorded, planned at `planned`. */
function recordEarlierRun(stateDir: string, file: string, name: string, cron: string, planned: number): void {
  const runId = `19700101-000000-${Math.random().toString(16).slice(2, 8)}`;
  const trigger = { type: 'schedule', entry: 1, cron, timezone: 'UTC', planned_at: iso(planned), reason: 'cron' } as const;
  const recorder = RunRecorder.create({ stateDir, runId, workflow: name, file, hash: 'earlier', workdir: '/', trigger });
  recorder.record({ type: 'run.started', run: runId, workflow: name, time: planned + 1000, inputs: {} });
  recorder.record({ type: 'run.finished', run: runId, workflow: name, status: 'succeeded', time: planned + 2000, duration_ms: 1000 });
  recorder.close();
}

describe('catch-up after a downtime, from the run history', () => {
  it('none starts nothing, last the latest missed firing, all every one in order, catch_up_window only the recent ones', async () => {
    const dir = tempDir('arq-catch-up-');
    const state = join(dir, 'state');
    const { minute, latest } = hourlyAwayFromNow();
    const cron = `${minute} * * * *`;
    const policies = { none: 'catch_up: none', last: 'catch_up: last', all: 'catch_up: all', window: 'catch_up: all, catch_up_window: 200m' };
    for (const [name, policy] of Object.entries(policies)) {
      writeFiles(dir, { [`flows/${name}.yaml`]: `name: ${name}\non:\n  schedule:\n    - { cron: "${cron}", timezone: UTC, ${policy} }\nsteps:\n  - run: "true"\n` });
      recordEarlierRun(state, resolve(dir, 'flows', `${name}.yaml`), name, cron, latest - 5 * HOUR);
    }
    // A workflow that never ran before has missed nothing.
    writeFiles(dir, { 'flows/fresh.yaml': `name: fresh\non:\n  schedule:\n    - { cron: "${cron}", timezone: UTC, catch_up: all }\nsteps:\n  - run: "true"\n` });

    const scheduler = startScheduler(['flows', '--state-dir', 'state'], dir);
    await scheduler.waitFor(/: run \S+ succeeded after/, 1 + 5 + 3);
    await stopScheduler(scheduler);

    const caughtUp = (name: string) => scheduledRuns(state, name).filter((r) => r.trigger!.reason === 'catch_up');
    const missed = [4, 3, 2, 1, 0].map((h) => iso(latest - h * HOUR));
    expect(caughtUp('none')).toEqual([]);
    expect(caughtUp('last').map((r) => r.trigger!.planned_at)).toEqual([iso(latest)]);
    expect(caughtUp('all').map((r) => r.trigger!.planned_at)).toEqual(missed);
    expect(caughtUp('window').map((r) => r.trigger!.planned_at)).toEqual(missed.slice(2));
    expect(caughtUp('fresh')).toEqual([]);
    for (const name of ['last', 'all', 'window']) {
      expect(caughtUp(name).every((r) => r.status === 'succeeded' && r.trigger!.cron === cron)).toBe(true);
      expectOneAtATime(caughtUp(name));
    }
    // In order: each caught-up firing started after the one before it.
    const starts = caughtUp('all').map((r) => r.started_at);
    expect(starts).toEqual([...starts].sort());

    const log = scheduler.lines();
    const span = (from: number, to: number) => `(${iso(from).replace('.000Z', '+00:00')} to ${iso(to).replace('.000Z', '+00:00')})`;
    expect(log).toContain(`none #1: not run: 5 firings ${span(latest - 4 * HOUR, latest)} missed while the scheduler was down (catch_up: none)`);
    expect(log).toContain(`last #1: not run: 4 firings ${span(latest - 4 * HOUR, latest - HOUR)} missed while the scheduler was down (catch_up: last runs the latest only)`);
    expect(log).toContain(`window #1: not run: 2 firings ${span(latest - 4 * HOUR, latest - 3 * HOUR)} missed while the scheduler was down (older than catch_up_window 3h 20m)`);
    expect(log.filter((l) => l.startsWith('all #1: catching up '))).toEqual(missed.map((t) => `all #1: catching up ${t.replace('.000Z', '+00:00')}: missed while the scheduler was down (catch_up: all)`));
  }, 90_000);
});
