/** Runs one attempt of a step: decide whether it runs, resolve its inputs, call its type. */
import { resolve } from 'node:path';
import { setTimeout as wait } from 'node:timers/promises';
import { builtinSteps } from '../../steps/registry.js';
import { StepError, type LogStream, type StepContext } from '../../steps/contract.js';
import { evaluateCondition, evaluateValue, isConstant, stringifyValue } from '../expr/index.js';
import type { StepNode } from '../model/types.js';
import type { Frame } from './frame.js';
import { finishStep } from './record.js';
import { StepSignal, whenAborted, type Waiter } from './abort.js';
import { contextMaker } from './lazy-context.js';
import { runComposite } from './groups.js';
import { runSubworkflow } from './subworkflow.js';
import { checkStepInput, describeNested, runNested } from './nested.js';
import { runPlan, runTeam } from './team.js';
import type { PlanInput } from '../../steps/agents/plan.js';

/** A step whose `if:` was false: the machine records it as skipped. */
export class Skipped {
  constructor(readonly reason: string) {}
}

/** A step that succeeded before the run was interrupted: its outputs come from the journal. */
export class Replayed {
  constructor(readonly outputs: unknown) {}
}

/** A step that failed before the run was interrupted: it fails again, with its message, without running. */
export class ReplayedFailure extends Error {}

/** A step not started because its group is failing or the run is cancelled. */
export class Halted extends Error {}

/** A group that stopped starting its steps because a step outside it failed (failFast). */
export class Interrupted extends Error {}

/** Evaluates a step's `env:` over the env around it. */
export function stepEnv(frame: Frame, node: StepNode): Readonly<Record<string, string>> {
  if (!node.env) return frame.env;
  const values = evaluateValue(node.env, frame.evalContext()) as Record<string, unknown>;
  const env = { ...frame.env };
  for (const [key, value] of Object.entries(values)) env[key] = stringifyValue(value);
  return env;
}

/** A step whose `if:` calls a status function decides for itself after a failure (not after a cancel). */
function runsAnyway(frame: Frame, node: StepNode): boolean {
  return node.if?.usesStatusFunction === true && !frame.instance.control.cancelled;
}

/**
 * A resumed run: a step that succeeded is not run again; one that was running runs again (or
 * fails with `resume: fail`); one that waited for a retry waits out what was left of the delay.
 */
async function replayStep(frame: Frame, node: StepNode, signal: AbortSignal): Promise<Replayed | undefined> {
  const replay = frame.runtime.options.replay;
  if (!replay || node.kind !== 'action') return undefined;
  const key = frame.replayKey(node.id);
  if (replay.succeeded.has(key)) return new Replayed(replay.succeeded.get(key));
  const failure = replay.failed.get(key);
  if (failure !== undefined) throw new ReplayedFailure(failure);
  const running = replay.running.get(key);
  if (running !== undefined && node.resume === 'fail') {
    throw new StepError('resume.fail', 'The runner stopped while this step ran, and the step says resume: fail');
  }
  // The attempt that was running runs again as the same attempt: its retries are not handed out twice.
  if (running !== undefined) frame.attempts.set(node.id, running);
  const waiting = replay.waiting.get(key);
  if (!waiting) return undefined;
  frame.attempts.set(node.id, waiting.attempt + 1);
  const left = waiting.deadline - Date.now();
  if (left > 0) await wait(left, undefined, { signal });
  return undefined;
}

function shouldRun(frame: Frame, node: StepNode): boolean {
  return node.if === undefined || evaluateCondition(node.if, frame.evalContext());
}

/**
 * What the caller of an attempt does with its end, once the attempt has released everything: its
 * result (or its error) becomes what `ok` or `failed` returns. Given to the attempt itself, so
 * that a step costs one promise for its end, not one for its release and one more for its caller.
 */
export interface Settle<T> {
  ok(output: unknown): T;
  failed(error: unknown): T;
}

/** The attempt's own result: an output, or a rejection with its error (a step actor's promise). */
const PASS_ON: Settle<unknown> = {
  ok: (output) => output,
  failed: (error) => {
    throw error;
  },
};

/** Starts an attempt; the returned promise settles only when the step has released everything. */
export function executeStep(frame: Frame, id: string, signal: AbortSignal): Promise<unknown> {
  return executeNode(frame, frame.node(id), signal, PASS_ON);
}

/**
 * executeStep for a step at hand, settled as `settle` says. Not an async function: a chain of
 * 10,000 steps runs 10,000 of these, and each await or async wrapper is a promise more per step.
 */
export function executeNode<T>(frame: Frame, node: StepNode, signal: AbortSignal, settle: Settle<T>): Promise<T> {
  const { id } = node;
  const attempt = (frame.attempts.get(id) ?? 0) + 1;
  frame.attempts.set(id, attempt);
  if (attempt === 1) {
    try {
      if (frame.halt.halted() && !runsAnyway(frame, node)) throw new Halted(frame.instance.control.cancelled ? 'the run was cancelled' : 'an earlier step failed');
      if (frame.runtime.options.replay) return startReplayed(frame, node, signal, settle);
      if (!shouldRun(frame, node)) return Promise.resolve(new Skipped('its if: condition was false')).then((skipped) => settle.ok(skipped));
    } catch (error) {
      return Promise.reject(error).catch((reason: unknown) => settle.failed(reason));
    }
    frame.started.set(id, Date.now());
  }
  return startAttempt(frame, node, attempt, signal, settle);
}

