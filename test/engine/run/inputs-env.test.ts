import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../engine/errors.js';
import { runWorkflow } from '../../../engine/run/run.js';
import { checkText, finishedOf, logLines, runText, tempDir, writeFiles } from '../../helpers/workflow.js';

const dir = tempDir('arq-inputs-');

const typed = `
name: typed
inputs:
  name: { type: string, required: true, description: who to greet }
  count: { type: number, default: 2 }
  loud: { type: boolean, default: false }
  tags: { type: list, default: [a, b] }
  meta: { type: object, default: { k: v } }
  level: { type: string, enum: [low, high], default: low }
steps:
  - id: show
    uses: noop
    with: { name: "\${{ inputs.name }}", count: "\${{ inputs.count }}", loud: "\${{ inputs.loud }}", tags: "\${{ inputs.tags }}", meta: "\${{ inputs.meta }}", level: "\${{ inputs.level }}" }
`;

describe('inputs', () => {
  it('keeps their types and fills in defaults', async () => {
    const { result, events } = await runText(typed, dir, { inputs: { name: 'ann', count: 5 } });
    expect(result.status).toBe('succeeded');
    expect(finishedOf(events, 'show').outputs).toEqual({ name: 'ann', count: 5, loud: false, tags: ['a', 'b'], meta: { k: 'v' }, level: 'low' });
    expect(events[0]).toMatchObject({ type: 'run.started', inputs: { name: 'ann', count: 5, loud: false, tags: ['a', 'b'], meta: { k: 'v' }, level: 'low' } });
  });

  it('refuses to start without a required input, with a message that says how to give it', async () => {
    const workflow = await checkText(typed, dir);
    const error = await runWorkflow(workflow, { workdir: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe('Missing required input "name" (who to greet): pass --input name=VALUE');
  });

  it('refuses values of the wrong type, outside the enum, and unknown inputs', async () => {
    const workflow = await checkText(typed, dir);
    const message = (inputs: Record<string, unknown>) => runWorkflow(workflow, { workdir: dir, inputs }).then(() => 'ran', (e: Error) => e.message);
    expect(await message({ name: 'ann', count: 'five' })).toBe('Input "count" must be a number; found the string "five"');
    expect(await message({ name: 'ann', level: 'mid' })).toBe('Input "level" must be one of "low", "high"; found the string "mid"');
    expect(await message({ name: 'ann', colour: 'red' })).toBe('Unknown input "colour"; typed takes name, count, loud, tags, meta, level');
  });
});

describe('env', () => {
  it('layers workflow, group and step env, the innermost winning, over the process env', async () => {
    const yaml = `
name: layers
env: { A: wf, B: wf, C: wf, FROM_INPUT: "\${{ inputs.x }}" }
inputs:
  x: { type: string, default: given }
steps:
  - id: group
    env: { B: group, C: group }
    steps:
      - id: inner
        env: { C: step }
        run: echo "$A $B $C $FROM_INPUT $BASE"
  - id: outer
    run: echo "$A $B $C \${{ env.A }}"
  - id: computed
    env: { D: "\${{ env.A }}-\${{ steps.outer.outputs.stdout }}" }
    run: echo "$D"
`;
    const { result, events } = await runText(yaml, dir, { env: { BASE: 'base', PATH: process.env.PATH } });
    expect(result.status).toBe('succeeded');
    expect(logLines(events, 'inner')).toEqual(['wf group step given base']);
    expect(logLines(events, 'outer')).toEqual(['wf wf wf wf']);
    expect(logLines(events, 'computed')).toEqual(['wf-wf wf wf wf']);
  });

  it('hands the step only the env it was given, not the test runner\'s own', async () => {
    process.env.ARQ_TEST_NOT_PASSED = 'leak';
    try {
      const { events } = await runText('name: clean-env\nsteps:\n  - id: s\n    run: echo "[$ARQ_TEST_NOT_PASSED]"\n', dir, { env: { PATH: process.env.PATH } });
      expect(logLines(events, 's')).toEqual(['[]']);
    } finally {
      delete process.env.ARQ_TEST_NOT_PASSED;
    }
  });
});

describe('secrets', () => {
  it('masks secret values as *** in logs, outputs, errors and the run result', async () => {
    const yaml = `
name: secretive
secrets:
  token: { env: MY_TOKEN }
steps:
  - id: use
    run: echo "token=$T"; echo "raw=$MY_TOKEN"; echo "value=$T" >> "$ARQ_OUTPUT"
    env: { T: "\${{ secrets.token }}" }
  - id: fail
    run: echo "bad $MY_TOKEN" >&2; exit 1
    continue_on_error: true
outputs:
  leaked: \${{ steps.use.outputs.value }}
`;
    const secret = 'hunter2-s3cr3t';
    const { result, events } = await runText(yaml, dir, { env: { MY_TOKEN: secret, PATH: process.env.PATH } });
    expect(result.status).toBe('succeeded');
    expect(logLines(events, 'use')).toEqual(['token=***', 'raw=***']);
    expect(finishedOf(events, 'use').outputs).toEqual({ exit_code: 0, stdout: 'token=***\nraw=***', stderr: '', value: '***' });
    expect(finishedOf(events, 'fail').error).toBe('Command failed with exit code 1: echo "bad $MY_TOKEN" >&2; exit 1\nbad ***');
    expect(result.outputs).toEqual({ leaked: '***' });
    expect(JSON.stringify(events)).not.toContain(secret);
    expect(JSON.stringify(result)).not.toContain(secret);
  });

  it('masks each line of a multi-line secret', async () => {
    const yaml = 'name: multi\nsecrets:\n  key: { env: KEY }\nsteps:\n  - id: s\n    run: printf \'%s\\n\' "$KEY"\n';
    const { events } = await runText(yaml, dir, { env: { KEY: 'first-line-x\nsecond-line-y', PATH: process.env.PATH } });
    expect(logLines(events, 's')).toEqual(['***', '***']);
  });

  it('refuses to start when a required secret is missing', async () => {
    const workflow = await checkText('name: needs-secret\nsecrets:\n  token: { env: ABSENT_TOKEN_X }\nsteps:\n  - uses: noop\n', dir);
    const error = await runWorkflow(workflow, { workdir: dir, env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe('Secret "token" is missing: set the environment variable ABSENT_TOKEN_X');
  });

  it('refuses to start when a sub-workflow called later misses a secret, before any step runs', async () => {
    writeFiles(dir, { 'sub-secret.yaml': 'name: sub\nsecrets:\n  key: { env: ABSENT_SUB_KEY_X }\nsteps:\n  - uses: noop\n' });
    const workflow = await checkText('name: caller\nsteps:\n  - id: first\n    run: touch first.ran\n  - uses: workflow\n    with: { path: sub-secret.yaml }\n', dir);
    const events: unknown[] = [];
    const error = await runWorkflow(workflow, { workdir: dir, env: {}, onEvent: (e) => events.push(e) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe('Secret "key" is missing: set the environment variable ABSENT_SUB_KEY_X');
    expect(events).toEqual([]);
  });

  it('refuses a working directory that does not exist', async () => {
    const workflow = await checkText('name: wd\nsteps:\n  - uses: noop\n', dir);
    const error = await runWorkflow(workflow, { workdir: `${dir}/absent` }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(`Working directory ${dir}/absent does not exist`);
  });
});
