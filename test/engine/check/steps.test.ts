/** Building steps from YAML: ids, paths, keys in the wrong place, bodies and durations, with exact messages and places. */
import { describe, expect, it } from 'vitest';

import { checkWorkflow } from '../../../engine/check/workflow.js';
import { parseWorkflowText } from '../../../engine/load/load.js';
import { problemsIn, yaml } from './helpers.js';

async function stepsOf(text: string) {
  const workflow = await checkWorkflow(parseWorkflowText(text, 'wf.yaml'));
  return [...workflow.stepsById.values()];
}

describe('step ids', () => {
  it('report a duplicate at the second id, naming where the first one is, in nested lists and handlers too', async () => {
    expect(await problemsIn(yaml(
      'steps:',
      '  - id: group',
      '    steps:',
      '      - id: one',
      '        run: echo 1',
      '  - id: one',
      '    run: echo again',
      'finally:',
      '  - id: group',
      '    uses: noop',
    ))).toEqual([
      [6, 9, 'step.duplicate_id', 'Duplicate step id "one": already used at line 4, column 13; step ids must be unique in the whole workflow'],
      [9, 9, 'step.duplicate_id', 'Duplicate step id "group": already used at line 2, column 9; step ids must be unique in the whole workflow'],
    ]);
  });

  it('made up for steps without one skip every id written in the file, wherever it is written', async () => {
    const steps = await stepsOf(yaml(
      'steps:',
      '  - run: echo one',
      '  - id: step_1',
      '    run: echo two',
      '  - uses: noop',
      '  - id: group',
      '    steps:',
      '      - id: step_3',
      '        uses: noop',
      '      - uses: noop',
    ));
    expect(steps.map((s) => [s.id, s.named, s.path, s.label])).toEqual([
      ['step_2', false, ['steps', 0], 'echo one'],
      ['step_1', true, ['steps', 1], 'step_1'],
      ['step_4', false, ['steps', 2], 'noop'],
      ['group', true, ['steps', 3], 'group'],
      ['step_3', true, ['steps', 3, 'steps', 0], 'step_3'],
      ['step_5', false, ['steps', 3, 'steps', 1], 'noop'],
    ]);
  });
});

describe('a built step', () => {
  it('has its fields in the order the compiler and the journal have always seen them', async () => {
    const [noop, shell] = await stepsOf(yaml('steps:', '  - id: a', '    uses: noop', '  - id: b', '    run: "true"', '    timeout: 5s'));
    expect(Object.keys(noop!)).toEqual(['id', 'named', 'kind', 'path', 'label', 'continueOnError', 'needs', 'timeoutMs', 'retry', 'uses', 'with', 'scriptVars']);
    expect(noop).toStrictEqual({
      id: 'a', named: true, kind: 'action', path: ['steps', 0], label: 'a', continueOnError: false, needs: [],
      timeoutMs: undefined, retry: undefined, uses: 'noop', with: { kind: 'const', value: {} }, scriptVars: undefined,
    });
    expect(shell).toMatchObject({ path: ['steps', 1], timeoutMs: 5000, uses: 'shell', with: { kind: 'const', value: { run: 'true' } } });
  });

  it('keeps copies of what was written: its needs and its inputs are not the parsed document', async () => {
    const doc = parseWorkflowText(yaml('steps:', '  - id: a', '    uses: noop', '  - id: b', '    needs: [a]', '    uses: fail', '    with: { message: boom }'), 'wf.yaml');
    const b = (await checkWorkflow(doc)).stepsById.get('b')!;
    const raw = (doc.data as { steps: Record<string, unknown>[] }).steps[1]!;
    expect(b.needs).toEqual(['a']);
    expect(b.needs).not.toBe(raw.needs);
    expect(b.with).toEqual({ kind: 'const', value: { message: 'boom' } });
    expect(b.with!.kind === 'const' && b.with!.value).not.toBe(raw.with);
  });
});

describe('keys that belong to another kind of step', () => {
  it('are reported at the key, in the order with, shell, cwd, concurrency', async () => {
    expect(await problemsIn(yaml(
      'steps:',
      '  - id: a',
      '    uses: noop',
      '    with: {}',
      '    shell: bash',
      '    cwd: /tmp',
      '    concurrency: 2',
      '  - id: b',
      '    run: echo b',
      '    with: { x: 1 }',
      '    concurrency: 3',
    ))).toEqual([
      [5, 5, 'step.misplaced_key', '"shell" only applies to a step with run:'],
      [6, 5, 'step.misplaced_key', '"cwd" only applies to a step with run:'],
      [7, 5, 'step.misplaced_key', '"concurrency" only applies to a step with foreach:'],
      [10, 5, 'step.misplaced_key', '"with" only applies to a step with uses:'],
      [11, 5, 'step.misplaced_key', '"concurrency" only applies to a step with foreach:'],
    ]);
  });
});

describe('what a step runs', () => {
  it('is exactly one of run, uses, steps and parallel, and foreach takes no parallel', async () => {
    expect(await problemsIn(yaml(
      'steps:',
      '  - id: a',
      '    run: echo a',
      '    uses: noop',
      '    steps: []',
      '  - id: b',
      '    name: nothing',
      '  - name: unnamed',
      '  - id: c',
      '    foreach: [1, 2]',
      '    parallel: []',
    ))).toEqual([
      [4, 5, 'step.many_bodies', 'A step takes only one of run:, uses:, steps: or parallel:; found run: and uses: and steps:'],
      [6, 5, 'step.no_body', 'Step "b" has nothing to run; expected one of run:, uses:, steps: or parallel:'],
      [8, 5, 'step.no_body', 'This step has nothing to run; expected one of run:, uses:, steps: or parallel:'],
      [11, 5, 'step.foreach_parallel', 'foreach: runs its body once per item; give the body as run:, uses: or steps:, not parallel:'],
    ]);
  });
});

describe('durations', () => {
  it('too long for a timer are reported in defaults, timeout and retry, at the value', async () => {
    expect(await problemsIn(yaml(
      'defaults:',
      '  timeout: 600h',
      'steps:',
      '  - id: a',
      '    run: echo a',
      '    timeout: 601h',
      '    retry: { attempts: 2, backoff: 602h, max_delay: 603h }',
      '  - id: b',
      '    uses: noop',
      '    timeout: 0ms',
    ))).toEqual([
      [2, 12, 'duration.too_long', 'Duration "600h" is too long: at most 24 days (2147483647 ms)'],
      [6, 14, 'duration.too_long', 'Duration "601h" is too long: at most 24 days (2147483647 ms)'],
      [7, 36, 'duration.too_long', 'Duration "602h" is too long: at most 24 days (2147483647 ms)'],
      [7, 53, 'duration.too_long', 'Duration "603h" is too long: at most 24 days (2147483647 ms)'],
      [10, 14, 'duration.too_short', 'Duration "0ms" is too short: a timeout must be at least 1ms'],
    ]);
  });
});

describe('a step type that needs a permission', () => {
  it('is reported at its uses: unless the workflow grants it', async () => {
    const page = ['  - id: page', '    uses: browser.eval', '    with: { script: "return 1" }', '  - id: quiet', '    uses: noop'];
    expect(await problemsIn(yaml('steps:', ...page))).toEqual([
      [3, 11, 'permission.missing', 'Step "page" uses "browser.eval", which runs the workflow\'s JavaScript in the browser\'s page: allow it with `permissions: { browser_eval: true }` at the top of the workflow'],
    ]);
    expect(await problemsIn(yaml('permissions: { browser_eval: true }', 'steps:', ...page))).toEqual([]);
  });
});
