/**
 * Firings that were missed (the scheduler was down, the machine slept) and what becomes of them:
 * `catch_up: none` runs none, `last` the latest, `all` each in order; `catch_up_window` leaves out
 * the older ones. What is not run is said, with the reason.
 */
import type { ScheduleSpec } from '../model/schedule.js';
import { formatDuration } from '../model/duration.js';
import { MAX_DUE } from './clock.js';

/** Missed firings that are not run, and why. */
export interface NotCaughtUp {
  /** Oldest first. */
  readonly firings: readonly number[];
  /** There were older ones too, not listed. */
  readonly more: boolean;
  readonly reason: string;
}

export interface CatchUpPlan {
  /** Firings to run now, oldest first. */
  readonly run: readonly number[];
  readonly notRun: readonly NotCaughtUp[];
}

/**
 * Decides which missed firings run. `missed` is oldest first (the latest MAX_DUE at most; `more`
 * when there were older ones); `liveFollows` when a firing is due right now anyway.
 *
 * @example
 * planCatchUp({ ...spec, catchUp: 'last' }, [t1, t2, t3], false, Date.now(), false); // { run: [t3], notRun: [{ firings: [t1, t2], ... }] }
 */
export function planCatchUp(spec: ScheduleSpec, missed: readonly number[], more: boolean, now: number, liveFollows: boolean): CatchUpPlan {
  if (spec.catchUp === 'none') return { run: [], notRun: [{ firings: missed, more, reason: 'catch_up: none' }] };
  const window = spec.catchUpWindowMs;
  const recent = window === undefined ? missed : missed.filter((t) => now - t <= window);
  const tooOld = missed.slice(0, missed.length - recent.length);
  const notRun: NotCaughtUp[] = [];
  if (tooOld.length) notRun.push({ firings: tooOld, more, reason: `older than catch_up_window ${formatDuration(window!)}` });
  const run = spec.catchUp === 'all' ? recent : liveFollows ? [] : recent.slice(-1);
  const rest = recent.slice(0, recent.length - run.length);
  const restMore = more && !tooOld.length;
  if (rest.length || restMore) notRun.push({ firings: rest, more: restMore, reason: restReason(spec, liveFollows) });
  return { run, notRun };
}

function restReason(spec: ScheduleSpec, liveFollows: boolean): string {
  if (spec.catchUp === 'all') return `catch_up: all catches up the latest ${MAX_DUE} at most`;
  return liveFollows ? 'catch_up: last, and the firing due now runs instead' : 'catch_up: last runs the latest only';
}
