/**
 * Checking `on.schedule`: a bad cron line, time zone, input or duration is a problem at its
 * file:line:column saying what was expected; a good schedule is the checked model.
 */
import { describe, expect, it } from 'vitest';
import { checkWorkflow } from '../../../engine/check/workflow.js';
import { parseWorkflowText } from '../../../engine/load/load.js';
import { problemsIn, yaml } from './helpers.js';

const scheduled = (...entry: string[]) => yaml('name: nightly', 'on:', '  schedule:', ...entry, 'steps:', '  - run: "true"');

describe('cron lines', () => {
  it('a value out of range is reported at that field, with what the field takes', async () => {
    expect(await problemsIn(scheduled('    - cron: "0 61 * * *"'))).toEqual([
      [4, 16, 'schedule.cron', '"61" is not a valid hour in cron line "0 61 * * *"; expected 0-23, as a value, * or */N, a range (a-b, a-b/N) or a list (a,b)'],
    ]);
  });

  it('every bad field of a 6-field line is reported, seconds first', async () => {
    expect(await problemsIn(scheduled('    - cron: 75 * * * * mon-fry'))).toEqual([
      [4, 13, 'schedule.cron', '"75" is not a valid second in cron line "75 * * * * mon-fry"; expected 0-59, as a value, * or */N, a range (a-b, a-b/N) or a list (a,b)'],
      [4, 24, 'schedule.cron', '"mon-fry" is not a valid day of week in cron line "75 * * * * mon-fry"; expected 0-7 (0 and 7 are Sunday) or sun-sat, 1#2 (the second Monday) or 5L (the last Friday), as a value, * or */N, a range (a-b, a-b/N) or a list (a,b)'],
    ]);
  });

  it('a line with the wrong number of fields says how many it has and how many a cron line takes', async () => {
    expect(await problemsIn(scheduled('    - cron: "* * *"'))).toEqual([
      [4, 14, 'schedule.cron', 'Cron line "* * *" has 3 fields; expected 5 fields (minute hour day-of-month month day-of-week), 6 with seconds first, or @yearly, @monthly, @weekly, @daily, @hourly'],
    ]);
  });

  it('a character cron does not use is pointed at', async () => {
    expect(await problemsIn(scheduled("    - cron: '0 3 * * 1%2'"))).toEqual([
      [4, 23, 'schedule.cron', 'Cron line "0 3 * * 1%2" has a character cron does not use: "%"; expected digits, names (mon, jan), and * , - / # ? L W'],
    ]);
  });

  it('an unknown nickname and a day that never comes are errors too', async () => {
    expect(await problemsIn(scheduled('    - cron: "@reboot"', '    - cron: "0 0 30 2 *"'))).toEqual([
      [4, 14, 'schedule.cron', 'Unknown cron nickname "@reboot"; expected 5 fields (minute hour day-of-month month day-of-week), 6 with seconds first, or @yearly, @monthly, @weekly, @daily, @hourly'],
      [5, 14, 'schedule.cron', 'Cron line "0 0 30 2 *" never fires: no month it names has that day; expected a day of month that exists in one of its months'],
    ]);
  });
});

describe('time zones, inputs and durations of an entry', () => {
  it('an unknown time zone suggests the closest IANA name', async () => {
    expect(await problemsIn(scheduled('    - cron: "0 3 * * *"', '      timezone: Europe/Berln'))).toEqual([
      [5, 17, 'schedule.timezone', 'Unknown time zone "Europe/Berln". Did you mean "Europe/Berlin"? Expected an IANA time zone name like Europe/Berlin or UTC'],
    ]);
  });

  it("an entry's inputs are checked against the workflow's: unknown, wrong type, missing", async () => {
    const text = yaml(
      'name: release',
      'on:',
      '  schedule:',
      '    - cron: "0 3 * * *"',
      '      inputs: { verison: "1.2", dry_run: "yes" }',
      'inputs:',
      '  version: { type: string, required: true }',
      '  dry_run: { type: boolean, default: false }',
      'steps:',
      '  - run: "true"',
    );
    expect(await problemsIn(text)).toEqual([
      [4, 7, 'schedule.missing_input', 'Workflow release needs input "version"; add it under inputs: of schedule entry 1'],
      [5, 17, 'schedule.unknown_input', 'Unknown input "verison" for workflow release. Did you mean "version"? Expected one of: version, dry_run'],
      [5, 42, 'schedule.input_type', 'Input "dry_run" must be a boolean; found the string "yes"'],
    ]);
  });

  it('a jitter too long for a timer and a catch_up_window without catch_up are errors', async () => {
    expect(await problemsIn(scheduled('    - cron: "0 3 * * *"', '      jitter: 900h', '      catch_up_window: 6h'))).toEqual([
      [5, 15, 'duration.too_long', 'Duration "900h" is too long: at most 24 days (2147483647 ms)'],
      [6, 7, 'schedule.catch_up_window', '"catch_up_window" has no effect without catch_up; expected catch_up: last or all next to it'],
    ]);
  });

  it('a bad overlap policy is a schema problem naming the choices', async () => {
    expect(await problemsIn(scheduled('    - cron: "0 3 * * *"', '      overlap: wait'))).toEqual([
      [5, 16, 'schema.enum', '"overlap" must be one of "skip", "queue", "cancel_previous"; found the string "wait"'],
    ]);
  });
});

describe('a good schedule', () => {
  it('becomes the checked entries, defaults filled in', async () => {
    const text = scheduled(
      '    - cron: "*/5 * * * * *"',
      '    - cron: "@daily"',
      '      timezone: Europe/Berlin',
      '      overlap: queue',
      '      catch_up: all',
      '      catch_up_window: 6h',
      '      jitter: 30s',
    );
    const workflow = await checkWorkflow(parseWorkflowText(text, 'wf.yaml'));
    expect(workflow.schedules).toEqual([
      { entry: 1, cron: '*/5 * * * * *', timezone: undefined, inputs: {}, overlap: 'skip', catchUp: 'none', catchUpWindowMs: undefined, jitterMs: 0 },
      { entry: 2, cron: '@daily', timezone: 'Europe/Berlin', inputs: {}, overlap: 'queue', catchUp: 'all', catchUpWindowMs: 21_600_000, jitterMs: 30_000 },
    ]);
  });

  it('a workflow without on: has no schedules', async () => {
    expect((await checkWorkflow(parseWorkflowText(yaml('steps:', '  - run: "true"'), 'wf.yaml'))).schedules).toEqual([]);
  });
});
