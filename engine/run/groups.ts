/**
 * Coordinators of composite steps and DAG lists. Each starts one child actor per branch, item or
 * node (a block machine), counts them down, and never builds a wide parallel state.
 */
import { setMaxListeners } from 'node:events';
import { createActor } from 'xstate';
import { StepError } from '../../steps/contract.js';
import { evaluateValue } from '../expr/index.js';
import type { Block, StepNode } from '../model/types.js';
import { describeValue } from '../check/schema-errors.js';
import { executeNode, Interrupted, stepEnv, type Settle } from './execute.js';
import { Frame, type Section } from './frame.js';
import { errorMessage, finishStep } from './record.js';
import { Halt, Scope } from './scope.js';
import { whenAborted } from './abort.js';
import { attemptFailed, recordDone } from './transitions.js';

/**
 * Runs a block: true when it ended in `$done`. A list's block machine is one coordinator state
 * (chain or dag), so its coordinator runs without it, as a one-step body runs its bare step actor;
 * a `unit:ID` machine (a step that retries or times out) runs as a child actor.
 */
export function runBlock(frame: Frame, name: string, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  const list = frame.instance.compiled.blocks.get(name);
  if (list) return list.dag ? runDag(frame, name, signal).then(() => true, () => false) : runChain(frame, name, signal);
  const actor = createActor(frame.instance.machines.block(name), { input: frame });
  let settle!: (ok: boolean) => void;
  const ended = new Promise<boolean>((resolve, reject) => {
    settle = resolve;
    // An error here is an engine bug (an action threw): it must surface, not end the block quietly.
    actor.subscribe({ complete: () => resolve(actor.getSnapshot().value === '$done'), error: reject });
  });
  const stop = whenAborted(signal, () => {
    actor.stop();
    settle(false);
  });
  actor.start();
  return ended.finally(() => stop.remove());
}

/**
 * Runs a root section (main, on_failure, finally) in the section's own frame. A handler starts
 * once every step stopped before it has released its processes (a cleanup must not race them).
 */
export async function runSection(root: Frame, block: string, section: Section, signal: AbortSignal): Promise<void> {
  if (section === 'main' && root.instance.control.cancelled) return;
  if (section !== 'main') await root.instance.control.settle();
  await runBlock(root.forSection(section), block, signal);
}

/** The first failure recorded in a halt scope or around it. */
function haltReason(halt: Halt): string {
  for (let h: Halt | undefined = halt; h; h = h.parent) if (h.reason !== undefined) return h.reason;
  return 'a step failed';
}

/**
 * How a group ends once its steps stopped: failed when one of its own steps failed; interrupted
 * (recorded as cancelled) when a failure outside it stopped it from starting the rest. Either
 * way only once its steps have released what they hold: a group stopped by its own timeout must
 * not let the retry or the next step overlap them.
 */
async function endOfGroup(group: Frame): Promise<void> {
  await group.settled();
  const { halt } = group;
  if (halt.recorded()) throw new StepError('group.failed', halt.reason!);
  if (halt.failed()) throw new Interrupted(`Stopped: ${haltReason(halt)}`);
}

function namedOutputs(node: StepNode, frame: Frame): Record<string, unknown> {
  return node.outputs ? (evaluateValue(node.outputs, frame.evalContext()) as Record<string, unknown>) : {};
}

async function runSequence(frame: Frame, node: StepNode, signal: AbortSignal): Promise<unknown> {
  const child = frame.child(stepEnv(frame, node));
  const ok = await runBlock(child, node.body!.name, signal);
  await endOfGroup(child);
  if (!ok) throw new StepError('group.failed', 'The group did not finish');
  return namedOutputs(node, child);
}

async function runParallel(frame: Frame, node: StepNode, signal: AbortSignal): Promise<unknown> {
  const child = frame.child(stepEnv(frame, node));
  await Promise.all(node.branches!.map((branch) => runBranch(child, branch, signal)));
  await endOfGroup(child);
  return namedOutputs(node, child);
}

/**
 * Runs a branch or a foreach item's body. One that is a single step without retry or timeout runs
 * as its bare step actor, as a DAG node does: no one-state machine to build and run per branch or
 * item. True when it ended as its block machine would have, in `$done`.
 */
