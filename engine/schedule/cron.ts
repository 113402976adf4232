/**
 * Cron lines, read by node-cron: its validator says what is wrong (worded here with what was
 * expected and where), its parser gives the fields, its matcher decides the day fields (`L`,
 * `15W`, `2#3`, `5L`). Matching runs on wall-clock time written as UTC seconds, so that time
 * zones and DST stay out of this module (see zone.ts and firings.ts).
 */
import { createTask, parse, validateDetailed, type CronFieldError, type ScheduledTask } from 'node-cron';

const DAY = 86_400;
/** node-cron gives up after 100 years too: a line that fires less often than that never fires. */
const MAX_DAYS = 366 * 100;

/** What is wrong with a cron line, at `offset` characters into it (for file:line:column). */
export interface CronIssue {
  readonly message: string;
  readonly offset: number;
}

interface FieldWords {
  readonly name: string;
  readonly expected: string;
}

const FIELDS: Readonly<Record<string, FieldWords>> = {
  second: { name: 'second', expected: '0-59' },
  minute: { name: 'minute', expected: '0-59' },
  hour: { name: 'hour', expected: '0-23' },
  dayOfMonth: { name: 'day of month', expected: '1-31, L (the last day), L-2 or 15W (the weekday nearest the 15th)' },
  month: { name: 'month', expected: '1-12 or jan-dec' },
  dayOfWeek: { name: 'day of week', expected: '0-7 (0 and 7 are Sunday) or sun-sat, 1#2 (the second Monday) or 5L (the last Friday)' },
};
const ORDER = ['second', 'minute', 'hour', 'dayOfMonth', 'month', 'dayOfWeek'];
const SHAPES = 'a value, * or */N, a range (a-b, a-b/N) or a list (a,b)';
const FIELD_COUNT_HINT = '5 fields (minute hour day-of-month month day-of-week), 6 with seconds first, or @yearly, @monthly, @weekly, @daily, @hourly';
const NICKNAMES = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);

interface Field {
  readonly text: string;
  readonly offset: number;
}

function fieldsOf(line: string): Field[] {
  return [...line.matchAll(/\S+/g)].map((m) => ({ text: m[0], offset: m.index }));
}

/** node-cron splits on spaces only: tabs and runs of blanks become one space. */
function normalized(line: string): string {
  return line.trim().split(/\s+/).join(' ');
}

function fieldIssue(line: string, fields: readonly Field[], error: CronFieldError): CronIssue {
  const words = FIELDS[error.field];
  if (!words) return { message: `Cron line "${line}" is not valid (${error.message}); expected ${FIELD_COUNT_HINT}`, offset: 0 };
  // A 5-field line has no seconds: node-cron numbers its fields from the minute.
  const index = ORDER.indexOf(error.field) - (fields.length === 5 ? 1 : 0);
  const field = fields[index] ?? { text: error.value ?? '', offset: 0 };
  return { message: `"${field.text}" is not a valid ${words.name} in cron line "${line}"; expected ${words.expected}, as ${SHAPES}`, offset: field.offset };
}

