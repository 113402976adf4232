/** The run's scratch folder (StepContext.tmpdir): made when a step first needs it, gone when the run ends. */
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runText, tempDir } from '../../helpers/workflow.js';

const dir = tempDir('arq-scratch-');
// os.tmpdir() follows TMPDIR: this file's runs keep their scratch folders where only they look.
const scratchRoot = join(dir, 'tmp');
const savedTmpdir = process.env.TMPDIR;
beforeAll(() => {
  mkdirSync(scratchRoot);
  process.env.TMPDIR = scratchRoot;
});
afterAll(() => {
  if (savedTmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmpdir;
});

describe('the scratch folder of a run', () => {
  it('is never made for a run whose steps do not ask for it', async () => {
    const seen: string[][] = [];
    const { result } = await runText('name: bare\nsteps:\n  - uses: noop\n  - uses: log\n    with: { message: hi }\n', dir, {
      onEvent: () => seen.push(readdirSync(scratchRoot)),
    });
    expect(result.status).toBe('succeeded');
    expect(seen.flat()).toEqual([]);
    expect(readdirSync(scratchRoot)).toEqual([]);
  });

  it('holds a shell step\'s $ARQ_OUTPUT while the run lasts, and is removed when it ends', async () => {
    const yaml = `
name: output
steps:
  - id: where
    run: |
      echo "dir=$(dirname "$ARQ_OUTPUT")" >> "$ARQ_OUTPUT"
      echo "files=$(ls "$(dirname "$ARQ_OUTPUT")" | wc -l)" >> "$ARQ_OUTPUT"
`;
    const { result } = await runText(yaml, dir);
    expect(result.status).toBe('succeeded');
    const outputs = result.steps.where!.outputs as Record<string, unknown>;
    const made = String(outputs.dir);
    expect(made.startsWith(join(scratchRoot, 'arq-run-'))).toBe(true);
    // The step's own output file, which the script has just written into.
    expect(outputs.files).toBe('1');
    expect(readdirSync(scratchRoot)).toEqual([]);
  });
});
