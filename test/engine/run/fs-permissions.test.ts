import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { finishedOf, runText, tempDir } from '../../helpers/workflow.js';

const dir = tempDir('arq-fs-run-');
const outside = tempDir('arq-fs-outside-');
writeFileSync(join(outside, 'secret.txt'), 'not yours\n');
mkdirSync(join(dir, 'work'));

const yaml = (permissions = '') => `name: files
${permissions}inputs:
  target: { type: string, default: notes.txt }
steps:
  - id: write
    uses: fs.write
    with: { path: "\${{ inputs.target }}", content: "hello" }
  - id: read
    uses: fs.read
    with: { path: "\${{ inputs.target }}" }
outputs:
  content: \${{ steps.read.outputs.content }}
`;

describe('file steps in a run', () => {
  it('write and read inside the working directory', async () => {
    const { result } = await runText(yaml(), dir, { workdir: join(dir, 'work') });
    expect(result.status).toBe('succeeded');
    expect(result.outputs).toEqual({ content: 'hello' });
  });

  it('refuse an input that points outside the working directory', async () => {
    const target = `../../${outside.split('/').pop()}/stolen.txt`;
    const { result, events } = await runText(yaml(), dir, { workdir: join(dir, 'work'), inputs: { target } });
    expect(result.status).toBe('failed');
    expect(finishedOf(events, 'write').error).toBe(
      `Path "${target}" resolves to ${join(dir, 'work', target)}, outside the folders this workflow may touch (${join(dir, 'work')}); add it to permissions.paths to allow it`,
    );
  });

  it('allow a folder named in permissions.paths', async () => {
    const { result } = await runText(yaml(`permissions: { paths: [${JSON.stringify(outside)}] }\n`), dir, { workdir: join(dir, 'work'), inputs: { target: join(outside, 'allowed.txt') } });
    expect(result.status).toBe('succeeded');
    expect(result.outputs).toEqual({ content: 'hello' });
  });
});
