/** Records how a step ended: in its scope (for `steps.ID`), in its halt scope, and as an event. */
import type { StepNode } from '../model/types.js';
import type { Frame } from './frame.js';
import type { StepStatus, StepView } from './scope.js';
import { shownId } from '../model/ids.js';

export interface Ending {
  readonly status: StepStatus;
  readonly outputs?: StepView['outputs'];
  readonly error?: string;
  /** A failure that continue_on_error lets the workflow go past. */
  readonly continued?: boolean;
  /** Taken from the journal (arq resume), not run again. */
  readonly replayed?: boolean;
}

const finished = new WeakMap<Frame, Map<string, number>>();

/** Whether this attempt was already recorded (a cancel can race a timeout or a late result); marks it recorded. */
export function claim(frame: Frame, id: string, attempt: number): boolean {
  let byId = finished.get(frame);
  if (!byId) finished.set(frame, (byId = new Map()));
  if (byId.get(id) === attempt) return false;
  byId.set(id, attempt);
  return true;
}

/** Records the end of a step, once per attempt (`claimAs` names a wait between attempts instead). */
export function finishStep(frame: Frame, node: StepNode, attempt: number, ending: Ending, claimAs = attempt): void {
  if (!claim(frame, node.id, claimAs)) return;
  const conclusion = ending.continued ? 'succeeded' : ending.status;
  frame.scope.set(node.id, { status: ending.status, outcome: ending.status, conclusion, outputs: ending.outputs ?? {}, error: ending.error });
  if (ending.status === 'failed' && !ending.continued) frame.halt.fail(failureReason(frame, node, ending.error));
  const { runtime } = frame;
  const started = frame.started.get(node.id);
  runtime.emit({
    type: 'step.finished', run: runtime.runId, step: frame.eventId(node.id), label: node.label, status: ending.status,
    time: Date.now(), duration_ms: started === undefined ? 0 : Date.now() - started, attempts: attempt,
    error: ending.error, outputs: ending.outputs, item: frame.itemIndex(), items: frame.itemPath(), continued: ending.continued || undefined, replayed: ending.replayed,
  });
}

/** `Step "ID" failed: ERROR`, naming the foreach item it failed in; ids as the user wrote them. */
function failureReason(frame: Frame, node: StepNode, error = 'unknown error'): string {
  const id = shownId(node.id);
  const item = frame.itemIndex();
  // A foreach's inline body already named the foreach: `Step "fe" (item 0) failed: ...` is enough.
  if (error.startsWith(`Step "${id}" (item `)) return error;
  return `Step "${id}"${item === undefined ? '' : ` (item ${item})`} failed: ${error}`;
}

/** The message of anything a step threw. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