function shapeIssue(line: string, fields: readonly Field[]): CronIssue | undefined {
  if (fields.length === 1 && fields[0]!.text.startsWith('@')) {
    if (NICKNAMES.has(fields[0]!.text.toLowerCase())) return undefined;
    return { message: `Unknown cron nickname "${fields[0]!.text}"; expected ${FIELD_COUNT_HINT}`, offset: 0 };
  }
  const bad = /[^a-zA-Z0-9\-*/,#?\s]/.exec(line);
  if (bad) return { message: `Cron line "${line}" has a character cron does not use: "${bad[0]}"; expected digits, names (mon, jan), and * , - / # ? L W`, offset: bad.index };
  if (fields.length !== 5 && fields.length !== 6) {
    return { message: `Cron line "${line}" has ${fields.length} field${fields.length === 1 ? '' : 's'}; expected ${FIELD_COUNT_HINT}`, offset: 0 };
  }
  return undefined;
}

/**
 * Everything wrong with a cron line; an empty list when node-cron accepts it and it ever fires.
 *
 * @example
 * cronIssues('61 * * * *')[0].message; // '"61" is not a valid minute in cron line "61 * * * *"; expected 0-59, as ...'
 */
export function cronIssues(line: string): CronIssue[] {
  const fields = fieldsOf(line);
  const shape = shapeIssue(line, fields);
  if (shape) return [shape];
  const result = validateDetailed(normalized(line));
  if (result.errors.some((e) => e.message.includes('impossible day'))) {
    return [{ message: `Cron line "${line}" never fires: no month it names has that day; expected a day of month that exists in one of its months`, offset: 0 }];
  }
  if (!result.valid) return result.errors.map((e) => fieldIssue(line, fields, e));
  if (cronLine(line).nextWall(Math.floor(Date.now() / 1000)) === undefined) {
    return [{ message: `Cron line "${line}" never fires (not once in the next 100 years); expected a day that exists, e.g. not the 5th Monday of February`, offset: 0 }];
  }
  return [];
}

const ascending = (values: readonly (number | string)[]): number[] => [...new Set(values.filter((v): v is number => typeof v === 'number'))].sort((a, b) => a - b);

/**
 * A valid cron line's matching wall-clock times, as seconds since 1970 of a clock that reads UTC.
 *
 * @example
 * const daily = cronLine('30 2 * * *');
 * daily.nextWall(Date.UTC(2026, 2, 29) / 1000); // Date.UTC(2026, 2, 29, 2, 30) / 1000
 */
export class CronLine {
  private readonly seconds: number[];
  private readonly minutes: number[];
  private readonly hours: number[];
  private readonly descending: { readonly seconds: number[]; readonly minutes: number[]; readonly hours: number[] };
  /** The first time of day the line allows: matching it at a day's date tests the day fields only. */
  private readonly firstOfDay: number;

  constructor(
    readonly line: string,
    private readonly matcher: ScheduledTask,
  ) {
    const fields = parse(normalized(line));
    this.seconds = ascending(fields.second);
    this.minutes = ascending(fields.minute);
    this.hours = ascending(fields.hour);
    this.descending = { seconds: [...this.seconds].reverse(), minutes: [...this.minutes].reverse(), hours: [...this.hours].reverse() };
    this.firstOfDay = this.hours[0]! * 3600 + this.minutes[0]! * 60 + this.seconds[0]!;
  }

  private dayMatches(day: number): boolean {
    return this.matcher.match(new Date((day * DAY + this.firstOfDay) * 1000));
  }

  /** The first time of day after `bound` (seconds into the day) that the line allows. */
  private firstAfter(bound: number): number | undefined {
    for (const h of this.hours) {
      if (h * 3600 + 3599 <= bound) continue;
      for (const m of this.minutes) {
        if (h * 3600 + m * 60 + 59 <= bound) continue;
        const s = this.seconds.find((x) => h * 3600 + m * 60 + x > bound);
        if (s !== undefined) return h * 3600 + m * 60 + s;
      }
    }
    return undefined;
  }

  /** The last time of day before `bound` (seconds into the day) that the line allows. */
  private lastBefore(bound: number): number | undefined {
    for (const h of this.descending.hours) {
      if (h * 3600 >= bound) continue;
      for (const m of this.descending.minutes) {
        if (h * 3600 + m * 60 >= bound) continue;
        const s = this.descending.seconds.find((x) => h * 3600 + m * 60 + x < bound);
        if (s !== undefined) return h * 3600 + m * 60 + s;
      }
    }
    return undefined;
  }

  /** The first matching wall time after `wall`, or undefined if none within 100 years. */
  nextWall(wall: number): number | undefined {
    let day = Math.floor(wall / DAY);
    for (let i = 0, bound = wall - day * DAY; i < MAX_DAYS; i++, day++, bound = -1) {
      const time = this.dayMatches(day) ? this.firstAfter(bound) : undefined;
      if (time !== undefined) return day * DAY + time;
    }
    return undefined;
  }

  /** The last matching wall time before `wall`, or undefined if none within 100 years. */
  previousWall(wall: number): number | undefined {
    let day = Math.floor(wall / DAY);
    for (let i = 0, bound = wall - day * DAY; i < MAX_DAYS; i++, day--, bound = DAY) {
      const time = this.dayMatches(day) ? this.lastBefore(bound) : undefined;
      if (time !== undefined) return day * DAY + time;
    }
    return undefined;
  }
}

const lines = new Map<string, CronLine>();

/**
 * The matcher of a valid cron line, made once per distinct line. node-cron's task is created,
 * never started: only its matcher is used, in UTC, where wall time and UTC agree.
 */
export function cronLine(line: string): CronLine {
  const key = normalized(line);
  let found = lines.get(key);
  if (!found) {
    found = new CronLine(line, createTask(key, () => undefined, { timezone: 'UTC' }));
    lines.set(key, found);
  }
  return found;
}
