import { describe, expect, it } from 'vitest';
import type { RetryPolicy } from '../../../engine/model/types.js';
import { backoffDelay } from '../../../engine/run/machines.js';
import { finishedList, finishedOf, runText, tempDir, type RunEvent } from '../../helpers/workflow.js';

const dir = tempDir('arq-retry-');

type Retrying = Extract<RunEvent, { type: 'step.retrying' }>;
const retrying = (events: RunEvent[], step: string) => events.filter((e): e is Retrying => e.type === 'step.retrying' && e.step === step);
const attemptsStarted = (events: RunEvent[], step: string) =>
  events.flatMap((e) => (e.type === 'step.started' && e.step === step ? [e.attempt] : []));

const policy = (p: Partial<RetryPolicy>): RetryPolicy => ({ attempts: 5, backoffMs: 100, factor: 2, jitter: 0, ...p });

describe('backoffDelay', () => {
  it('waits backoff * factor^(k-1) before attempt k+1', () => {
    expect([1, 2, 3, 4].map((k) => backoffDelay(policy({}), k))).toEqual([100, 200, 400, 800]);
    expect([1, 2, 3].map((k) => backoffDelay(policy({ backoffMs: 20, factor: 3 }), k))).toEqual([20, 60, 180]);
    expect([1, 2, 3].map((k) => backoffDelay(policy({ factor: 1 }), k))).toEqual([100, 100, 100]);
  });

  it('caps every delay at max_delay', () => {
    expect([1, 2, 3, 4, 5].map((k) => backoffDelay(policy({ maxDelayMs: 300 }), k))).toEqual([100, 200, 300, 300, 300]);
  });

  it('spreads a delay by at most +/- jitter, after the cap', () => {
    const p = policy({ jitter: 0.2, maxDelayMs: 300 });
    expect(backoffDelay(p, 1, () => 0)).toBe(80);
    expect(backoffDelay(p, 1, () => 0.5)).toBe(100);
    expect(backoffDelay(p, 1, () => 0.999999)).toBe(120);
    expect(backoffDelay(p, 5, () => 0)).toBe(240);
    expect(backoffDelay(p, 5, () => 0.999999)).toBe(360);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(p, 2);
      expect(d).toBeGreaterThanOrEqual(160);
      expect(d).toBeLessThanOrEqual(240);
    }
  });

  it('is never negative', () => {
    expect(backoffDelay(policy({ backoffMs: 0, jitter: 1 }), 1, () => 0)).toBe(0);
  });
});

describe('retry:', () => {
  it('counts the first attempt, retries until one succeeds, and records each retry with its delay', async () => {
    const yaml = `
name: flaky
steps:
  - id: flaky
    run: |
      n=$(cat tries 2>/dev/null || echo 0); n=$((n + 1)); echo $n > tries
      echo "attempt=$n" >> "$ARQ_OUTPUT"
      if [ $n -lt 3 ]; then echo "try $n failed" >&2; exit 1; fi
    retry: { attempts: 5, backoff: 30ms, factor: 2 }
`;
    const { result, events } = await runText(yaml, dir);
    expect(result.status).toBe('succeeded');
    expect(attemptsStarted(events, 'flaky')).toEqual([1, 2, 3]);
    expect(retrying(events, 'flaky').map((e) => [e.attempt, e.delay_ms])).toEqual([[1, 30], [2, 60]]);
    expect(retrying(events, 'flaky')[0]!.error).toMatch(/^Command failed with exit code 1: n=.*\ntry 1 failed$/);
    expect(finishedOf(events, 'flaky')).toMatchObject({ status: 'succeeded', attempts: 3, outputs: { attempt: '3' } });
  });

  it('gives up after the last attempt with delays capped by max_delay, and waits at least each delay', async () => {
    const yaml = `
name: hopeless
steps:
  - id: hopeless
    run: exit 7
    retry: { attempts: 4, backoff: 20ms, factor: 3, max_delay: 50ms }
`;
    const { result, events } = await runText(yaml, dir);
    expect(result.status).toBe('failed');
    expect(result.error).toBe('Step "hopeless" failed: Command failed with exit code 7: exit 7');
    expect(attemptsStarted(events, 'hopeless')).toEqual([1, 2, 3, 4]);
    const retries = retrying(events, 'hopeless');
    expect(retries.map((e) => [e.attempt, e.delay_ms, e.error])).toEqual([
      [1, 20, 'Command failed with exit code 7: exit 7'],
      [2, 50, 'Command failed with exit code 7: exit 7'],
      [3, 50, 'Command failed with exit code 7: exit 7'],
    ]);
    const starts = events.filter((e) => e.type === 'step.started' && e.step === 'hopeless').map((e) => e.time);
    retries.forEach((r, k) => expect(starts[k + 1]! - r.time).toBeGreaterThanOrEqual(r.delay_ms - 1));
    expect(finishedOf(events, 'hopeless')).toMatchObject({ status: 'failed', attempts: 4 });
  });

  it('keeps each jittered delay within its bounds', async () => {
    const yaml = `
name: jitter
steps:
  - id: jittery
    run: exit 1
    retry: { attempts: 4, backoff: 40ms, factor: 2, jitter: 0.5 }
    continue_on_error: true
`;
    const { result, events } = await runText(yaml, dir);
    expect(result.status).toBe('succeeded');
    const delays = retrying(events, 'jittery').map((e) => e.delay_ms);
    expect(delays).toHaveLength(3);
    [40, 80, 160].forEach((base, k) => {
      expect(delays[k]).toBeGreaterThanOrEqual(base * 0.5);
      expect(delays[k]).toBeLessThanOrEqual(base * 1.5);
    });
  });

  it('does not retry with attempts: 1, nor a step skipped by its if:', async () => {
    const yaml = `
name: once
steps:
  - id: once
    uses: fail
    retry: { attempts: 1, backoff: 10ms }
    continue_on_error: true
  - id: skipped
    if: \${{ false }}
    uses: fail
    retry: { attempts: 3, backoff: 10ms }
`;
    const { events } = await runText(yaml, dir);
    expect(finishedList(events)).toEqual(['once:failed', 'skipped:skipped']);
    expect(events.filter((e) => e.type === 'step.retrying')).toEqual([]);
    expect(finishedOf(events, 'once').attempts).toBe(1);
  });
});
