/** newRunId: sortable by time, then random. */
import { describe, expect, it } from 'vitest';
import { newRunId } from '../../../engine/run/run-id.js';

describe('newRunId', () => {
  it('starts with the UTC date and time, then six hex digits', () => {
    expect(newRunId(new Date('2025-03-01T10:15:02.987Z'))).toMatch(/^20250301-101502-[0-9a-f]{6}$/);
    expect(newRunId(new Date('2026-12-31T23:59:59Z'))).toMatch(/^20261231-235959-[0-9a-f]{6}$/);
    expect(newRunId(new Date('2026-01-09T04:05:06Z'))).toMatch(/^20260109-040506-[0-9a-f]{6}$/);
  });

  it('gives ids of the same second different random parts', () => {
    const now = new Date('2025-03-01T10:15:02Z');
    const ids = new Set(Array.from({ length: 200 }, () => newRunId(now)));
    // 200 draws from 16^6 values: a repeat has a chance of about 0.1%.
    expect(ids.size).toBeGreaterThanOrEqual(199);
  });
});
