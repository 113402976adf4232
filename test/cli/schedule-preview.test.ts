/**
 * Checking schedules before deploying them: `arq validate` reports a bad cron line or time zone at
 * file:line:column, `arq schedule --list` and `--next N FILE` print the coming firings in each
 * entry's zone (the same ones the scheduler fires), DST changes explained.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir, writeFiles } from '../helpers/workflow.js';

const dir = tempDir('arq-schedule-preview-');
writeFiles(dir, {
  'flows/nightly.yaml': [
    'name: nightly',
    'on:',
    '  schedule:',
    '    - cron: "30 2 * * *"',
    '      timezone: Europe/Berlin',
    '    - cron: "0 9 * * mon-fri"',
    '      timezone: America/New_York',
    '      overlap: queue',
    '      catch_up: last',
    '      catch_up_window: 6h',
    '      jitter: 30s',
    '      inputs: { target: staging }',
    'inputs:',
    '  target: { type: string, default: production }',
    'steps:',
    '  - run: echo "${{ inputs.target }}"',
    '',
  ].join('\n'),
  'flows/parts/helper.yaml': 'name: helper\nsteps:\n  - run: "true"\n',
  'broken/bad.yaml': 'name: bad\non:\n  schedule:\n    - cron: "0 3 * *"\n      timezone: Europe/Moskow\nsteps:\n  - run: "true"\n',
});

describe('arq validate', () => {
  it('reports a bad cron line and a bad time zone at their line and column, with what was expected', async () => {
    const result = await runCli(['validate', 'broken/bad.yaml'], dir);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe([
      'broken/bad.yaml:4:14: Cron line "0 3 * *" has 4 fields; expected 5 fields (minute hour day-of-month month day-of-week), 6 with seconds first, or @yearly, @monthly, @weekly, @daily, @hourly [schedule.cron]',
      'broken/bad.yaml:5:17: Unknown time zone "Europe/Moskow". Did you mean "Europe/Moscow"? Expected an IANA time zone name like Europe/Berlin or UTC [schedule.timezone]',
      '2 problems found',
      '',
    ].join('\n'));
  });
});

describe('arq schedule --list and --next', () => {
  it('--next 3 --from a time before the fall-back shows the firings in each zone, the repeated hour explained', async () => {
    const result = await runCli(['schedule', '--next', '3', '--from', '2026-10-24T12:00:00Z', 'flows/nightly.yaml'], dir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe([
      'nightly  flows/nightly.yaml',
      '  #1  "30 2 * * *" in Europe/Berlin  (overlap: skip, catch_up: none)',
      '      Sun 2026-10-25 02:30:00 +02:00  (the clock falls back: 02:30 happens twice and fires the first time only)',
      '      Mon 2026-10-26 02:30:00 +01:00',
      '      Tue 2026-10-27 02:30:00 +01:00',
      '  #2  "0 9 * * mon-fri" in America/New_York  (overlap: queue, catch_up: last within 6h, jitter: 30s, inputs: {"target":"staging"})',
      '      Mon 2026-10-26 09:00:00 -04:00',
      '      Tue 2026-10-27 09:00:00 -04:00',
      '      Wed 2026-10-28 09:00:00 -04:00',
      '',
    ].join('\n'));
  });

  it('--list of a folder shows every scheduled workflow in it (sub-workflows without a schedule are left out), across the spring-forward', async () => {
    const result = await runCli(['schedule', '--list', '--next', '2', '--from', '2026-03-28T12:00:00Z', 'flows'], dir);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').slice(0, 4)).toEqual([
      'nightly  flows/nightly.yaml',
      '  #1  "30 2 * * *" in Europe/Berlin  (overlap: skip, catch_up: none)',
      '      Sun 2026-03-29 03:00:00 +02:00  (the clock jumps from 02:00 to 03:00: firings in between run at the jump)',
      '      Mon 2026-03-30 02:30:00 +02:00',
    ]);
    expect(result.stdout).not.toContain('helper');
  });

  it('a folder with a broken workflow lists its problems and exits 2; a bad --from is a usage error', async () => {
    const broken = await runCli(['schedule', '--list', 'broken'], dir);
    expect(broken.code).toBe(2);
    expect(broken.stderr.split('\n').at(-2)).toBe('2 problems found');
    const badFrom = await runCli(['schedule', '--next', '2', '--from', 'yesterday', 'flows'], dir);
    expect(badFrom.code).toBe(2);
    expect(badFrom.stderr).toBe('--from expects a date and time like 2026-10-24T00:00:00Z (without an offset: the machine\'s time); found "yesterday"\n');
  });

  it('a folder that does not exist is a usage error, for the scheduler too', async () => {
    const result = await runCli(['schedule', 'no-such-folder'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('no-such-folder does not exist; expected a folder of workflows (or a workflow file)\n');
  });
});
