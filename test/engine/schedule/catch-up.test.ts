/** Which missed firings run, by catch_up and catch_up_window, and what is said of the others. */
import { describe, expect, it } from 'vitest';
import type { ScheduleSpec } from '../../../engine/model/schedule.js';
import { planCatchUp } from '../../../engine/schedule/catch-up.js';

const HOUR = 3_600_000;
const now = Date.parse('2026-06-01T12:30:00Z');
const missed = [5, 4, 3, 2, 1].map((h) => now - h * HOUR - 30 * 60_000 + HOUR); // 08:00 .. 12:00
const spec = (fields: Partial<ScheduleSpec>): ScheduleSpec => ({ entry: 1, cron: '0 * * * *', inputs: {}, overlap: 'skip', catchUp: 'none', jitterMs: 0, ...fields });

describe('planCatchUp', () => {
  it('none runs nothing and says so', () => {
    expect(planCatchUp(spec({}), missed, false, now, false)).toEqual({ run: [], notRun: [{ firings: missed, more: false, reason: 'catch_up: none' }] });
  });

  it('last runs the latest, unless a firing is due right now anyway', () => {
    expect(planCatchUp(spec({ catchUp: 'last' }), missed, false, now, false)).toEqual({
      run: [missed[4]], notRun: [{ firings: missed.slice(0, 4), more: false, reason: 'catch_up: last runs the latest only' }],
    });
    expect(planCatchUp(spec({ catchUp: 'last' }), missed, false, now, true)).toEqual({
      run: [], notRun: [{ firings: missed, more: false, reason: 'catch_up: last, and the firing due now runs instead' }],
    });
  });

  it('all runs each in order; catch_up_window leaves out the older ones', () => {
    expect(planCatchUp(spec({ catchUp: 'all' }), missed, false, now, false)).toEqual({ run: missed, notRun: [] });
    expect(planCatchUp(spec({ catchUp: 'all', catchUpWindowMs: 2 * HOUR }), missed, false, now, false)).toEqual({
      run: missed.slice(3), notRun: [{ firings: missed.slice(0, 3), more: false, reason: 'older than catch_up_window 2h' }],
    });
  });

  it('firings beyond the latest 100 looked at are reported as earlier ones, never run', () => {
    expect(planCatchUp(spec({ catchUp: 'all' }), missed, true, now, false)).toEqual({
      run: missed, notRun: [{ firings: [], more: true, reason: 'catch_up: all catches up the latest 100 at most' }],
    });
  });
});
