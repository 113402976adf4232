/**
 * When a schedule entry fires: its cron line read in its time zone. One function for the firings
 * the scheduler waits for, the ones `--list`/`--next` preview and the ones catch-up looks back on,
 * so a preview is exactly what will run. Instants are milliseconds (Date.now()), whole seconds.
 */
import type { ScheduleSpec } from '../model/schedule.js';
import { cronLine, type CronLine } from './cron.js';
import { machineTimeZone, zoneNamed, type Zone } from './zone.js';

/** Enough to walk past a fall-back hour of a once-a-second line, and then some. */
const MAX_STEPS = 100_000;

/** Firings of one cron line in one zone. */
export class Firings {
  readonly zone: Zone;
  private readonly line: CronLine;

  constructor(cron: string, timezone: string = machineTimeZone()) {
    this.line = cronLine(cron);
    this.zone = zoneNamed(timezone);
  }

  /**
   * The first firing after `after`, or undefined when the line never fires again.
   *
   * @example
   * new Firings('30 2 * * *', 'Europe/Berlin').next(Date.parse('2026-10-24T12:00:00Z')); // 2026-10-25T00:30:00Z (02:30 CEST, the first of two)
   */
  next(after: number): number | undefined {
    const bound = Math.floor(after / 1000);
    let wall: number | undefined = this.zone.wallOf(bound);
    for (let i = 0; i < MAX_STEPS; i++) {
      wall = this.line.nextWall(wall);
      if (wall === undefined) return undefined;
      // In the second pass of a repeated hour, its wall times already fired in the first pass.
      const instant = this.zone.instantOf(wall);
      if (instant > bound) return instant * 1000;
    }
    return undefined;
  }

  /** The last firing before `before`, or undefined when there is none. */
  previous(before: number): number | undefined {
    const bound = Math.ceil(before / 1000);
    const wall0 = this.zone.wallOf(bound);
    // In the second pass of a repeated hour, the first pass's wall times up to the hour's end came earlier.
    let wall: number | undefined = wall0 + Math.max(0, bound - this.zone.instantOf(wall0)) + 1;
    for (let i = 0; i < MAX_STEPS; i++) {
      wall = this.line.previousWall(wall);
      if (wall === undefined) return undefined;
      const instant = this.zone.instantOf(wall);
      if (instant < bound) return instant * 1000;
    }
    return undefined;
  }

  /**
   * What a person should know about a firing at a DST change, or undefined: the clock skipped wall
   * times the line names (they fire at the jump), or the firing's wall time happens twice.
   */
  dstNote(instant: number): string | undefined {
    const t = instant / 1000;
    const wall = this.zone.wallOf(t);
    const hhmm = (w: number) => new Date(w * 1000).toISOString().slice(11, 16);
    if (this.zone.jumpsAt(t)) {
      const skippedFrom = wall - (this.zone.offsetAt(t) - this.zone.offsetAt(t - 1));
      const skipped = this.line.previousWall(wall);
      if (skipped !== undefined && skipped >= skippedFrom) return `the clock jumps from ${hhmm(skippedFrom)} to ${hhmm(wall)}: firings in between run at the jump`;
    }
    if (this.zone.occurrences(wall).length > 1) return `the clock falls back: ${hhmm(wall)} happens twice and fires the first time only`;
    return undefined;
  }

  /** The next `count` firings after `after`. */
  upcoming(after: number, count: number): number[] {
    const found: number[] = [];
    for (let t = this.next(after); t !== undefined && found.length < count; t = this.next(t)) found.push(t);
    return found;
  }

  /**
   * Firings in (from, to], latest first, at most `max` of them; `more` says whether there were
   * others before those. Walks backwards, so a long gap costs only the firings returned.
   */
  recent(from: number, to: number, max: number): { readonly firings: number[]; readonly more: boolean } {
    const firings: number[] = [];
    for (let t = this.previous(to + 1); t !== undefined && t > from; t = this.previous(t)) {
      if (firings.length === max) return { firings, more: true };
      firings.push(t);
    }
    return { firings, more: false };
  }
}

/** The firings of a checked schedule entry. */
export function firingsOf(spec: ScheduleSpec): Firings {
  return new Firings(spec.cron, spec.timezone);
}
