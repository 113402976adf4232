/** `uses: workflow`: runs a checked sub-workflow inside the same run, as a child of the calling step. */
import { StepError } from '../../steps/contract.js';
import type { StepNode } from '../model/types.js';
import type { Frame } from './frame.js';
import { createInstance, resolveSecrets, runInstance } from './instance.js';
import { applyInputs } from './inputs.js';

export async function runSubworkflow(frame: Frame, node: StepNode, given: Record<string, unknown>, signal: AbortSignal): Promise<unknown> {
  const workflow = node.workflow!;
  const { runtime } = frame;
  const inputs = applyInputs(workflow, given, (message) => new StepError('workflow.input', message));
  const secrets = resolveSecrets(workflow, runtime.options.secretEnv ?? runtime.options.baseEnv);
  runtime.addSecrets(Object.values(secrets));
  // The items around the calling step make its steps' keys (journal, logs, resume) one per item.
  const child = createInstance(runtime, workflow, inputs, secrets, `${frame.instance.prefix}${node.id}/`, frame.scope.itemPath());
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  const result = await runInstance(child, controller.signal).finally(() => signal.removeEventListener('abort', onAbort));
  if (result.status === 'succeeded') return result.outputs;
  throw new StepError('workflow.failed', `Sub-workflow "${workflow.name}" ${result.status}${result.error ? `: ${result.error}` : ''}`);
}