/** The first attempt of a step in a resumed run: taken from the journal, or run as usual. */
async function startReplayed<T>(frame: Frame, node: StepNode, signal: AbortSignal, settle: Settle<T>): Promise<T> {
  let replayed: Replayed | undefined;
  let runs = false;
  // A failed step of the journal, or an `if:` that cannot be evaluated, fails the step (not the run).
  try {
    replayed = await replayStep(frame, node, signal);
    if (!replayed) runs = shouldRun(frame, node);
  } catch (error) {
    return settle.failed(error);
  }
  if (replayed) return settle.ok(replayed);
  if (!runs) return settle.ok(new Skipped('its if: condition was false'));
  frame.started.set(node.id, Date.now());
  return startAttempt(frame, node, frame.attempts.get(node.id)!, signal, settle);
}

/** What an attempt holds until it settles: its abort listener, its own signal, its place in the counts. */
class Held {
  constructor(private readonly frame: Frame, private readonly stop: Waiter, private readonly own: StepSignal) {
    // Held by the instance (a cancel waits for it) and by every frame around it (a composite stopped
    // by its timeout waits for what its steps still hold: frame.settled()), until it has settled.
    frame.instance.control.enter();
    frame.hold();
  }

  release(): void {
    this.stop.remove();
    this.own.dispose();
    this.frame.instance.control.leave();
    this.frame.release();
  }
}

function startAttempt<T>(frame: Frame, node: StepNode, attempt: number, signal: AbortSignal, settle: Settle<T>): Promise<T> {
  const { runtime } = frame;
  const { id } = node;
  runtime.emit({ type: 'step.started', run: runtime.runId, step: frame.eventId(id), label: node.label, attempt, time: Date.now(), item: frame.itemIndex(), items: frame.itemPath(), deadline: node.timeoutMs === undefined ? undefined : frame.deadlines.get(id) });
  const stop = whenAborted(signal, () => recordStopped(frame, node, attempt));
  const own = new StepSignal(signal);
  let work: Promise<unknown>;
  try {
    work = node.kind === 'action' ? runAction(frame, node, attempt, own) : runComposite(frame, node, signal);
  } catch (error) {
    work = Promise.reject(error);
  }
  const held = new Held(frame, stop, own);
  const tracked = work.then(
    (output) => {
      held.release();
      return settle.ok(output);
    },
    (error: unknown) => {
      held.release();
      return settle.failed(error);
    },
  );
  // Only a timed-out attempt is waited for by its machine (the stopping_* states).
  if (node.timeoutMs !== undefined) frame.inflight.set(id, tracked);
  return tracked;
}

/**
 * A step whose state was left while it ran (cancel, or the timeout of a step around it) is
 * recorded as cancelled. A microtask later, so that the machine's own record of the same exit
 * (a timeout of this very step) comes first.
 */
function recordStopped(frame: Frame, node: StepNode, attempt: number): void {
  queueMicrotask(() => {
    const error = frame.instance.control.cancelled ? 'Cancelled' : 'Stopped: the step around it ended';
    finishStep(frame, node, attempt, { status: 'cancelled', error });
  });
}

/** Merged environments by step env: a chain of steps without script expressions shares one. */
const mergedEnvs = new WeakMap<object, Readonly<Record<string, string>>>();
/** Constant values need no context: building one per step costs a chain of 10,000 steps ~30 ms. */
const NO_CONTEXT = { contexts: {}, status: { failed: false, cancelled: false } };

function processEnv(frame: Frame, node: StepNode, env: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  if (!node.scriptVars?.length) {
    let merged = mergedEnvs.get(env);
    if (!merged) mergedEnvs.set(env, (merged = Object.freeze({ ...frame.runtime.options.baseEnv, ...env })));
    return merged;
  }
  const ctx = frame.evalContext(env);
  const out: Record<string, string> = { ...frame.runtime.options.baseEnv, ...env };
  for (const v of node.scriptVars ?? []) out[v.name] = stringifyValue(evaluateValue(v.value, ctx));
  return out;
}

/** Not async (see executeNode): what it throws, startAttempt turns into a rejection. */
function runAction(frame: Frame, node: StepNode, attempt: number, own: StepSignal): Promise<unknown> {
  const env = stepEnv(frame, node);
  const input = node.with ? evaluateValue(node.with, isConstant(node.with) ? NO_CONTEXT : frame.evalContext(env)) : {};
  if (node.uses === 'workflow') return runSubworkflow(frame, node, input as Record<string, unknown>, own.signal);
  const type = node.custom ?? builtinSteps.get(node.uses!)!;
  if (node.with && !isConstant(node.with)) checkStepInput(node.uses!, type.input, input);
  // Script variables are evaluated before the step starts (an expression that fails, fails the step
  // here); a merged env without them is only made when the step reads it.
  const merged = node.scriptVars?.length ? processEnv(frame, node, env) : undefined;
  const state = new StepState(frame, node, attempt, own, env, merged);
  if (node.uses === 'agents.team') return runTeam(frame, node, input as Record<string, unknown>, own.signal);
  if (node.uses === 'agents.plan') return runPlan(frame, node, input as PlanInput, own.signal, () => stepContext(state));
  const running = Promise.resolve(type.run(input as Record<string, unknown>, stepContext(state)));
  return node.scriptVars ? running.catch((error: unknown) => Promise.reject(showExpressions(error, node))) : running;
}

