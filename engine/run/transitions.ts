/**
 * What happens when a step's actor ends: the actions and the guard behind the names in the
 * compiled configs, also used directly by coordinators that run a step actor without a machine.
 */
import { setTimeout as wait } from 'node:timers/promises';
import { fromPromise } from 'xstate';
import type { RetryPolicy, StepNode } from '../model/types.js';
import { formatDuration } from '../model/duration.js';
import { executeStep, Halted, Interrupted, Replayed, ReplayedFailure, Skipped } from './execute.js';
import type { Frame } from './frame.js';
import { claim, errorMessage, finishStep } from './record.js';

export interface Ctx { frame: Frame }
export interface StepParams { id: string; then?: 'retry' | 'continue' | 'fail'; timeout?: boolean }
export type Args = { context: Ctx; event: { output?: unknown; error?: unknown } };

/** Delay before attempt k+1: backoff * factor^(k-1), capped, with optional jitter. */
export function backoffDelay(policy: RetryPolicy, failedAttempt: number, random: () => number = Math.random): number {
  const raw = policy.backoffMs * policy.factor ** (failedAttempt - 1);
  const capped = policy.maxDelayMs === undefined ? raw : Math.min(raw, policy.maxDelayMs);
  const jittered = capped * (1 + policy.jitter * (2 * random() - 1));
  return Math.max(0, Math.round(jittered));
}

export function stepDone({ context, event }: Args, { id }: StepParams): void {
  recordDone(context.frame, context.frame.node(id), event.output);
}

/** stepDone for a coordinator that has the step at hand (no action arguments to build). */
export function recordDone(frame: Frame, node: StepNode, output: unknown): void {
  const attempt = frame.attempts.get(node.id) ?? 1;
  if (output instanceof Skipped) return finishStep(frame, node, attempt, { status: 'skipped', error: `Skipped: ${output.reason}` });
  if (output instanceof Replayed) return finishStep(frame, node, attempt, { status: 'succeeded', outputs: output.outputs as Record<string, unknown>, replayed: true });
  finishStep(frame, node, attempt, { status: 'succeeded', outputs: (output ?? {}) as Record<string, unknown> });
}

export function attemptFailed({ context, event }: Args, { id, then, timeout }: StepParams): void {
  const { frame } = context;
  const node = frame.node(id);
  const attempt = frame.attempts.get(id) ?? 1;
  const error = timeout ? `Timed out after ${formatDuration(node.timeoutMs!)}` : errorMessage(event.error);
  if (event.error instanceof Halted) return finishStep(frame, node, attempt, { status: 'skipped', error: `Not started: ${error}` });
  if (event.error instanceof Interrupted) return finishStep(frame, node, attempt, { status: 'cancelled', error });
  if (then !== 'retry') return finishStep(frame, node, attempt, { status: 'failed', error, continued: then === 'continue' });
  claim(frame, id, attempt);
  startWaiting(frame, id);
  const delay = backoffDelay(node.retry!, attempt);
  frame.nextDelay.set(id, delay);
  const { runtime } = frame;
  runtime.emit({ type: 'step.retrying', run: runtime.runId, step: frame.eventId(id), attempt, delay_ms: delay, error, time: Date.now(), item: frame.itemIndex(), items: frame.itemPath() });
}

export function canRetry({ context, event }: Args, { id }: StepParams): boolean {
  const { frame } = context;
  if (event.error instanceof Halted || event.error instanceof ReplayedFailure || frame.halt.halted()) return false;
  return (frame.attempts.get(id) ?? 1) < (frame.node(id).retry?.attempts ?? 1);
}

/** The actor of one step attempt (an action, or a composite step's coordinator), registered by name. */
export const stepActor = fromPromise<unknown, { frame: Frame; id: string }>(({ input, signal }) => executeStep(input.frame, input.id, signal));

/** Waits until a timed-out attempt has released everything (its processes are gone); never fails. */
export const stoppedActor = fromPromise<void, { frame: Frame; id: string }>(async ({ input, signal }) => {
  // Stopped while waiting (the timeout of a step around it): a step on its way to a retry has no
  // attempt running that could record it.
  signal.addEventListener('abort', () => input.frame.waiting.get(input.id)?.(), { once: true });
  await input.frame.inflight.get(input.id)?.catch(() => undefined);
});

/**
 * The wait before the next attempt. A step waiting there has no attempt running that could record
 * it, so a cancel (or the timeout of a step around it) records it as cancelled here.
 */
export const backoffActor = fromPromise<void, { frame: Frame; id: string }>(({ input, signal }) => {
  const { frame, id } = input;
  const waited = wait(frame.nextDelay.get(id) ?? 0, undefined, { signal }).then(
    () => stopWaiting(frame, id),
    () => frame.waiting.get(id)?.(),
  );
  return frame.instance.control.track(waited);
});

/** Registers a step as waiting for its next attempt (called when a retry is decided). */
export function startWaiting(frame: Frame, id: string): void {
  const attempt = frame.attempts.get(id) ?? 1;
  const record = () => {
    stopWaiting(frame, id);
    const error = frame.instance.control.cancelled ? 'Cancelled' : 'Stopped: the step around it ended';
    finishStep(frame, frame.node(id), attempt, { status: 'cancelled', error }, attempt + 0.5);
  };
  frame.waiting.set(id, record);
  frame.instance.control.waiting.add(record);
}

export function stopWaiting(frame: Frame, id: string): void {
  const record = frame.waiting.get(id);
  if (!record) return;
  frame.waiting.delete(id);
  frame.instance.control.waiting.delete(record);
}
