/** `arq run FILE` as a user runs it: the built CLI in a child process. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createReporter, formatEvent } from '../../engine/cli/reporter.js';
import type { RunEvent } from '../../engine/run/events.js';
import { runCli, startCli } from '../helpers/cli.js';
import { killLeftovers, liveProcesses, uniqueSleep } from '../helpers/processes.js';
import { tempDir, writeFiles } from '../helpers/workflow.js';

const dir = tempDir('arq-cli-run-');
const STACK_FRAME = /\n\s+at /;
const markers: string[] = [];
afterEach(() => markers.splice(0).forEach(killLeftovers));

writeFiles(dir, {
  'hello.yaml': `
name: hello
inputs:
  name: { type: string, required: true }
  times: { type: number, default: 1 }
  loud: { type: boolean, default: false }
  tags: { type: list, default: [] }
  meta: { type: object, default: {} }
steps:
  - id: greet
    run: echo "hello \${{ inputs.name }} x\${{ inputs.times }}"
  - id: mark
    run: touch ran.flag
outputs:
  greeting: \${{ steps.greet.outputs.stdout }}
  summary: "\${{ inputs.loud }} \${{ inputs.tags }} \${{ inputs.meta }}"
`,
  'failing.yaml': `
name: failing
steps:
  - id: broken
    run: echo "first line" >&2; echo "second line" >&2; exit 3
finally:
  - id: cleanup
    run: echo cleaned
`,
  'broken.yaml': 'name: broken\nsteps:\n  - id: a\n    uses: nope\n',
  'inputs.yaml': 'name: Ann\ntimes: 3\nloud: true\ntags: [x, y]\n',
  'dup-inputs.yaml': 'name: Ann\nname: Bob\n',
  'list-inputs.yaml': '- name\n',
  'dry.yaml': 'name: dry\ninputs:\n  who: { type: string, default: me }\nsteps:\n  - id: make\n    run: touch dry.flag\n  - id: group\n    steps:\n      - { id: inner, uses: noop, timeout: 5s }\n',
});

/** The lines of plain output with run ids and durations made stable. */
const normalize = (text: string) => text.replace(/\d{8}-\d{6}-[0-9a-f]{6}/g, 'RUN').replace(/\(\d+(\.\d+)?m?s\)/g, '(T)').replace(/in \d+(\.\d+)?m?s/g, 'in T').split('\n');