function runBranch(child: Frame, branch: Block, signal: AbortSignal): Promise<boolean> {
  const only = branch.steps.length === 1 ? branch.steps[0]! : undefined;
  return only && !needsMachine(only) ? runStepDirect(child, only, signal) : runBlock(child, branch.name, signal);
}

function foreachItems(frame: Frame, node: StepNode): unknown[] {
  const items = evaluateValue(node.foreach!, frame.evalContext());
  if (!Array.isArray(items)) throw new StepError('foreach.not_list', `foreach: expected a list; found ${describeValue(items)}`);
  return items;
}

/** The output of one item: the step's `outputs:` map, or the outputs of the body's last step. */
function itemOutput(node: StepNode, frame: Frame): unknown {
  if (node.outputs) return evaluateValue(node.outputs, frame.evalContext());
  const last = node.body!.steps.at(-1);
  return last ? (frame.scope.get(last.id)?.outputs ?? {}) : {};
}

/** The frame of one item: its own results scope, where `item` and `index` are defined. */
/** One item's frame: its own results scope (item, index), the group's halt scope and env. */
function itemFrame(group: Frame, item: unknown, index: number): Frame {
  return new Frame(group.instance, new Scope(group.scope, { item, index }), group.halt, group.env, group.section, group);
}

/** An item whose `outputs:` cannot be evaluated fails like a failed step: no new item starts. */
function itemOutputOrFail(node: StepNode, child: Frame, halt: Halt, index: number): unknown {
  try {
    return itemOutput(node, child);
  } catch (error) {
    halt.fail(`Step "${node.id}" (item ${index}) outputs: ${errorMessage(error)}`);
    return null;
  }
}

async function runForeach(frame: Frame, node: StepNode, signal: AbortSignal): Promise<unknown> {
  const items = foreachItems(frame, node);
  // The foreach step's own env: applies to every item, evaluated once (README: it cannot use item).
  const group = frame.child(stepEnv(frame, node));
  const { halt } = group;
  const outputs: unknown[] = new Array(items.length).fill(null);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !halt.halted() && !signal.aborted) {
      const index = next++;
      const child = itemFrame(group, items[index], index);
      if (await runBranch(child, node.body!, signal)) outputs[index] = itemOutputOrFail(node, child, halt, index);
    }
  };
  const width = Math.min(node.concurrency ?? items.length, items.length);
  await Promise.all(Array.from({ length: width }, worker));
  await endOfGroup(group);
  return outputs;
}

/** Runs a composite step (steps:, parallel:, foreach:) and returns its outputs. */
export function runComposite(frame: Frame, node: StepNode, signal: AbortSignal): Promise<unknown> {
  // Each child block listens on this one signal: a wide group is not a listener leak.
  setMaxListeners(0, signal);
  if (node.kind === 'sequence') return runSequence(frame, node, signal);
  if (node.kind === 'parallel') return runParallel(frame, node, signal);
  return runForeach(frame, node, signal);
}

/** Retries and timeouts live in states (attempt, backoff, a delayed transition): only those need a machine. */
function needsMachine(node: StepNode): boolean {
  return node.timeoutMs !== undefined || (node.retry?.attempts ?? 1) > 1;
}

/**
 * Runs a step with neither retry nor timeout as its bare step actor, called directly with the
 * coordinator's signal (a step's state is left only when its coordinator is) and recorded by the
 * same actions its machine would run: no machine, nor XState actor, per step. True when its
 * one-step machine would have ended in `$done`: it succeeded, was skipped, or failed with
 * continue_on_error; false when it failed or was stopped (a stopped step records itself).
 */
function runStepDirect(frame: Frame, node: StepNode, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return executeNode(frame, node, signal, new Recorded(frame, node, signal));
}

/** How a bare step's end is recorded (see runStepDirect). */
class Recorded implements Settle<boolean> {
  constructor(private readonly frame: Frame, private readonly node: StepNode, private readonly signal: AbortSignal) {}

  ok(output: unknown): boolean {
    if (this.signal.aborted) return false;
    recordDone(this.frame, this.node, output);
    return true;
  }

  failed(error: unknown): boolean {
    if (this.signal.aborted) return false;
    const { frame, node } = this;
    attemptFailed({ context: { frame }, event: { error } }, { id: node.id, then: node.continueOnError ? 'continue' : 'fail' });
    return node.continueOnError;
  }
}

