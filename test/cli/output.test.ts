import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir, writeFiles } from '../helpers/workflow.js';

const dir = tempDir('arq-output-');
writeFiles(dir, {
  'loud.yaml': 'name: loud\nsteps:\n  - id: many\n    run: seq 1 30000\n',
  'secret.yaml': [
    'name: secret',
    'secrets:',
    '  S: { env: ARQ_TEST_SECRET }',
    'steps:',
    '  - id: hi',
    '    run: echo hi',
    '  - id: keyed',
    '    run: |',
    '      printf \'{"%s": 1}\' "$ARQ_TEST_SECRET"',
    '    outputs: { from: stdout, decode: json }',
    'outputs:',
    '  keyed: ${{ steps.keyed.outputs }}',
    '',
  ].join('\n'),
});

describe('arq run output', () => {
  it('writes every line to a pipe before it exits, the last JSON event included', async () => {
    const result = await runCli(['run', 'loud.yaml', '--json'], dir);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1 + 1 + 30000 + 1 + 1);
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ type: 'run.finished', status: 'succeeded' });
    expect(JSON.parse(lines.at(-3)!)).toMatchObject({ type: 'step.log', line: '30000' });
  });

  it('masks a secret in what steps produce, keys included, and never in arq\'s own words', async () => {
    // "succeeded" contains the secret "ucce": masking it there would change the run's status.
    const result = await runCli(['run', 'secret.yaml', '--json'], dir, { ...process.env, ARQ_TEST_SECRET: 'ucce' });
    expect(result.code).toBe(0);
    const events = result.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events.map((e) => e.type)).toEqual(['run.started', 'step.started', 'step.log', 'step.finished', 'step.started', 'step.log', 'step.finished', 'run.finished']);
    expect(events.at(-1)).toMatchObject({ status: 'succeeded', outputs: { keyed: { '***': 1, exit_code: 0, stdout: '{"***": 1}', stderr: '' } } });
    expect(events[5]).toMatchObject({ step: 'keyed', line: '{"***": 1}' });
  });
});
