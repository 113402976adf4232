/** A step context built by hand, for calling a step type's `run` directly, without an engine around it. */
import { join } from 'node:path';
import { RunResources } from '../../engine/run/resources.js';
import type { StepContext } from '../../steps/contract.js';

/**
 * The context the engine would give a step working in `workdir`: that folder alone allowed, a
 * scratch folder under it, no environment, logs dropped; `overrides` replace any of it.
 *
 * @example
 * await fsRead.run({ path: 'a.txt' }, stepContext(dir, { signal: controller.signal }));
 */
export function stepContext(workdir: string, overrides: Partial<StepContext> = {}): StepContext {
  return {
    signal: new AbortController().signal, stepId: 'test', attempt: 1, workdir,
    allowedPaths: [workdir], tmpdir: join(workdir, 'tmp'), env: {}, log: () => undefined,
    run: new RunResources('test-run', join(workdir, 'artifacts')),
    ...overrides,
  };
}
