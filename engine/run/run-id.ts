/** Run ids: light enough for the scheduler, which names its runs without loading the runner. */
import { randomBytes } from 'node:crypto';

/**
 * A sortable, unique run id: time first, then randomness.
 *
 * @example
 * newRunId(new Date('2025-03-01T10:15:02Z')); // '20250301-101502-4be1a0'
 */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, '').replace('T', '-');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}
