import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunResources } from '../../../engine/run/resources.js';
import { runText, tempDir, writeFiles } from '../../helpers/workflow.js';

const dir = tempDir('arq-resources-');
// A step holding a run-scoped resource (as a browser session is held): it writes what happens to it to trail.txt.
writeFiles(dir, {
  'steps/hold.mjs': `import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
export const step = {
  type: 'hold',
  description: 'Uses a run-scoped resource.',
  input: { type: 'object', properties: { key: { type: 'string' }, fail: { type: 'boolean' }, release: { type: 'boolean' } } },
  run: async (input, ctx) => {
    const trail = (line) => appendFileSync(join(ctx.workdir, 'trail.txt'), line + '\\n');
    if (input.release) { await ctx.run.release(input.key); return {}; }
    const value = await ctx.run.resource(input.key, async () => { trail('create ' + input.key); return input.key.toUpperCase(); }, async (v) => trail('dispose ' + v));
    trail(ctx.stepId + ' uses ' + value);
    if (input.fail) throw new Error('boom');
    return { value, artifacts: ctx.run.artifactsDir, run: ctx.run.id };
  },
};
`,
});

const trail = (): string[] => readFileSync(join(dir, 'trail.txt'), 'utf8').trim().split('\n');

describe('run-scoped resources (StepContext.run)', () => {
  it('creates a resource once, shares it between steps and disposes of it when the run ends, newest first', async () => {
    writeFiles(dir, { 'trail.txt': '' });
    const { result } = await runText(`name: res
steps:
  - { id: a, uses: ./steps/hold.mjs, with: { key: one } }
  - { id: b, uses: ./steps/hold.mjs, with: { key: two } }
  - { id: c, uses: ./steps/hold.mjs, with: { key: one } }
outputs:
  artifacts: \${{ steps.a.outputs.artifacts }}
  run: \${{ steps.a.outputs.run }}
`, dir, { runId: 'r-1' });
    expect(result.status).toBe('succeeded');
    expect(trail()).toEqual(['create one', 'a uses ONE', 'create two', 'b uses TWO', 'c uses ONE', 'dispose TWO', 'dispose ONE']);
    expect(result.outputs).toEqual({ artifacts: join(dir, '.arq-artifacts', 'r-1'), run: 'r-1' });
  });

  it('disposes of resources when the run fails, and a step may release one early', async () => {
    writeFiles(dir, { 'trail.txt': '' });
    const { result } = await runText(`name: res-fail
steps:
  - { id: a, uses: ./steps/hold.mjs, with: { key: one } }
  - { id: b, uses: ./steps/hold.mjs, with: { key: one, release: true } }
  - { id: c, uses: ./steps/hold.mjs, with: { key: two, fail: true } }
`, dir);
    expect(result.status).toBe('failed');
    expect(trail()).toEqual(['create one', 'a uses ONE', 'dispose ONE', 'create two', 'c uses TWO', 'dispose TWO']);
  });

  it('reports a failing disposer as a warning and still disposes of the others; a failed creation is tried again', async () => {
    const warnings: string[] = [];
    const scope = new RunResources('r', '/tmp/x', (m) => warnings.push(m));
    const order: string[] = [];
    await expect(scope.resource('bad', () => Promise.reject(new Error('no driver')), async () => {})).rejects.toThrow('no driver');
    expect(scope.keys()).toEqual([]);
    await scope.resource('a', async () => 1, async () => void order.push('a'));
    await scope.resource('b', async () => 2, async () => { throw new Error('stuck'); });
    await scope.releaseAll();
    expect(order).toEqual(['a']);
    expect(warnings).toEqual(['Releasing b failed: stuck']);
    expect(scope.keys()).toEqual([]);
  });
});
