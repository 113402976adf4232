/** `uses: workflow`: runs a checked sub-workflow inside the same run, as a child of the calling step. */
import { StepError } from '../../steps/contract.js';
import type { StepNode, Workflow } from '../model/types.js';
import type { Frame } from './frame.js';
import { createInstance, resolveSecrets, runInstance, type InstanceResult } from './instance.js';
import { applyInputs } from './inputs.js';

/**
 * Runs `workflow` as a child of the step `node` (a sub-workflow, a team): its steps report as
 * `NODE/STEP`, keyed by the items around the calling step, and stop when the step is stopped.
 */
export async function runChildInstance(frame: Frame, node: StepNode, workflow: Workflow, inputs: Record<string, unknown>, secrets: Record<string, string>, signal: AbortSignal): Promise<InstanceResult> {
  // The items around the calling step make its steps' keys (journal, logs, resume) one per item.
  const child = createInstance(frame.runtime, workflow, inputs, secrets, `${frame.instance.prefix}${node.id}/`, frame.scope.itemPath());
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  return runInstance(child, controller.signal).finally(() => signal.removeEventListener('abort', onAbort));
}

export async function runSubworkflow(frame: Frame, node: StepNode, given: Record<string, unknown>, signal: AbortSignal): Promise<unknown> {
  const workflow = node.workflow!;
  const { runtime } = frame;
  const inputs = applyInputs(workflow, given, (message) => new StepError('workflow.input', message));
  const secrets = resolveSecrets(workflow, runtime.options.secretEnv ?? runtime.options.baseEnv);
  runtime.addSecrets(Object.values(secrets));
  const result = await runChildInstance(frame, node, workflow, inputs, secrets, signal);
  if (result.status === 'succeeded') return result.outputs;
  throw new StepError('workflow.failed', `Sub-workflow "${workflow.name}" ${result.status}${result.error ? `: ${result.error}` : ''}`);
}