/** Runs one step of a list: bare, or in its `unit:ID` machine when it retries or times out. */
function runUnit(frame: Frame, node: StepNode, signal: AbortSignal): Promise<boolean> {
  return needsMachine(node) ? runBlock(frame, `unit:${node.id}`, signal) : runStepDirect(frame, node, signal);
}

/**
 * The chain coordinator: the steps of a list one after another. A step after a failure still
 * starts, and records itself as not started (or runs, when its `if:` calls a status function).
 * True when the last step ended as `$done` would (the chain's block machine ends there).
 */
export async function runChain(frame: Frame, blockName: string, signal: AbortSignal): Promise<boolean> {
  const { steps } = frame.instance.compiled.blocks.get(blockName)!;
  setMaxListeners(0, signal);
  let ok = true;
  for (let i = 0; i < steps.length; i++) {
    if (signal.aborted) return false;
    ok = await runUnit(frame, steps[i]!, signal);
  }
  return ok;
}

/** The DAG coordinator: readiness tracked by counting unmet needs, no guards re-checked per microstep. */
export function runDag(frame: Frame, blockName: string, signal: AbortSignal): Promise<void> {
  const block = frame.instance.compiled.blocks.get(blockName)!;
  setMaxListeners(0, signal);
  return new DagRun(frame, block.steps, signal).run();
}

class DagRun {
  private readonly waiting = new Map<string, number>();
  private readonly dependents = new Map<string, StepNode[]>();
  /** Why a node cannot run: a step it needs did not succeed. */
  private readonly blocked = new Map<string, string>();
  private readonly ready: StepNode[] = [];
  private head = 0;
  private running = 0;
  private left: number;
  private finish!: () => void;
  private crash!: (error: unknown) => void;

  constructor(private readonly frame: Frame, private readonly nodes: readonly StepNode[], private readonly signal: AbortSignal) {
    this.left = nodes.length;
    for (const node of nodes) {
      this.waiting.set(node.id, node.needs.length);
      for (const need of node.needs) this.dependents.set(need, [...(this.dependents.get(need) ?? []), node]);
    }
  }

  run(): Promise<void> {
    const done = new Promise<void>((resolve, reject) => {
      this.finish = resolve;
      this.crash = reject;
    });
    this.ready.push(...this.nodes.filter((node) => node.needs.length === 0));
    this.drain();
    return done.then(() => endOfGroup(this.frame));
  }

  /** Starts or skips every ready node in a loop: a long cascade of skips must not recurse. */
  private drain(): void {
    while (this.head < this.ready.length && !this.signal.aborted) {
      const node = this.ready[this.head++]!;
      const skip = this.skipReason(node);
      if (skip === undefined) this.launch(node);
      else {
        finishStep(this.frame, node, 1, { status: 'skipped', error: skip });
        this.settled(node);
      }
    }
    if (this.left === 0 || (this.signal.aborted && this.running === 0)) this.finish();
  }

  /** A node whose `if:` calls a status function runs whatever happened to its needs, as in GitHub Actions. */
  private skipReason(node: StepNode): string | undefined {
    if (node.if?.usesStatusFunction) return undefined;
    if (this.blocked.has(node.id)) return this.blocked.get(node.id);
    return this.frame.halt.halted() ? 'Not started: an earlier step failed' : undefined;
  }

  private launch(node: StepNode): void {
    this.running++;
    const run = runUnit(this.frame, node, this.signal);
    run.then(() => {
      this.running--;
      this.settled(node);
      this.drain();
    }, this.crash);
  }

  private settled(node: StepNode): void {
    this.left--;
    const status = this.frame.scope.get(node.id)?.conclusion;
    for (const dependent of this.dependents.get(node.id) ?? []) {
      if (status !== 'succeeded' && !this.blocked.has(dependent.id)) this.blocked.set(dependent.id, `Skipped: it needs "${node.id}", which ${status === 'skipped' ? 'was skipped' : status ?? 'did not run'}`);
      const count = this.waiting.get(dependent.id)! - 1;
      this.waiting.set(dependent.id, count);
      if (count === 0) this.ready.push(dependent);
    }
  }
}
