/**
 * When schedule entries fire: cron lines read in their time zone, across DST changes, compared
 * with instants worked out by hand (pure functions: nothing waits for the clock).
 */
import { describe, expect, it } from 'vitest';
import { Firings } from '../../../engine/schedule/firings.js';

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const upcoming = (cron: string, zone: string, from: string, count: number) => new Firings(cron, zone).upcoming(Date.parse(from), count).map(iso);

describe('firings in Europe/Berlin across the spring-forward of 2026-03-29 (02:00 CET -> 03:00 CEST)', () => {
  it('a daily 02:30, a time the clock skips that night, fires when the clock jumps: 03:00 CEST', () => {
    expect(upcoming('30 2 * * *', 'Europe/Berlin', '2026-03-27T12:00:00Z', 4)).toEqual([
      '2026-03-28T01:30:00.000Z', // 02:30 CET
      '2026-03-29T01:00:00.000Z', // 02:30 does not exist: 03:00 CEST, when the clock jumps
      '2026-03-30T00:30:00.000Z', // 02:30 CEST
      '2026-03-31T00:30:00.000Z',
    ]);
  });

  it('an hourly line fires once at the jump for the skipped 02:00 and the 03:00 that follows it', () => {
    expect(upcoming('0 * * * *', 'Europe/Berlin', '2026-03-28T23:30:00Z', 4)).toEqual([
      '2026-03-29T00:00:00.000Z', // 01:00 CET
      '2026-03-29T01:00:00.000Z', // 02:00 (skipped) and 03:00 CEST are the same instant
      '2026-03-29T02:00:00.000Z', // 04:00 CEST
      '2026-03-29T03:00:00.000Z',
    ]);
  });
});

describe('firings in Europe/Berlin across the fall-back of 2026-10-25 (03:00 CEST -> 02:00 CET)', () => {
  it('a daily 02:30, a time that happens twice that night, fires once, at the first 02:30 (CEST)', () => {
    expect(upcoming('30 2 * * *', 'Europe/Berlin', '2026-10-23T12:00:00Z', 3)).toEqual([
      '2026-10-24T00:30:00.000Z', // 02:30 CEST
      '2026-10-25T00:30:00.000Z', // the first 02:30, still CEST; the second (01:30Z) does not fire
      '2026-10-26T01:30:00.000Z', // 02:30 CET
    ]);
  });

  it('an hourly line fires at 02:00 CEST and not again at 02:00 CET, then at 03:00 CET', () => {
    expect(upcoming('0 * * * *', 'Europe/Berlin', '2026-10-24T23:30:00Z', 3)).toEqual([
      '2026-10-25T00:00:00.000Z', // 02:00 CEST
      '2026-10-25T02:00:00.000Z', // 03:00 CET; 02:00 CET (01:00Z) repeats a wall time that fired
      '2026-10-25T03:00:00.000Z',
    ]);
  });

  it('from inside the repeated hour, the next firing is after it', () => {
    expect(upcoming('*/30 * * * *', 'Europe/Berlin', '2026-10-25T01:10:00Z', 2)).toEqual(['2026-10-25T02:00:00.000Z', '2026-10-25T02:30:00.000Z']);
  });
});

describe('firings in America/New_York (west of UTC) follow the same rule', () => {
  it('spring-forward 2026-03-08: 02:30 fires at the jump, 03:00 EDT', () => {
    expect(upcoming('30 2 * * *', 'America/New_York', '2026-03-07T12:00:00Z', 2)).toEqual(['2026-03-08T07:00:00.000Z', '2026-03-09T06:30:00.000Z']);
  });

  it('fall-back 2026-11-01: 01:30 fires once, at the first 01:30 (EDT)', () => {
    expect(upcoming('30 1 * * *', 'America/New_York', '2026-10-31T12:00:00Z', 2)).toEqual(['2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z']);
  });
});

describe('firings of 6-field lines, nicknames and day tokens', () => {
  it('a second-level line fires at those seconds', () => {
    expect(upcoming('*/20 * * * * *', 'UTC', '2026-01-01T00:00:05Z', 4)).toEqual([
      '2026-01-01T00:00:20.000Z', '2026-01-01T00:00:40.000Z', '2026-01-01T00:01:00.000Z', '2026-01-01T00:01:20.000Z',
    ]);
  });

  it('@daily is midnight in the zone', () => {
    expect(upcoming('@daily', 'Asia/Kolkata', '2026-01-01T00:00:00Z', 2)).toEqual(['2026-01-01T18:30:00.000Z', '2026-01-02T18:30:00.000Z']);
  });

  it('L, the last day of the month, and 1#2, the second Monday', () => {
    expect(upcoming('0 12 L * *', 'UTC', '2026-01-15T00:00:00Z', 3)).toEqual(['2026-01-31T12:00:00.000Z', '2026-02-28T12:00:00.000Z', '2026-03-31T12:00:00.000Z']);
    expect(upcoming('0 9 * * 1#2', 'UTC', '2026-01-01T00:00:00Z', 2)).toEqual(['2026-01-12T09:00:00.000Z', '2026-02-09T09:00:00.000Z']);
  });
});

describe('looking back: the firings before an instant', () => {
  it('previous() is the mirror of next(), across the fall-back hour too', () => {
    const berlin = new Firings('0 * * * *', 'Europe/Berlin');
    expect(iso(berlin.previous(Date.parse('2026-10-25T01:10:00Z')))).toBe('2026-10-25T00:00:00.000Z');
    expect(iso(berlin.previous(Date.parse('2026-10-25T02:00:00Z')))).toBe('2026-10-25T00:00:00.000Z');
    expect(iso(berlin.previous(Date.parse('2026-10-25T02:00:01Z')))).toBe('2026-10-25T02:00:00.000Z');
    expect(iso(berlin.previous(Date.parse('2026-03-29T01:30:00Z')))).toBe('2026-03-29T01:00:00.000Z');
    expect(iso(berlin.previous(Date.parse('2026-03-29T01:00:00Z')))).toBe('2026-03-29T00:00:00.000Z');
  });

  it('recent() lists the firings in a span, latest first, and says when it stopped early', () => {
    const everyTen = new Firings('*/10 * * * * *', 'UTC');
    const from = Date.parse('2026-01-01T00:00:00Z');
    expect(everyTen.recent(from, from + 60_000, 10)).toEqual({ firings: [60, 50, 40, 30, 20, 10].map((s) => from + s * 1000), more: false });
    expect(everyTen.recent(from, from + 60_000, 2)).toEqual({ firings: [from + 60_000, from + 50_000], more: true });
    // A year of once-a-second firings costs only what is returned.
    expect(everyTen.recent(from - 365 * 86_400_000, from, 3).firings.map(iso)).toEqual(['2026-01-01T00:00:00.000Z', '2025-12-31T23:59:50.000Z', '2025-12-31T23:59:40.000Z']);
  });
});