describe('arq run', () => {
  it('exits 0 after a successful run and prints one line per event, then the outputs', async () => {
    const result = await runCli(['run', 'hello.yaml', '--input', 'name=Ann'], dir);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(normalize(result.stdout)).toEqual([
      'run RUN started: hello',
      '▶ greet',
      '  greet | hello Ann x1',
      '✓ greet succeeded (T)',
      '▶ mark',
      '✓ mark succeeded (T)',
      'run RUN succeeded in T',
      'outputs: {"greeting":"hello Ann x1","summary":"false [] {}"}',
      '',
    ]);
  });

  it('exits 1 when the workflow fails, prints each line of the error under the step, and still runs finally', async () => {
    const result = await runCli(['run', 'failing.yaml'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    expect(normalize(result.stdout)).toEqual([
      'run RUN started: failing',
      '▶ broken',
      '  broken | first line',
      '  broken | second line',
      '✗ broken failed (T): Command failed with exit code 3: echo "first line" >&2; echo "second line" >&2; exit 3',
      '    first line',
      '    second line',
      '▶ cleanup',
      '  cleanup | cleaned',
      '✓ cleanup succeeded (T)',
      'run RUN failed in T: Step "broken" failed: Command failed with exit code 3: echo "first line" >&2; echo "second line" >&2; exit 3',
      '    first line',
      '    second line',
      '',
    ]);
  });

  it('exits 2 with a clear message and no stack trace for bad inputs and bad files', async () => {
    const cases: [string[], string][] = [
      [['run', 'hello.yaml'], 'Missing required input "name": pass --input name=VALUE\n'],
      [['run', 'hello.yaml', '--input', 'name=a', '--input', 'times=many'], 'Input "times" must be a number; found "many"\n'],
      [['run', 'hello.yaml', '--input', 'name=a', '--input', 'times=0x10'], 'Input "times" must be a number; found "0x10"\n'],
      [['run', 'hello.yaml', '--input', 'name=a', '--input', 'toString=1'], 'Unknown input "toString"; hello takes name, times, loud, tags, meta\n'],
      [['run', 'hello.yaml', '--input', 'name=a', '--input', 'loud=yes'], 'Input "loud" must be true or false; found "yes"\n'],
      [['run', 'hello.yaml', '--input', 'name=a', '--input', 'tags=[x'], 'Input "tags" must be a list written as JSON (e.g. ["a","b"]); found "[x"\n'],
      [['run', 'hello.yaml', '--input', 'name=a', '--input', 'tags={}'], 'Input "tags" must be a list; found a mapping\n'],
      [['run', 'hello.yaml', '--input', 'colour=red'], 'Unknown input "colour"; hello takes name, times, loud, tags, meta\n'],
      [['run', 'hello.yaml', '--input', 'name'], '--input expects name=value; found "name"\n'],
      [['run', 'hello.yaml', '--inputs-file', 'missing.yaml'], 'missing.yaml:1:1: Cannot read file: no such file [load.unreadable]\n'],
      [['run', 'hello.yaml', '--inputs-file', 'dup-inputs.yaml'], 'dup-inputs.yaml:2:1: Duplicate key "name": each key may appear only once in a mapping [yaml.duplicate_key]\n'],
      [['run', 'hello.yaml', '--inputs-file', 'list-inputs.yaml'], 'list-inputs.yaml:1:1: An inputs file must be a mapping of input names to values; found a sequence [load.not_mapping]\n'],
      [['run', 'broken.yaml'], 'broken.yaml:4:11: Unknown step type "nope". Did you mean "noop"? Run `arq steps` to list the step types [step.unknown_type]\n'],
      [['run', 'absent.yaml'], 'absent.yaml:1:1: Cannot read file: no such file [load.unreadable]\n'],
    ];
    const results = await Promise.all(cases.map(([args]) => runCli(args, dir)));
    results.forEach((result, i) => {
      expect({ args: cases[i]![0], code: result.code, stderr: result.stderr, stdout: result.stdout }).toEqual({ args: cases[i]![0], code: 2, stderr: cases[i]![1], stdout: '' });
      expect(result.stderr).not.toMatch(STACK_FRAME);
    });
  });

  it('prints one JSON event per line with --json, with inputs converted to their declared types', async () => {
    const args = ['run', 'hello.yaml', '--json', '--input', 'name=Bo', '--input', 'times=2.5', '--input', 'loud=true', '--input', 'tags=["a",1]', '--input', 'meta={"k":[true]}'];
    const result = await runCli(args, dir);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    const events = lines.map((line) => JSON.parse(line) as RunEvent);
    expect(events.map((e) => `${e.type}${'step' in e ? `:${e.step}` : ''}`)).toEqual([
      'run.started', 'step.started:greet', 'step.log:greet', 'step.finished:greet', 'step.started:mark', 'step.finished:mark', 'run.finished',
    ]);
    expect(events[0]).toMatchObject({ inputs: { name: 'Bo', times: 2.5, loud: true, tags: ['a', 1], meta: { k: [true] } } });
    expect(events.at(-1)).toMatchObject({ status: 'succeeded', outputs: { greeting: 'hello Bo x2.5', summary: 'true ["a",1] {"k":[true]}' } });
    expect(new Set(events.map((e) => e.run)).size).toBe(1);
  });

  it('reads inputs from --inputs-file, and --input wins over it', async () => {
    const result = await runCli(['run', 'hello.yaml', '--json', '--inputs-file', 'inputs.yaml', '--input', 'times=4'], dir);
    expect(result.code).toBe(0);
    const first = JSON.parse(result.stdout.split('\n')[0]!) as RunEvent;
    expect(first).toMatchObject({ type: 'run.started', inputs: { name: 'Ann', times: 4, loud: true, tags: ['x', 'y'], meta: {} } });
  });

  it('prints the plan with --dry-run and runs nothing', async () => {
    const result = await runCli(['run', 'dry.yaml', '--dry-run', '--input', 'who=Cy'], dir);
    expect(result).toEqual({
      code: 0, signal: null, stderr: '',
      stdout: 'workflow dry (dry.yaml)\ninputs: {"who":"Cy"}\nsteps:\n  1. make (uses shell)\n  2. group (sequence)\n     1. inner (uses noop, timeout 5s)\ndry run: nothing was run\n',
    });
    expect(existsSync(join(dir, 'dry.flag'))).toBe(false);
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`cancels on ${signal}: kills the running step's processes, runs finally, exits 130`, async () => {
      const m = uniqueSleep();
      markers.push(m);
      writeFiles(dir, {
        [`cancel-${signal}.yaml`]: `
name: cancel
steps:
  - id: long
    run: echo "long started"; sleep ${m} & sleep ${m}; wait
  - id: never
    run: echo never
finally:
  - id: cleanup
    run: echo "cleanup after \${{ run.status }}"
`,
      });
      const cli = startCli(['run', `cancel-${signal}.yaml`], dir);
      await cli.waitFor('long | long started');
      cli.child.kill(signal);
      const result = await cli.done;
      expect(result.code).toBe(130);
      expect(result.stderr).toBe(`\narq: ${signal} received, cancelling (press Ctrl-C again to kill at once)\n`);
      expect(normalize(result.stdout)).toEqual([
        'run RUN started: cancel',
        '▶ long',
        '  long | long started',
        '⊘ long cancelled (T): Cancelled',
        '▶ cleanup',
        '  cleanup | cleanup after cancelled',
        '✓ cleanup succeeded (T)',
        'run RUN cancelled in T',
        '',
      ]);
      expect(liveProcesses(m)).toEqual([]);
    });
  }

  it('keeps running to a clean end when its output pipe is closed', async () => {
    const cli = startCli(['run', 'hello.yaml', '--input', 'name=Di'], dir);
    cli.child.stdout!.destroy();
    const result = await cli.done;
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
  });
});

describe('the plain reporter', () => {
  const base = { run: 'r1', time: 0 };
  it('prefixes every line of a multi-line log message with its step', () => {
    const lines: string[] = [];
    const report = createReporter('plain', (text) => lines.push(text));
    report({ ...base, type: 'step.log', step: 'build', stream: 'info', line: 'one\ntwo\r\nthree' });
    report({ ...base, type: 'step.log', step: 'each', stream: 'stdout', line: 'a\nb', item: 2 });
    expect(lines.join('')).toBe('  build | one\n  build | two\n  build | three\n  each[2] | a\n  each[2] | b\n');
  });

  it('formats retries, skips, continued failures and items', () => {
    expect(formatEvent({ ...base, type: 'step.retrying', step: 's', attempt: 2, delay_ms: 1500, error: 'boom\nmore' })).toBe('↻ s attempt 2 failed: boom; retrying in 1.5s');
    expect(formatEvent({ ...base, type: 'step.started', step: 's', label: 's', attempt: 3 })).toBe('▶ s (attempt 3)');
    expect(formatEvent({ ...base, type: 'step.finished', step: 's', label: 's', status: 'skipped', duration_ms: 0, attempts: 1, error: 'Skipped: its if: condition was false' })).toBe('- s skipped: its if: condition was false');
    expect(formatEvent({ ...base, type: 'step.finished', step: 's', label: 's', status: 'failed', duration_ms: 20, attempts: 2, error: 'bad', continued: true, item: 0 })).toBe('✗ s[0] failed (20ms, 2 attempts): bad (continue_on_error)');
  });
});
