/**
 * Time zones, from the system's IANA data (Intl): instants to wall-clock time and back, with one
 * rule for DST. A wall time that happens twice (the clock falls back) is its first occurrence; a
 * wall time that never happens (the clock springs forward) is the instant the clock jumps.
 * Instants and wall times are whole seconds since 1970; a wall time is written as if it were UTC.
 */

const DAY = 86_400;

/** The machine's zone (TZ, else /etc/localtime), by name. */
export function machineTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Whether the system knows the zone (IANA names, `UTC`). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The canonical zone names the system knows, for "did you mean". */
export function knownTimeZones(): string[] {
  return [...Intl.supportedValuesOf('timeZone'), 'UTC'];
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `+02:00`, `-04:00`, `+05:45`. */
export function formatOffset(seconds: number): string {
  const minutes = Math.round(Math.abs(seconds) / 60);
  return `${seconds < 0 ? '-' : '+'}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

const zones = new Map<string, Zone>();

/** The zone of that name, made once (an Intl formatter costs a few tens of microseconds). */
export function zoneNamed(name: string): Zone {
  let zone = zones.get(name);
  if (!zone) zones.set(name, (zone = new Zone(name)));
  return zone;
}

/**
 * One time zone.
 *
 * @example
 * const berlin = new Zone('Europe/Berlin');
 * berlin.instantOf(Date.UTC(2026, 2, 29, 2, 30) / 1000); // 2026-03-29T01:00:00Z: 02:30 is skipped, the clock jumps at 03:00
 */
export class Zone {
  private readonly format: Intl.DateTimeFormat;
  /** Offsets by minute: zones change offset on whole minutes, and a second-level cron asks often. */
  private readonly offsets = new Map<number, number>();

  constructor(readonly name: string) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone: name, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
  }

  /** Seconds to add to UTC for the wall clock at `instant`. */
  offsetAt(instant: number): number {
    const minute = Math.floor(instant / 60);
    let offset = this.offsets.get(minute);
    if (offset === undefined) {
      offset = this.readOffset(minute * 60);
      if (this.offsets.size > 10_000) this.offsets.clear();
      this.offsets.set(minute, offset);
    }
    return offset;
  }

  private readOffset(instant: number): number {
    const parts: Record<string, number> = {};
    for (const part of this.format.formatToParts(new Date(instant * 1000))) parts[part.type] = Number(part.value);
    const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!) / 1000;
    return wall - instant;
  }

  /** The wall-clock time at `instant`. */
  wallOf(instant: number): number {
    return instant + this.offsetAt(instant);
  }

  /** The instants whose wall clock reads `wall`: one, two (the clock falls back) or none (it springs forward). */
  occurrences(wall: number): number[] {
    const candidates = [wall - this.offsetAt(wall - DAY), wall - this.offsetAt(wall + DAY)];
    return [...new Set(candidates.filter((t) => this.wallOf(t) === wall))].sort((a, b) => a - b);
  }

  /** The instant a wall time names: its first occurrence, or the jump when the clock skips it. */
  instantOf(wall: number): number {
    const found = this.occurrences(wall);
    if (found.length) return found[0]!;
    const before = this.offsetAt(wall - DAY);
    const after = this.offsetAt(wall + DAY);
    return before === after ? wall - before : this.jumpBetween(wall - after, wall - before);
  }

  /** Whether the clock jumps forward at `instant` (the first instant of the new offset). */
  jumpsAt(instant: number): boolean {
    return this.offsetAt(instant) > this.offsetAt(instant - 1);
  }

  /** The first instant in (low, high] whose offset differs from the offset at `low`. */
  private jumpBetween(low: number, high: number): number {
    const start = this.offsetAt(low);
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (this.offsetAt(middle) === start) low = middle;
      else high = middle;
    }
    return high;
  }

  /** `Sun 2026-03-29 03:00:00 +02:00`: what a person checks a cron line and a DST change against. */
  describe(instant: number): string {
    const offset = this.offsetAt(instant);
    const wall = new Date((instant + offset) * 1000);
    const weekday = wall.toUTCString().slice(0, 3);
    return `${weekday} ${wall.toISOString().slice(0, 19).replace('T', ' ')} ${formatOffset(offset)}`;
  }

  /** `2026-03-29T03:00:00+02:00`: the instant with the zone's offset, for logs. */
  iso(instant: number): string {
    const offset = this.offsetAt(instant);
    return `${new Date((instant + offset) * 1000).toISOString().slice(0, 19)}${formatOffset(offset)}`;
  }
}
