/** Run ids: light enough for the scheduler, which names its runs without loading the runner. */
import { randomUUID } from 'node:crypto';

const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/**
 * A sortable, unique run id: time first (UTC), then randomness: six hex digits of a random UUID,
 * which Node draws from a pool (randomBytes would make a job of its own for every id).
 *
 * @example
 * newRunId(new Date('2025-03-01T10:15:02Z')); // '20250301-101502-4be1a0'
 */
export function newRunId(now = new Date()): string {
  const date = `${now.getUTCFullYear()}${two(now.getUTCMonth() + 1)}${two(now.getUTCDate())}`;
  const time = `${two(now.getUTCHours())}${two(now.getUTCMinutes())}${two(now.getUTCSeconds())}`;
  return `${date}-${time}-${randomUUID().slice(0, 6)}`;
}
