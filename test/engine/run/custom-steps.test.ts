import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WorkflowError } from '../../../engine/errors.js';
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
});

describe('custom step types (uses: ./module.js)', () => {
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
