/**
 * compile: a checked Workflow -> XState machine configs, plain JSON (names, not functions).
 *
 * The workflow's main, on_failure and finally lists become sibling states of one root machine,
 * each running its list as a block (see rootMachine). A list of steps (a chain or a
 * DAG) runs in one coordinator state whose actor runs each step as its step actor, or as a
 * `unit:ID` machine when the step retries or times out. A composite step (steps:, parallel:,
 * foreach:) runs in a coordinator state whose actor starts one child per branch or item: a block
 * machine, compiled here too and registered by name, or the bare step actor of a one-step body. Wide fan-out therefore never becomes a wide `type: 'parallel'`
 * state (XState 5 enters N regions in about N^3).
 */
import type { Block, StepNode, Workflow } from '../model/types.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type StateConfig = { [key: string]: JsonValue };

/** Named delays the machines use: per-attempt timeouts (ms). Backoffs are waits of the `backoff` actor. */
export type DelaySpec = { kind: 'timeout'; ms: number; step: string };

export interface CompiledWorkflow {
  readonly workflow: Workflow;
  /** The root machine: main -> on_failure (when main failed) -> finally -> the run's end. */
  readonly root: StateConfig;
  /** Block machines by name, compiled on first use (a 10,000-node DAG has 10,000 small ones). */
  block(name: string): StateConfig;
  /** Any step by id, the inline body of a foreach too (`unit:ID` names a one-step block of it). */
  step(id: string): StepNode | undefined;
  readonly blocks: ReadonlyMap<string, Block>;
  readonly delays: ReadonlyMap<string, DelaySpec>;
}

const DONE = '$done';
const FAILED = '$failed';

const act = (type: string, id: string): JsonValue => ({ type, params: { id } });
const guard = (type: string, id: string): JsonValue => ({ type, params: { id } });

/**
 * The id of a block's machine. Step ids are state ids too, so a machine id must not look like one
 * (a step may well be called `block2`): `block:NAME`, or `unit:ID` for a DAG node's machine.
 */
export function machineId(blockName: string): string {
  return blockName.includes(':') ? blockName : `block:${blockName}`;
}

class Compiler {
  readonly delays = new Map<string, DelaySpec>();

  /**
   * The transitions taken when an attempt failed: retry, go on (continue_on_error) or fail. A
   * timed-out attempt first passes through a `stopping_*` state that waits until the attempt has
   * released everything (its process tree killed), so that neither the retry nor the next step
   * overlaps what is left of it.
   */
  private failure(step: StepNode, timeout: boolean, next: string, fail: string): JsonValue[] {
    const failed = (then: string): JsonValue => ({ type: 'attemptFailed', params: { id: step.id, then, timeout } });
    const to = (then: string, target: string) => (timeout ? `stopping_${then}` : target);
    const out: JsonValue[] = [];
    if (step.retry && step.retry.attempts > 1) out.push({ guard: guard('canRetry', step.id), target: to('retry', 'backoff'), actions: failed('retry') });
    if (step.continueOnError) out.push({ target: to('continue', next), actions: failed('continue') });
    else out.push({ target: to('fail', fail), actions: failed('fail') });
    return out;
  }

  /** States that wait for a timed-out attempt to stop, then go where the timeout decided. */
  private stopping(step: StepNode, retries: boolean, next: string, fail: string): StateConfig {
    const wait = (target: string): StateConfig => ({ invoke: { src: 'stopped', input: { id: step.id }, onDone: { target }, onError: { target } } });
    const states: StateConfig = { stopping_fail: wait(fail) };
    if (retries) states.stopping_retry = wait('backoff');
    if (step.continueOnError) states.stopping_continue = wait(next);
    return states;
  }

  private invoke(step: StepNode, next: string, fail: string): StateConfig {
    const src = step.kind === 'action' ? 'step' : 'group';
    return {
      src, input: { id: step.id },
      onDone: { target: next, actions: act('stepDone', step.id) },
      onError: this.failure(step, false, next, fail),
    };
  }

