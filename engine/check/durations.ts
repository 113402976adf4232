/**
 * Durations a schema pattern cannot bound: Node's timers hold at most 2^31-1 ms (about 24.8 days)
 * and fire at once for anything longer, so a longer timeout or backoff is an error, not a surprise.
 */
import type { YamlPath } from '../load/load.js';
import { asRecord, type Checker } from './checker.js';
import { durationOf } from './steps.js';

export const MAX_DURATION_MS = 2 ** 31 - 1;

/** Reports a duration that Node's timers cannot hold (or shorter than `minimum`). */
export function checkDuration(checker: Checker, raw: unknown, path: YamlPath, minimum = 0): void {
  const ms = durationOf(raw);
  if (ms === undefined) return;
  if (ms > MAX_DURATION_MS) checker.report('duration.too_long', `Duration ${JSON.stringify(raw)} is too long: at most 24 days (${MAX_DURATION_MS} ms)`, path);
  else if (ms < minimum) checker.report('duration.too_short', `Duration ${JSON.stringify(raw)} is too short: a timeout must be at least 1ms`, path);
}

/** Checks `timeout:` and `retry:` durations of a step or of `defaults:`. */
export function checkDurations(checker: Checker, owner: Record<string, unknown>, path: YamlPath): void {
  // Paths are built only for a duration that is there: most steps have none.
  if (owner.timeout !== undefined) checkDuration(checker, owner.timeout, [...path, 'timeout'], 1);
  const retry = asRecord(owner.retry);
  if (!retry) return;
  if (retry.backoff !== undefined) checkDuration(checker, retry.backoff, [...path, 'retry', 'backoff']);
  if (retry.max_delay !== undefined) checkDuration(checker, retry.max_delay, [...path, 'retry', 'max_delay']);
}
