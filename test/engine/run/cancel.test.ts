import { afterEach, describe, expect, it } from 'vitest';
import { killLeftovers, liveProcesses, uniqueSleep } from '../../helpers/processes.js';
import { finishedList, finishedOf, logLines, runText, tempDir, writeFiles, type RunEvent } from '../../helpers/workflow.js';

const dir = tempDir('arq-cancel-');
const markers: string[] = [];
afterEach(() => markers.splice(0).forEach(killLeftovers));

/** Runs `yaml` and aborts it once every step in `waitFor` has logged a line. */
async function cancelWhenLogged(yaml: string, waitFor: string[]) {
  const controller = new AbortController();
  const seen = new Set<string>();
  const onEvent = (e: RunEvent) => {
    if (e.type !== 'step.log') return;
    seen.add(e.step);
    if (waitFor.every((s) => seen.has(s))) controller.abort();
  };
  return runText(yaml, dir, { signal: controller.signal, onEvent });
}

describe('cancelling a run', () => {
  it('stops the running step, kills its processes, skips the rest, runs finally and ends cancelled', async () => {
    const m = uniqueSleep();
    markers.push(m);
    const yaml = `
name: cancel
steps:
  - id: long
    run: echo started; sleep ${m} & sleep ${m}; wait
  - id: never
    run: touch never.ran
on_failure:
  - id: rollback
    uses: noop
finally:
  - id: cleanup
    uses: log
    with: { message: "run=\${{ run.status }} cancelled=\${{ cancelled() }} long=\${{ steps.long.status }}" }
`;
    const { result, events } = await cancelWhenLogged(yaml, ['long']);
    expect(result.status).toBe('cancelled');
    expect(finishedList(events)).toEqual(['long:cancelled', 'cleanup:succeeded']);
    expect(finishedOf(events, 'long').error).toBe('Cancelled');
    expect(logLines(events, 'cleanup')).toEqual(['run=cancelled cancelled=true long=cancelled']);
    expect(events.at(-1)).toMatchObject({ type: 'run.finished', status: 'cancelled' });
    expect(liveProcesses(m)).toEqual([]);
  });

  it('stops every branch of a parallel block and the steps of a sub-workflow', async () => {
    const m = uniqueSleep();
    markers.push(m);
    writeFiles(dir, { 'lib/child.yaml': `name: child\nsteps:\n  - id: inner\n    run: echo inner; sleep ${m}\nfinally:\n  - id: child_cleanup\n    uses: noop\n` });
    const yaml = `
name: cancel-wide
steps:
  - id: par
    parallel:
      - id: a
        run: echo a; sleep ${m}
      - id: sub
        uses: workflow
        with: { path: lib/child.yaml }
`;
    const { result, events } = await cancelWhenLogged(yaml, ['a', 'sub/inner']);
    expect(result.status).toBe('cancelled');
    expect(finishedList(events).sort()).toEqual(['a:cancelled', 'par:cancelled', 'sub/child_cleanup:succeeded', 'sub/inner:cancelled', 'sub:cancelled'].sort());
    expect(liveProcesses(m)).toEqual([]);
  });

  it('is cancelled before it starts when the signal has already fired: only finally runs', async () => {
    const controller = new AbortController();
    controller.abort();
    const yaml = 'name: early\nsteps:\n  - id: first\n    run: touch first.ran\nfinally:\n  - id: cleanup\n    uses: noop\n';
    const { result, events } = await runText(yaml, dir, { signal: controller.signal });
    expect(result.status).toBe('cancelled');
    expect(finishedList(events)).toEqual(['cleanup:succeeded']);
  });
});

describe('cancelling during a retry backoff', () => {
  it('records the waiting step as cancelled, so that finally and the result still see it', async () => {
    const controller = new AbortController();
    const yaml = `
name: backoff
steps:
  - id: flaky
    run: exit 1
    retry: { attempts: 3, backoff: 60s }
finally:
  - id: report
    uses: log
    with: { message: "flaky=\${{ steps.flaky.status }}" }
`;
    const onEvent = (e: RunEvent) => {
      if (e.type === 'step.retrying') controller.abort();
    };
    const { result, events } = await runText(yaml, dir, { signal: controller.signal, onEvent });
    expect(result.status).toBe('cancelled');
    expect(finishedList(events)).toEqual(['flaky:cancelled', 'report:succeeded']);
    expect(finishedOf(events, 'flaky')).toMatchObject({ error: 'Cancelled', attempts: 1 });
    expect(logLines(events, 'report')).toEqual(['flaky=cancelled']);
    expect(result.steps.flaky?.status).toBe('cancelled');
  });
});

describe('cancelling during finally', () => {
  it('lets the finally steps finish, then ends the run cancelled', async () => {
    const controller = new AbortController();
    const yaml = `
name: late
steps:
  - id: work
    uses: noop
finally:
  - id: cleanup
    run: echo cleaning; echo cleaned
  - id: after
    uses: log
    with: { message: "cancelled=\${{ cancelled() }}" }
`;
    const onEvent = (e: RunEvent) => {
      if (e.type === 'step.log' && e.step === 'cleanup' && e.line === 'cleaning') controller.abort();
    };
    const { result, events } = await runText(yaml, dir, { signal: controller.signal, onEvent });
    expect(result.status).toBe('cancelled');
    expect(finishedList(events)).toEqual(['work:succeeded', 'cleanup:succeeded', 'after:succeeded']);
    expect(logLines(events, 'cleanup')).toEqual(['cleaning', 'cleaned']);
    expect(logLines(events, 'after')).toEqual(['cancelled=true']);
  });
});

describe('cancelling a DAG', () => {
  it('records a running node (a bare step actor) as cancelled, not as succeeded, and kills its processes', async () => {
    const m = uniqueSleep();
    markers.push(m);
    const yaml = `
name: cancel-dag
steps:
  - id: a
    run: echo a; sleep ${m}
  - id: b
    needs: a
    uses: noop
`;
    const { result, events } = await cancelWhenLogged(yaml, ['a']);
    expect(result.status).toBe('cancelled');
    expect(finishedList(events)).toEqual(['a:cancelled']);
    expect(liveProcesses(m)).toEqual([]);
  });
});