  /** Registers the named delay of a step's attempt timeout; returns its name. */
  timeoutDelay(step: StepNode): string {
    const delay = `timeout:${step.id}`;
    this.delays.set(delay, { kind: 'timeout', ms: step.timeoutMs!, step: step.id });
    return delay;
  }

  /** One step: a plain invoking state, or attempt/backoff sub-states with a timeout. */
  step(step: StepNode, next: string, fail: string): StateConfig {
    const retries = step.retry !== undefined && step.retry.attempts > 1;
    if (!retries && step.timeoutMs === undefined) return { id: step.id, invoke: this.invoke(step, next, fail) };
    const attempt: StateConfig = { invoke: this.invoke(step, next, fail) };
    if (step.timeoutMs !== undefined) attempt.after = { [this.timeoutDelay(step)]: this.failure(step, true, next, fail) };
    const states: StateConfig = { attempt, ...(step.timeoutMs !== undefined ? this.stopping(step, retries, next, fail) : {}) };
    // The wait is an actor, not a delayed transition: a cancel during it records the step as cancelled.
    if (retries) states.backoff = { invoke: { src: 'backoff', input: { id: step.id }, onDone: { target: 'attempt' } } };
    return { id: step.id, initial: 'attempt', states };
  }

  /**
   * A list of steps: one coordinator state, `chain` (in order) or `dag` (by needs). Each step runs
   * as its bare step actor, or as its `unit:ID` machine when it retries or times out (its attempt,
   * backoff and stopping states). One XState state per step of a chain cost about 40 us a step
   * (DESIGN.md measured 65 us with invoke); the coordinator runs a step in a few.
   * A failed step moves on to the next one too: that one records itself as not started, unless
   * its `if:` calls a status function (always(), failure()) and so runs anyway, as in GitHub
   * Actions. The chain ends in `$done` when its last step did (or was skipped, or continued).
   */
  chain(block: Block, done: string, fail: string): StateConfig {
    const src = block.dag ? 'dag' : 'chain';
    const onDone: JsonValue = block.dag ? { target: done } : [{ guard: 'chainDone', target: done }, { target: fail }];
    // A chain that throws is an engine bug: without onError it fails the run loudly (sectionCrashed).
    const invoke: StateConfig = block.dag ? { src, input: { block: block.name }, onDone, onError: { target: fail } } : { src, input: { block: block.name }, onDone };
    return { [src]: { invoke } };
  }

  initial(block: Block): string {
    if (block.dag) return 'dag';
    return block.steps.length > 0 ? 'chain' : DONE;
  }

  /** A block run by a coordinator: ends in $done or $failed. */
  blockMachine(block: Block): StateConfig {
    const id = machineId(block.name);
    const done = `#${id}.${DONE}`;
    const fail = `#${id}.${FAILED}`;
    if (block.name.startsWith('unit:')) {
      const step = block.steps[0]!;
      return { id, initial: step.id, states: { [step.id]: this.step(step, done, fail), [DONE]: { type: 'final' }, [FAILED]: { type: 'final' } } };
    }
    const states = this.chain(block, done, fail);
    return { id, initial: this.initial(block), states: { ...states, [DONE]: { type: 'final' }, [FAILED]: { type: 'final' } } };
  }
}

/** How the run stands when a section ends: the events of the root machine, with CANCEL. */
export const STANDINGS = ['succeeded', 'failed', 'cancelled'] as const;

/**
 * The root machine: a state per section that has steps (main always), each running its list as a
 * block (`meta.block`), then the run's end. When a section ends, the engine sends how the run
 * stands; main goes to on_failure when it failed, every section on to finally, and finally to
 * the final state of that name. CANCEL leaves main or on_failure for finally (their steps are
 * stopped); during finally it changes nothing: its steps run on, and the run still ends cancelled.
 * No context, guards or actions: the next state depends on the state and the event alone
 * (engine/run/root.ts computes each transition once).
 */
