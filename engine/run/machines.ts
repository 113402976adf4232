/**
 * XState implementations behind the names in the block machines' configs: the `step`, `group`,
 * `chain` and `dag` actors, the recording actions, the retry guards and the per-step delays. The
 * root machine needs none (engine/run/root.ts).
 */
import { createMachine, fromPromise, setup, type AnyStateMachine } from 'xstate';
import type { CompiledWorkflow, StateConfig } from '../compile/compile.js';
import type { Frame, MachineSource } from './frame.js';
import { runChain, runDag } from './groups.js';
import { attemptFailed, backoffActor, canRetry, stepActor, stepDone, stoppedActor, type Args, type Ctx } from './transitions.js';

export { backoffDelay } from './transitions.js';

/** An attempt's timeout: the step's own, or what was left of it when the run is resumed (Frame.timeoutOf). */
function delaysOf(compiled: CompiledWorkflow): Record<string, (args: { context: Ctx }) => number> {
  return Object.fromEntries([...compiled.delays].map(([name, spec]) => [name, ({ context }: { context: Ctx }) => context.frame.timeoutOf(spec.step, spec.ms)]));
}

/** Adds the two functions the JSON config leaves out: context from input, and invoke inputs carrying the frame. */
function materialize(config: StateConfig): Record<string, unknown> {
  // Only state nodes are copied; the rest of the config is shared read-only (XState does not change it).
  const walk = (node: StateConfig): Record<string, unknown> => {
    const out: Record<string, unknown> = { ...node };
    if (node.invoke) out.invoke = withFrame(node.invoke as StateConfig);
    const states = node.states as StateConfig | undefined;
    if (!states) return out;
    // A plain loop: a chain of 10,000 steps is one object of 10,000 states.
    const copied: Record<string, unknown> = {};
    for (const key in states) copied[key] = walk(states[key] as StateConfig);
    out.states = copied;
    return out;
  };
  const out = walk(config) as Record<string, unknown>;
  out.context = ({ input }: { input: Frame }) => ({ frame: input });
  return out;
}

function withFrame(invoke: StateConfig): Record<string, unknown> {
  const input = invoke.input as Record<string, unknown>;
  return { ...invoke, input: ({ context }: { context: Ctx }) => ({ ...input, frame: context.frame }) };
}

/** The implementations behind the names; `delays` are a workflow's own (its steps' timeouts). */
function implementations(delays: Record<string, unknown>) {
  return setup({
    types: {} as { context: Ctx; input: Frame },
    actors: {
      step: stepActor,
      group: stepActor,
      backoff: backoffActor,
      stopped: stoppedActor,
      // A list's block machine is this one coordinator state: runBlock calls the coordinator without
      // it, but every compiled config stays a machine that runs (tests walk and run them).
      chain: fromPromise<boolean, { frame: Frame; block: string }>(({ input, signal }) => runChain(input.frame, input.block, signal)),
      dag: fromPromise<void, { frame: Frame; block: string }>(({ input, signal }) => runDag(input.frame, input.block, signal)),
    },
    actions: {
      stepDone: stepDone as never,
      attemptFailed: attemptFailed as never,
    },
    guards: {
      canRetry: canRetry as never,
      chainDone: (({ event }: Args) => event.output === true) as never,
    },
    delays: delays as never,
  });
}

/** For every workflow without timeouts. */
let shared: ReturnType<typeof implementations> | undefined;
const sharedImpl = () => (shared ??= implementations({}));

/** Root machines by config: workflows of one outline share their root config (compile.ts rootMachine), and so its machine. */
const roots = new WeakMap<StateConfig, AnyStateMachine>();

/** The machines of one compiled workflow; block machines are built on first use and reused. */
export class Machines implements MachineSource {
  private readonly impl;
  private readonly cache = new Map<string, AnyStateMachine>();

  constructor(private readonly compiled: CompiledWorkflow) {
    this.impl = compiled.delays.size > 0 ? implementations(delaysOf(compiled)) : sharedImpl();
  }

  root(): AnyStateMachine {
    const config = this.compiled.root;
    let machine = roots.get(config);
    // No context, guards, actions or actors: engine/run/root.ts steps it with XState's pure transitions.
    if (!machine) roots.set(config, (machine = createMachine(config as never) as unknown as AnyStateMachine));
    return machine;
  }

  block(name: string): AnyStateMachine {
    const cached = this.cache.get(name);
    if (cached) return cached;
    const machine = this.impl.createMachine(materialize(this.compiled.block(name)) as never) as unknown as AnyStateMachine;
    this.cache.set(name, machine);
    return machine;
  }
}