/** A script failure quotes the script as written, `${{ inputs.x }}`, not the variable arq put there. */
function showExpressions(error: unknown, node: StepNode): unknown {
  if (!(error instanceof Error)) return error;
  for (const v of node.scriptVars ?? []) {
    error.message = error.message.split(`'"\${${v.name}}"'`).join(v.text).split(`\${${v.name}}`).join(v.text);
  }
  return error;
}

const allowedByInstance = new WeakMap<Frame['instance'], readonly string[]>();

/** The working directory and the workflow's `permissions.paths`, absolute (relative ones from the working directory); once per instance. */
function allowedPaths(frame: Frame): readonly string[] {
  let paths = allowedByInstance.get(frame.instance);
  if (!paths) {
    const { workdir } = frame.runtime.options;
    paths = Object.freeze([workdir, ...frame.instance.compiled.workflow.allowedPaths.map((p) => resolve(workdir, p))]);
    allowedByInstance.set(frame.instance, paths);
  }
  return paths;
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** What one step's context is computed from; what is costly to make, or must stay the same, is kept here. */
class StepState {
  processEnv?: Readonly<Record<string, string>>;
  log?: StepContext['log'];
  runStep?: StepContext['runStep'];
  ctx?: StepContext;

  constructor(
    readonly frame: Frame,
    readonly node: StepNode,
    readonly attempt: number,
    readonly own: StepSignal,
    /** The step's env (the workflow's, its blocks', its own), before the process env is merged in. */
    readonly env: Readonly<Record<string, string>>,
    /** The merged env with the step's script variables, evaluated before it started. */
    readonly merged: Readonly<Record<string, string>> | undefined,
  ) {}

  /**
   * What `console.log(ctx)` shows: the step, not the run's innards. Node looks this up on a Proxy's
   * target (this state) and calls it on the Proxy, the context itself.
   */
  [INSPECT](this: StepContext): object {
    return { stepId: this.stepId, attempt: this.attempt, workdir: this.workdir };
  }
}

/** What does not depend on the step: made once per runtime and workflow. */
const shared = new WeakMap<Frame['instance'], Pick<StepContext, 'maskSecret' | 'describeStep'>>();

function sharedParts(frame: Frame): Pick<StepContext, 'maskSecret' | 'describeStep'> {
  let parts = shared.get(frame.instance);
  if (!parts) {
    const { runtime } = frame;
    const { workflow } = frame.instance.compiled;
    parts = { maskSecret: (value: string) => runtime.addSecrets([value]), describeStep: (uses: string) => describeNested(workflow, uses) };
    shared.set(frame.instance, parts);
  }
  return parts;
}

function logTo({ frame, node }: StepState): StepContext['log'] {
  const { runtime } = frame;
  const step = frame.eventId(node.id);
  const item = frame.itemIndex();
  return (stream: LogStream, line: string) => runtime.emit({ type: 'step.log', run: runtime.runId, step, stream, line, time: Date.now(), item });
}

const contextOf = contextMaker<StepState>({
  stepId: (s) => s.node.id,
  attempt: (s) => s.attempt,
  workdir: (s) => s.frame.runtime.options.workdir,
  allowedPaths: (s) => allowedPaths(s.frame),
  permissions: (s) => s.frame.instance.compiled.workflow.permissions,
  run: (s) => s.frame.runtime.scope,
  log: (s) => (s.log ??= logTo(s)),
  maskSecret: (s) => sharedParts(s.frame).maskSecret,
  describeStep: (s) => sharedParts(s.frame).describeStep,
  // Spreads the context it was given (its fields read at call time, not for every step).
  runStep: (s) => (s.runStep ??= (uses, input) => runNested(s.frame.instance.compiled.workflow, s.ctx!, uses, input)),
  // The step's own signal, made when the step first reads it (a no-op never does).
  signal: (s) => s.own.signal,
  // A process's environment, merged when a step first reads it: a no-op never does.
  env: (s) => (s.processEnv ??= s.merged ?? processEnv(s.frame, s.node, s.env)),
  // Read by few steps (LLM cassettes).
  path: ({ frame, node }) => `${frame.eventId(node.id)}${frame.scope.itemPath().map((i) => `[${i}]`).join('')}`,
  // Created on first use: a run whose steps never ask for it touches no disk for it.
  tmpdir: (s) => s.frame.runtime.options.scratch.path,
});

/** The context a step's run() gets. */
function stepContext(state: StepState): StepContext {
  return (state.ctx = contextOf(state));
}
