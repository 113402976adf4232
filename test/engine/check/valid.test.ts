import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

import { checkWorkflow } from '../../../engine/check/workflow.js';
import { loadWorkflowFile } from '../../../engine/load/load.js';

const FIXTURES = relative(process.cwd(), fileURLToPath(new URL('../../fixtures/valid/', import.meta.url)));
const files = readdirSync(FIXTURES).filter((name) => name.endsWith('.yaml')).sort();

async function check(file: string) {
  const path = join(FIXTURES, file);
  return checkWorkflow(await loadWorkflowFile(path, { displayPath: path }));
}

describe('checking the valid workflows of test/fixtures/valid', () => {
  it('has the fixtures this test expects', () => {
    expect(files).toEqual(['dag.yaml', 'everything.yaml', 'minimal.yaml']);
  });

  it.each(files)('%s checks with no problems', async (file) => {
    await expect(check(file)).resolves.toMatchObject({ file: join(FIXTURES, file) });
  });

  it('builds the model of a workflow that uses every construct', async () => {
    const workflow = await check('everything.yaml');
    expect(workflow.name).toBe('everything');
    expect(workflow.stepsById.size).toBe(21);
    expect(Object.keys(workflow.inputs)).toEqual(['version', 'regions', 'dry_run', 'channel']);
    expect(workflow.inputs.version).toMatchObject({ type: 'string', required: true });
    expect(workflow.inputs.regions).toMatchObject({ type: 'list', required: false, default: ['eu-west', 'us-east'] });
    expect(workflow.secrets).toEqual({
      TOKEN: { env: 'API_TOKEN', file: undefined, required: true },
      SIGNING_KEY: { env: undefined, file: 'signing.key', required: false },
    });
    expect(workflow.main.steps.map((s) => [s.id, s.kind])).toEqual([
      ['build', 'action'], ['checks', 'parallel'], ['pipeline', 'sequence'], ['deploy', 'foreach'],
      ['per_file', 'foreach'], ['announce', 'action'], ['wait', 'action'],
    ]);
    expect(workflow.onFailure.steps.map((s) => s.id)).toEqual(['rollback']);
    expect(workflow.finally.steps.map((s) => s.id)).toEqual(['cleanup', 'report']);
  });

  it('reads the settings of each step, with the workflow defaults where the step has none', async () => {
    const { stepsById } = await check('everything.yaml');
    expect(stepsById.get('build')).toMatchObject({ timeoutMs: 600_000, retry: { attempts: 3, backoffMs: 500, factor: 2, maxDelayMs: 10_000, jitter: 0.2 } });
    expect(stepsById.get('api')).toMatchObject({ timeoutMs: 30_000, continueOnError: true, retry: { attempts: 1 } });
    expect(stepsById.get('disk')).toMatchObject({ timeoutMs: 300_000, continueOnError: false });
    expect(stepsById.get('deploy')).toMatchObject({ concurrency: 2 });
    expect(stepsById.get('pipeline')!.body!.dag).toBe(true);
    expect(stepsById.get('package')!.needs).toEqual(['lint', 'unit']);
    expect(stepsById.get('lint')!.needs).toEqual(['fetch']);
  });

  it('checks the sub-workflow a `uses: workflow` step names, relative to the calling file', async () => {
    const announce = (await check('everything.yaml')).stepsById.get('announce')!;
    expect(announce.workflow).toMatchObject({ name: 'announce', file: join(FIXTURES, 'parts', 'announce.yaml') });
    expect(Object.keys(announce.workflow!.inputs)).toEqual(['message', 'token']);
  });
});
