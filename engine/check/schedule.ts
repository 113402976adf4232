/**
 * `on: { schedule: [...] }`: what the schema cannot check. Cron lines (read by node-cron, which is
 * loaded only for a workflow that has a schedule), time zones, each entry's inputs against the
 * workflow's, and durations.
 */
import type { YamlPath } from '../load/load.js';
import type { CatchUpPolicy, OverlapPolicy, ScheduleSpec } from '../model/schedule.js';
import type { InputSpec } from '../model/types.js';
import { checkInputValue } from '../run/inputs.js';
import { isTimeZone, knownTimeZones } from '../schedule/zone.js';
import { asList, asRecord, type Checker } from './checker.js';
import { closest } from './closest.js';
import { checkDuration } from './durations.js';
import { durationOf } from './steps.js';

/** What an entry's inputs are checked against. */
export interface ScheduleOwner {
  readonly name: string;
  readonly inputs: Readonly<Record<string, InputSpec>>;
}

type CronIssues = (line: string) => readonly { message: string; offset: number }[];

function checkCron(checker: Checker, issuesOf: CronIssues, cron: unknown, path: YamlPath): void {
  if (typeof cron !== 'string') return;
  for (const issue of issuesOf(cron)) {
    checker.problems.push({ code: 'schedule.cron', message: issue.message, location: checker.doc.locateInString(path, issue.offset) });
  }
}

function checkTimeZone(checker: Checker, timezone: unknown, path: YamlPath): void {
  if (typeof timezone !== 'string' || isTimeZone(timezone)) return;
  const guess = closest(timezone, knownTimeZones());
  const hint = guess ? ` Did you mean "${guess}"?` : '';
  checker.report('schedule.timezone', `Unknown time zone "${timezone}".${hint} Expected an IANA time zone name like Europe/Berlin or UTC`, path);
}

function checkInputs(checker: Checker, given: Record<string, unknown>, owner: ScheduleOwner, path: YamlPath): void {
  const known = Object.keys(owner.inputs);
  for (const [name, value] of Object.entries(given)) {
    const spec = owner.inputs[name];
    if (!spec) {
      const guess = closest(name, known);
      const expected = known.length ? `Expected one of: ${known.join(', ')}` : 'It takes no inputs';
      checker.report('schedule.unknown_input', `Unknown input "${name}" for workflow ${owner.name}.${guess ? ` Did you mean "${guess}"?` : ''} ${expected}`, [...path, 'inputs', name], 'key');
      continue;
    }
    try {
      checkInputValue(name, spec, value, (message) => new Error(message));
    } catch (error) {
      checker.report('schedule.input_type', (error as Error).message, [...path, 'inputs', name]);
    }
  }
  for (const [name, spec] of Object.entries(owner.inputs)) {
    if (spec.required && !Object.hasOwn(given, name)) {
      checker.report('schedule.missing_input', `Workflow ${owner.name} needs input "${name}"; add it under inputs: of schedule entry ${Number(path.at(-1)) + 1}`, path);
    }
  }
}

function checkCatchUp(checker: Checker, entry: Record<string, unknown>, path: YamlPath): void {
  if (entry.catch_up_window === undefined || entry.catch_up === 'last' || entry.catch_up === 'all') return;
  checker.report('schedule.catch_up_window', '"catch_up_window" has no effect without catch_up; expected catch_up: last or all next to it', [...path, 'catch_up_window'], 'key');
}

function specOf(entry: Record<string, unknown>, index: number): ScheduleSpec {
  return {
    entry: index + 1,
    cron: typeof entry.cron === 'string' ? entry.cron : '',
    timezone: typeof entry.timezone === 'string' ? entry.timezone : undefined,
    inputs: asRecord(entry.inputs) ?? {},
    overlap: (entry.overlap ?? 'skip') as OverlapPolicy,
    catchUp: (entry.catch_up ?? 'none') as CatchUpPolicy,
    catchUpWindowMs: durationOf(entry.catch_up_window),
    jitterMs: durationOf(entry.jitter) ?? 0,
  };
}

/**
 * Checks every entry of `on.schedule`, reporting each problem at its place, and returns the
 * entries (meaningful only when no problem was found).
 *
 * @example
 * await checkSchedules(checker, { schedule: [{ cron: '0 3 * * *', timezone: 'Europe/Berlin' }] }, { name: 'nightly', inputs: {} });
 */
export async function checkSchedules(checker: Checker, on: unknown, owner: ScheduleOwner): Promise<ScheduleSpec[]> {
  const entries = asList(asRecord(on)?.schedule);
  if (!entries.length) return [];
  const { cronIssues } = await import('../schedule/cron.js');
  const specs: ScheduleSpec[] = [];
  entries.forEach((raw, index) => {
    const entry = asRecord(raw);
    if (!entry) return;
    const path = ['on', 'schedule', index];
    checkCron(checker, cronIssues, entry.cron, [...path, 'cron']);
    checkTimeZone(checker, entry.timezone, [...path, 'timezone']);
    checkInputs(checker, asRecord(entry.inputs) ?? {}, owner, path);
    checkDuration(checker, entry.jitter, [...path, 'jitter']);
    checkCatchUp(checker, entry, path);
    specs.push(specOf(entry, index));
  });
  return specs;
}
