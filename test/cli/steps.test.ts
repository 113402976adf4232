/** `arq steps [TYPE]`: the step types and their input schemas. */
import { describe, expect, it } from 'vitest';
import { builtinSteps } from '../../steps/registry.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/workflow.js';

const dir = tempDir('arq-cli-steps-');

describe('arq steps', () => {
  it('lists every step type with its description, aligned', async () => {
    const result = await runCli(['steps'], dir);
    expect(result.code).toBe(0);
    const types = [...builtinSteps.keys(), 'workflow'];
    const width = Math.max(...types.map((t) => t.length));
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.map((l) => l.slice(0, width).trimEnd())).toEqual(types);
    expect(lines[0]).toBe(`${'shell'.padEnd(width)}  Runs a script in a shell and kills its whole process tree when the step ends.`);
    expect(lines.at(-1)).toBe(`${'workflow'.padEnd(width)}  Runs another workflow file: with: { path, inputs }.`);
  });

  it('lists them as JSON with --json', async () => {
    const result = await runCli(['steps', '--json'], dir);
    const rows = JSON.parse(result.stdout) as { type: string }[];
    expect(rows.map((r) => r.type)).toEqual([...builtinSteps.keys(), 'workflow']);
  });

  it('prints one type with its input schema', async () => {
    const result = await runCli(['steps', 'shell'], dir);
    expect(result.code).toBe(0);
    const [head, label, ...schema] = result.stdout.split('\n');
    expect(head).toBe('shell: Runs a script in a shell and kills its whole process tree when the step ends.');
    expect(label).toBe('input schema:');
    expect(JSON.parse(schema.join('\n'))).toEqual(builtinSteps.get('shell')!.input);
    const json = JSON.parse((await runCli(['steps', 'shell', '--json'], dir)).stdout) as Record<string, unknown>;
    expect(json).toEqual({ type: 'shell', description: builtinSteps.get('shell')!.description, input: builtinSteps.get('shell')!.input, output: builtinSteps.get('shell')!.output });
  });

  it('exits 2 for an unknown type and suggests the closest one', async () => {
    expect(await runCli(['steps', 'nope'], dir)).toEqual({ code: 2, signal: null, stdout: '', stderr: 'Unknown step type "nope". Did you mean "noop"? Run `arq steps` to list them\n' });
    expect((await runCli(['steps', 'workflw'], dir)).stderr).toBe('Unknown step type "workflw". Did you mean "workflow"? Run `arq steps` to list them\n');
  });
});
