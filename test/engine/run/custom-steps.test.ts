import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WorkflowError } from '../../../engine/errors.js';
import { runCli } from '../../helpers/cli.js';
import { checkText, finishedOf, logLines, runText, tempDir, writeFiles } from '../../helpers/workflow.js';

const dir = tempDir('arq-custom-');
writeFiles(dir, {
  'steps/greet.mjs': `export const step = {
  type: 'greet',
  description: 'Greets someone.',
  input: { type: 'object', additionalProperties: false, required: ['name'], properties: { name: { type: 'string', description: 'Who' } } },
  run: async (input, ctx) => { ctx.log('info', 'hello ' + input.name); return { greeting: 'hello ' + input.name }; },
};
`,
  'steps/empty.mjs': 'export const nothing = 1;\n',
  'steps/show.mjs': `import { inspect } from 'node:util';
export const step = {
  type: 'show',
  description: 'Shows its context as console.log would.',
  input: { type: 'object' },
  run: async (input, ctx) => ({ shown: inspect(ctx), keys: Object.keys(ctx).join(' '), copied: Object.keys({ ...ctx }).length }),
};
`,
});

describe('custom step types (uses: ./module.js)', () => {
  it('get a context that console.log shows as the step, and that lists and spreads its fields', async () => {
    const { result } = await runText('name: show\nsteps:\n  - { id: look, uses: ./steps/show.mjs }\noutputs:\n  o: ${{ steps.look.outputs }}\n', dir);
    expect(result.outputs.o).toEqual({
      shown: `{ stepId: 'look', attempt: 1, workdir: '${dir}' }`,
      keys: 'stepId attempt workdir allowedPaths permissions run log maskSecret describeStep runStep signal env path tmpdir',
      copied: 14,
    });
  });

  it('runs a local module that exports the step contract, with its outputs for later steps', async () => {
    const { result, events } = await runText(`name: custom
inputs:
  who: { type: string, default: Ann }
steps:
  - id: hi
    uses: ./steps/greet.mjs
    with: { name: "\${{ inputs.who }}" }
outputs:
  greeting: \${{ steps.hi.outputs.greeting }}
`, dir);
    expect(result.status).toBe('succeeded');
    expect(result.outputs).toEqual({ greeting: 'hello Ann' });
    expect(logLines(events, 'hi')).toEqual(['hello Ann']);
    expect(finishedOf(events, 'hi').status).toBe('succeeded');
  });

  it('checks the inputs against the module\'s schema, and reports modules that are missing or export no step', async () => {
    const error = await checkText(`name: bad-custom
steps:
  - id: a
    uses: ./steps/greet.mjs
    with: { nme: Ann }
  - id: b
    uses: ./steps/absent.mjs
  - id: c
    uses: ./steps/empty.mjs
`, dir, 'bad.yaml').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowError);
    const lines = (error as WorkflowError).problems.map((p) => `${p.location.line}:${p.location.column} ${p.code} ${p.message}`);
    // Modules are loaded (and reported) before the steps are checked.
    expect(lines).toEqual([
      `7:11 step.module Cannot load the step module ${join(dir, 'steps/absent.mjs')}: no such file`,
      `9:11 step.module The step module ${join(dir, 'steps/empty.mjs')} exports no step: expected \`export const step = { type, description, input, run }\` (or a default export of that shape)`,
      // The misspelt key is reported once: its missing twin "name" is not reported again.
      `5:13 input.unknown_key Unknown key "nme" in the inputs of "greet". Did you mean "name"? Expected one of: name`,
    ]);
  });
});

describe('custom step types named in arq.config.yaml', () => {
  const configured = tempDir('arq-config-');
  writeFiles(configured, {
    'arq.config.yaml': 'steps:\n  greet: ./lib/greet.mjs\n',
    'lib/greet.mjs': `export default {
  type: 'greet',
  description: 'Greets someone.',
  input: { type: 'object', additionalProperties: false, required: ['name'], properties: { name: { type: 'string', description: 'Who' } } },
  run: async (input) => ({ greeting: 'hi ' + input.name }),
};
`,
  });

  it('are used by name by the workflows of their folder', async () => {
    const { result } = await runText('name: named\nsteps:\n  - id: hi\n    uses: greet\n    with: { name: Bo }\noutputs:\n  g: ${{ steps.hi.outputs.greeting }}\n', configured);
    expect(result.status).toBe('succeeded');
    expect(result.outputs).toEqual({ g: 'hi Bo' });
  });

  it('are listed by arq steps, with their schema', async () => {
    const list = await runCli(['steps'], configured);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^greet +Greets someone\. \(custom: arq\.config\.yaml\)$/m);
    const one = await runCli(['steps', 'greet', '--json'], configured);
    expect(JSON.parse(one.stdout)).toMatchObject({ type: 'greet', input: { required: ['name'] } });
  });

  it('may not take a built-in name', async () => {
    writeFiles(configured, { 'clash/arq.config.yaml': 'steps:\n  shell: ./x.mjs\n' });
    const error = await checkText('name: c\nsteps:\n  - uses: noop\n', join(configured, 'clash')).catch((e: unknown) => e);
    expect((error as WorkflowError).problems.map((p) => `${p.location.line}:${p.location.column} ${p.message}`)).toEqual(['2:10 Step type "shell" is built in; give the custom one another name']);
  });
});