function buildRoot(wf: Workflow): StateConfig {
  const hasFinally = wf.finally.steps.length > 0;
  const onward = (standing: string): string => (hasFinally ? 'finally' : standing);
  const passOn = (): StateConfig => Object.fromEntries(STANDINGS.map((s) => [s, onward(s)]));
  const section = (block: Block, on: StateConfig): StateConfig => ({ meta: { block: block.name }, on });
  const states: StateConfig = {
    main: section(wf.main, { ...passOn(), ...(wf.onFailure.steps.length > 0 ? { failed: 'on_failure' } : {}), CANCEL: onward('cancelled') }),
  };
  if (wf.onFailure.steps.length > 0) states.on_failure = section(wf.onFailure, { ...passOn(), CANCEL: onward('cancelled') });
  if (hasFinally) states.finally = section(wf.finally, Object.fromEntries(STANDINGS.map((s) => [s, s])));
  for (const standing of STANDINGS) states[standing] = { type: 'final' };
  return { id: 'wf', initial: 'main', states };
}

/**
 * Root configs by outline (the block of each section, and which sections have steps): a root
 * names nothing else, so workflows of one outline share it, and the machine made from it
 * (engine/run/machines.ts), not once per run of a workflow read again (the scheduler, the bench).
 */
const roots = new Map<string, StateConfig>();
const ROOTS_KEPT = 64;

function rootMachine(wf: Workflow): StateConfig {
  const named = (block: Block) => (block.steps.length > 0 ? block.name : '');
  const key = `${wf.main.name} ${named(wf.onFailure)} ${named(wf.finally)}`;
  let config = roots.get(key);
  if (!config) {
    if (roots.size >= ROOTS_KEPT) roots.delete(roots.keys().next().value!);
    roots.set(key, (config = buildRoot(wf)));
  }
  return config;
}

function collectBlocks(block: Block, into: Map<string, Block>): void {
  into.set(block.name, block);
  // Indexed: an iterator's result objects cost every step of a long list, until the loop is optimised.
  const { steps } = block;
  for (let i = 0; i < steps.length; i++) {
    const { body, branches } = steps[i]!;
    if (body) collectBlocks(body, into);
    if (branches) for (let j = 0; j < branches.length; j++) collectBlocks(branches[j]!, into);
  }
}

/** Every step by id, the inline body of a foreach too (not in stepsById): a `unit:ID` may name any. */
function stepsOf(blocks: ReadonlyMap<string, Block>): Map<string, StepNode> {
  const steps = new Map<string, StepNode>();
  for (const block of blocks.values()) for (let i = 0; i < block.steps.length; i++) steps.set(block.steps[i]!.id, block.steps[i]!);
  return steps;
}

/** `unit:ID` is the one-step block a coordinator runs for step ID when it retries or times out. */
function blockNamed(name: string, blocks: ReadonlyMap<string, Block>, step: (id: string) => StepNode | undefined): Block {
  if (!name.startsWith('unit:')) return blocks.get(name)!;
  return { name, steps: [step(name.slice(5))!], dag: false };
}

/** Compiles a checked workflow into machine configs. */
export function compileWorkflow(wf: Workflow): CompiledWorkflow {
  const compiler = new Compiler();
  const root = rootMachine(wf);
  const blocks = new Map<string, Block>();
  collectBlocks(wf.main, blocks);
  collectBlocks(wf.onFailure, blocks);
  collectBlocks(wf.finally, blocks);
  // Registers every step's delays now, so the machines can be set up before any block is compiled.
  for (const block of blocks.values()) for (let i = 0; i < block.steps.length; i++) if (block.steps[i]!.timeoutMs !== undefined) compiler.timeoutDelay(block.steps[i]!);
  // Made when first asked for: a chain's bare steps are run without looking them up by id.
  let steps: Map<string, StepNode> | undefined;
  const step = (id: string) => (steps ??= stepsOf(blocks)).get(id);
  const cache = new Map<string, StateConfig>();
  return {
    workflow: wf, root, blocks, delays: compiler.delays, step,
    block(name) {
      let config = cache.get(name);
      if (!config) cache.set(name, (config = compiler.blockMachine(blockNamed(name, blocks, step))));
      return config;
    },
  };
}
