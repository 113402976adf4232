import { afterEach, describe, expect, it } from 'vitest';
import { killLeftovers, liveProcesses, uniqueSleep } from '../../helpers/processes.js';
import { finishedList, finishedOf, runText, tempDir, type RunEvent } from '../../helpers/workflow.js';

const dir = tempDir('arq-timeout-');
const markers: string[] = [];

/** A sleep duration no other process uses, so the test can look for it in /proc. */
function marker(): string {
  const m = uniqueSleep();
  markers.push(m);
  return m;
}

afterEach(() => markers.splice(0).forEach(killLeftovers));

describe('timeout:', () => {
  it('stops a step that runs too long, kills its whole process tree, and says how long it waited', async () => {
    const m = marker();
    const yaml = `
name: stuck
steps:
  - id: stuck
    run: sh -c "sleep ${m} & sleep ${m}"
    timeout: 300ms
  - id: after
    uses: noop
`;
    const { result, events } = await runText(yaml, dir);
    expect(result.status).toBe('failed');
    expect(result.error).toBe('Step "stuck" failed: Timed out after 300ms');
    expect(finishedList(events)).toEqual(['stuck:failed', 'after:skipped']);
    const stuck = finishedOf(events, 'stuck');
    expect(stuck).toMatchObject({ error: 'Timed out after 300ms', attempts: 1 });
    expect(stuck.duration_ms).toBeGreaterThanOrEqual(299);
    expect(liveProcesses(m)).toEqual([]);
  });

  it('times out each attempt of a retried step, and leaves no process of any attempt behind', async () => {
    const m = marker();
    const yaml = `
name: stuck-twice
steps:
  - id: stuck
    run: sleep ${m} & sleep ${m}; wait
    timeout: 200ms
    retry: { attempts: 2, backoff: 10ms }
`;
    const { result, events } = await runText(yaml, dir);
    expect(result.status).toBe('failed');
    const retries = events.filter((e): e is Extract<RunEvent, { type: 'step.retrying' }> => e.type === 'step.retrying');
    expect(retries.map((e) => [e.step, e.attempt, e.delay_ms, e.error])).toEqual([['stuck', 1, 10, 'Timed out after 200ms']]);
    expect(finishedOf(events, 'stuck')).toMatchObject({ status: 'failed', attempts: 2, error: 'Timed out after 200ms' });
    expect(liveProcesses(m)).toEqual([]);
  });

  it('lets a step that finishes in time succeed, with a retry after a timed-out first attempt', async () => {
    const m = marker();
    const yaml = `
name: second-time-lucky
steps:
  - id: step
    run: |
      if [ ! -f first.done ]; then touch first.done; sleep ${m}; fi
      echo fast
    timeout: 300ms
    retry: { attempts: 2, backoff: 0ms }
`;
    const { result, events } = await runText(yaml, dir);
    expect(result.status).toBe('succeeded');
    expect(finishedOf(events, 'step')).toMatchObject({ status: 'succeeded', attempts: 2, outputs: { stdout: 'fast' } });
    expect(liveProcesses(m)).toEqual([]);
  });

  it('stops a whole group at its timeout: the running inner step is cancelled and its processes killed', async () => {
    const m = marker();
    const yaml = `
name: slow-group
steps:
  - id: group
    timeout: 300ms
    steps:
      - id: quick
        uses: noop
      - id: slow
        run: sleep ${m}
      - id: never
        uses: noop
`;
    const { result, events } = await runText(yaml, dir);
    expect(result.status).toBe('failed');
    expect(result.error).toBe('Step "group" failed: Timed out after 300ms');
    expect(finishedList(events)).toEqual(['quick:succeeded', 'group:failed', 'slow:cancelled']);
    expect(finishedOf(events, 'slow').error).toBe('Stopped: the step around it ended');
    expect(liveProcesses(m)).toEqual([]);
  });
});

describe('timeout: waits for the stopped attempt', () => {
  it('starts neither the retry nor the next step while a process that ignores SIGTERM is still alive', async () => {
    const m = uniqueSleep();
    markers.push(m);
    const yaml = `
name: stubborn
steps:
  - id: stubborn
    uses: shell
    with: { run: 'trap "" TERM; echo up; sleep ${m}', kill_grace: 400 }
    timeout: 300ms
    retry: { attempts: 2, backoff: 10ms }
    continue_on_error: true
  - id: after
    uses: noop
`;
    const started: number[] = [];
    const aliveAtStart: number[][] = [];
    const onEvent = (e: RunEvent) => {
      if (e.type !== 'step.started') return;
      started.push(e.time);
      aliveAtStart.push(liveProcesses(m));
    };
    const { result, events } = await runText(yaml, dir, { onEvent });
    expect(result.status).toBe('succeeded');
    expect(finishedList(events)).toEqual(['stubborn:failed', 'after:succeeded']);
    // When the second attempt and the next step start, nothing of the attempt before is alive.
    expect(aliveAtStart).toEqual([[], [], []]);
    // Each attempt ran 300 ms, then was killed 400 ms after SIGTERM: the next start waited for that.
    expect(started[1]! - started[0]!).toBeGreaterThanOrEqual(700);
    expect(started[2]! - started[1]!).toBeGreaterThanOrEqual(700);
    expect(liveProcesses(m)).toEqual([]);
  });
});

describe('timeout: of a group', () => {
  it('waits for the steps inside to release everything before the group retries', async () => {
    const yaml = `
name: group-retry
steps:
  - id: fe
    foreach: [1]
    timeout: 400ms
    retry: { attempts: 2, backoff: 10ms }
    run: |
      if [ -e lock ]; then echo OVERLAP; fi
      touch lock
      trap 'sleep 0.5; rm -f lock; exit 1' TERM
      echo up
      sleep 30 & wait
`;
    const { events } = await runText(yaml, dir);
    expect(events.filter((e) => e.type === 'step.log' && e.step === 'fe').map((e) => (e as { line: string }).line)).toEqual(['up', 'up']);
    // The inner step of each attempt is stopped; the group's own failure is recorded when its timeout fires.
    expect(finishedList(events)).toEqual(['fe[0]:cancelled', 'fe:failed', 'fe[0]:cancelled']);
  });

  it('records a step waiting for its retry inside the group as stopped', async () => {
    const m = uniqueSleep();
    markers.push(m);
    const yaml = `
name: inner-retry
steps:
  - id: grp
    # inner's first attempt times out at 300 ms and is killed 400 ms later: at 500 ms it waits for that.
    timeout: 500ms
    continue_on_error: true
    steps:
      - id: inner
        uses: shell
        with: { run: 'trap "" TERM; sleep ${m}', kill_grace: 400 }
        timeout: 300ms
        retry: { attempts: 3, backoff: 10ms }
  - id: after
    uses: log
    with: { message: "inner=\${{ steps.inner.status }}" }
`;
    const { events } = await runText(yaml, dir);
    expect(finishedOf(events, 'inner')).toMatchObject({ status: 'cancelled', error: 'Stopped: the step around it ended' });
    expect(events.filter((e) => e.type === 'step.log' && e.step === 'after').map((e) => (e as { line: string }).line)).toEqual(['inner=cancelled']);
    expect(liveProcesses(m)).toEqual([]);
  });
});
