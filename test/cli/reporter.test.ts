import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createReporter } from '../../engine/cli/reporter.js';

const run = 'r1';

describe('live progress on a terminal', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('redraws a status line with each running step and its elapsed time, and prints finished steps above it', () => {
    const writes: string[] = [];
    const report = createReporter('tty', (text) => writes.push(text));
    report({ type: 'step.started', run, step: 'build', label: 'build', attempt: 1, time: 1_000_000 });
    report({ type: 'step.started', run, step: 'test', label: 'test', attempt: 2, time: 1_000_000 });
    vi.advanceTimersByTime(1500);
    report({ type: 'step.finished', run, step: 'build', label: 'build', status: 'succeeded', time: 1_001_500, duration_ms: 1500, attempts: 1 });
    report({ type: 'run.finished', run, workflow: 'w', status: 'succeeded', time: 1_001_600, duration_ms: 1600 });
    const status = (text: string) => `\r\x1b[K\x1b[36m${text}\x1b[0m`;
    expect(writes[0]).toBe(status('⠋ build 0ms'));
    expect(writes[1]).toBe(status('⠙ build 0ms · test 0ms (attempt 2)'));
    // Fifteen redraws by the timer, the last one at 1.5 s.
    expect(writes.slice(2, 17)).toHaveLength(15);
    expect(writes[16]).toBe(status('⠦ build 1.5s · test 1.5s (attempt 2)'));
    expect(writes.slice(17)).toEqual([
      '\r\x1b[K\x1b[32m✓ build succeeded (1.5s)\x1b[0m\n',
      status('⠧ test 1.5s (attempt 2)'),
      '\r\x1b[K\x1b[32mrun r1 succeeded in 1.6s\x1b[0m\n',
      '\r\x1b[K',
    ]);
    vi.advanceTimersByTime(1000);
    expect(writes).toHaveLength(21);
  });
});
