/**
 * XState implementations behind the names in the compiled configs: the `step`, `group` and `dag`
 * actors, the recording actions, the retry guards and the per-step delays.
 */
import { fromPromise, setup, type AnyStateMachine } from 'xstate';
import type { CompiledWorkflow, JsonValue, StateConfig } from '../compile/compile.js';
import type { RetryPolicy } from '../model/types.js';
import { formatDuration } from '../model/duration.js';
import { executeStep, Halted, Interrupted, Skipped } from './execute.js';
import { instanceFailed, type Frame, type MachineSource, type Section } from './frame.js';
import { runDag, runSection } from './groups.js';
import { claim, errorMessage, finishStep } from './record.js';

interface Ctx { frame: Frame }
interface StepParams { id: string; then?: 'retry' | 'continue' | 'fail'; timeout?: boolean }
type Args = { context: Ctx; event: { output?: unknown; error?: unknown } };

/** Delay before attempt k+1: backoff * factor^(k-1), capped, with optional jitter. */
export function backoffDelay(policy: RetryPolicy, failedAttempt: number, random: () => number = Math.random): number {
  const raw = policy.backoffMs * policy.factor ** (failedAttempt - 1);
  const capped = policy.maxDelayMs === undefined ? raw : Math.min(raw, policy.maxDelayMs);
  const jittered = capped * (1 + policy.jitter * (2 * random() - 1));
  return Math.max(0, Math.round(jittered));
}

function stepDone({ context, event }: Args, { id }: StepParams): void {
  const { frame } = context;
  const node = frame.node(id);
  const attempt = frame.attempts.get(id) ?? 1;
  if (event.output instanceof Skipped) return finishStep(frame, node, attempt, { status: 'skipped', error: `Skipped: ${event.output.reason}` });
  finishStep(frame, node, attempt, { status: 'succeeded', outputs: (event.output ?? {}) as Record<string, unknown> });
}

function attemptFailed({ context, event }: Args, { id, then, timeout }: StepParams): void {
  const { frame } = context;
  const node = frame.node(id);
  const attempt = frame.attempts.get(id) ?? 1;
  const error = timeout ? `Timed out after ${formatDuration(node.timeoutMs!)}` : errorMessage(event.error);
  if (event.error instanceof Halted) return finishStep(frame, node, attempt, { status: 'skipped', error: `Not started: ${error}` });
  if (event.error instanceof Interrupted) return finishStep(frame, node, attempt, { status: 'cancelled', error });
  if (then !== 'retry') return finishStep(frame, node, attempt, { status: 'failed', error, continued: then === 'continue' });
  claim(frame, id, attempt);
  const delay = backoffDelay(node.retry!, attempt);
  frame.nextDelay.set(id, delay);
  const { runtime } = frame;
  runtime.emit({ type: 'step.retrying', run: runtime.runId, step: frame.eventId(id), attempt, delay_ms: delay, error, time: Date.now(), item: frame.itemIndex() });
}

function canRetry({ context, event }: Args, { id }: StepParams): boolean {
  const { frame } = context;
  if (event.error instanceof Halted || frame.halt.halted()) return false;
  return (frame.attempts.get(id) ?? 1) < (frame.node(id).retry?.attempts ?? 1);
}

/** An engine bug must still fail the run, loudly, rather than end it as a success. */
function sectionCrashed({ context: { frame }, event }: Args): void {
  frame.instance.halts.main.fail(`Internal error: ${errorMessage(event.error)}`);
}

function delaysOf(compiled: CompiledWorkflow): Record<string, number | ((args: { context: Ctx }) => number)> {
  const delays: Record<string, number | ((args: { context: Ctx }) => number)> = {};
  for (const [name, spec] of compiled.delays) {
    delays[name] = spec.kind === 'timeout' ? spec.ms : ({ context }) => context.frame.nextDelay.get(spec.step) ?? 0;
  }
  return delays;
}

/** Adds the two functions the JSON config leaves out: context from input, and invoke inputs carrying the frame. */
function materialize(config: StateConfig, root: boolean): Record<string, unknown> {
  const walk = (node: JsonValue): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) out[key] = key === 'invoke' ? withFrame(value as StateConfig) : walk(value);
    return out;
  };
  const out = walk(config) as Record<string, unknown>;
  if (root) out.context = ({ input }: { input: Frame }) => ({ frame: input });
  return out;
}

function withFrame(invoke: StateConfig): Record<string, unknown> {
  const input = invoke.input as Record<string, unknown>;
  return { ...invoke, input: ({ context }: { context: Ctx }) => ({ ...input, frame: context.frame }) };
}

/** The machines of one compiled workflow; block machines are built on first use and reused. */
export class Machines implements MachineSource {
  private readonly impl;
  private readonly cache = new Map<string, AnyStateMachine>();

  constructor(private readonly compiled: CompiledWorkflow) {
    this.impl = setup({
      types: {} as { context: Ctx; input: Frame },
      actors: {
        step: fromPromise<unknown, { frame: Frame; id: string }>(({ input, signal }) => executeStep(input.frame, input.id, signal)),
        group: fromPromise<unknown, { frame: Frame; id: string }>(({ input, signal }) => executeStep(input.frame, input.id, signal)),
        dag: fromPromise<void, { frame: Frame; block: string }>(({ input, signal }) => runDag(input.frame, input.block, signal)),
        section: fromPromise<void, { frame: Frame; block: string; section: Section }>(({ input, signal }) => runSection(input.frame, input.block, input.section, signal)),
      },
      actions: {
        stepDone: stepDone as never,
        attemptFailed: attemptFailed as never,
        cancelRun: (({ context }: Args) => context.frame.instance.control.cancel()) as never,
        sectionCrashed: sectionCrashed as never,
      },
      guards: {
        canRetry: canRetry as never,
        runFailed: (({ context }: Args) => instanceFailed(context.frame.instance)) as never,
        runCancelled: (({ context }: Args) => context.frame.instance.control.cancelled) as never,
      },
      delays: delaysOf(compiled) as never,
    });
  }

  root(): AnyStateMachine {
    return this.impl.createMachine(materialize(this.compiled.root, true) as never) as unknown as AnyStateMachine;
  }

  block(name: string): AnyStateMachine {
    const cached = this.cache.get(name);
    if (cached) return cached;
    const machine = this.impl.createMachine(materialize(this.compiled.block(name), true) as never) as unknown as AnyStateMachine;
    this.cache.set(name, machine);
    return machine;
  }
}

