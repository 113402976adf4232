/** A frame is what one running block sees: its workflow instance, results scope, halt scope and env. */
import type { CompiledWorkflow } from '../compile/compile.js';
import type { EvalContext } from '../expr/index.js';
import type { StepNode } from '../model/types.js';
import type { Control, Runtime } from './runtime.js';
import { Halt, Scope } from './scope.js';
import { PendingCount } from './pending.js';
import { shownId } from '../model/ids.js';
import { dirname } from 'node:path';

export type Section = 'main' | 'on_failure' | 'finally';

/** One workflow being run: the root workflow, or a sub-workflow called by a step. */
export interface Instance {
  readonly runtime: Runtime;
  readonly control: Control;
  readonly compiled: CompiledWorkflow;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly secrets: Readonly<Record<string, string>>;
  /** Workflow-level env, evaluated once when the instance starts. */
  readonly env: Readonly<Record<string, string>>;
  /** Prepended to step ids in events (`deploy/` for the steps of a sub-workflow called by `deploy`). */
  readonly prefix: string;
  readonly startedAt: number;
  /** The halt scope of each section: `main` fails once a step of it failed uncovered. */
  readonly halts: Readonly<Record<Section, Halt>>;
  readonly machines: MachineSource;
}

/** Whether the instance has failed so far: in `main`, or in a step of `finally`. */
export function instanceFailed(instance: Instance): boolean {
  return instance.halts.main.failed() || instance.halts.finally.recorded();
}

/** Why the instance failed: the first uncovered failure of `main`, else of `finally`. */
export function instanceFailure(instance: Instance): string | undefined {
  return instance.halts.main.reason ?? instance.halts.finally.reason;
}

/** Where block machines come from (engine/run/machines.ts); an interface to keep imports one-way. */
export interface MachineSource {
  root(): import('xstate').AnyStateMachine;
  block(name: string): import('xstate').AnyStateMachine;
}

/** `run.started_at`, formatted once per instance rather than per expression (and not at all when unread). */
const startedAtTexts = new WeakMap<Instance, string>();

function startedAtText(instance: Instance): string {
  let text = startedAtTexts.get(instance);
  if (text === undefined) startedAtTexts.set(instance, (text = new Date(instance.startedAt).toISOString()));
  return text;
}

export class Frame {
  // Made on first use: a foreach of 1,000 items makes 1,000 frames, most of which use two of them.
  private _attempts?: Map<string, number>;
  private _started?: Map<string, number>;
  private _nextDelay?: Map<string, number>;
  private _deadlines?: Map<string, number>;
  private _inflight?: Map<string, Promise<unknown>>;
  private _waiting?: Map<string, () => void>;
  private _pending?: PendingCount;

  get attempts(): Map<string, number> {
    return (this._attempts ??= new Map());
  }

  get started(): Map<string, number> {
    return (this._started ??= new Map());
  }

  get nextDelay(): Map<string, number> {
    return (this._nextDelay ??= new Map());
  }

  /** The absolute deadline of each step's current attempt (steps with a timeout). */
  get deadlines(): Map<string, number> {
    return (this._deadlines ??= new Map());
  }

  /** The latest attempt of each step, until it has released everything it held. */
  get inflight(): Map<string, Promise<unknown>> {
    return (this._inflight ??= new Map());
  }

  /** Steps between two attempts: how to record each as stopped (see transitions.ts). */
  get waiting(): Map<string, () => void> {
    return (this._waiting ??= new Map());
  }

  /** Attempts started in this frame or in frames inside it, until they have released everything. */
  private get pending(): PendingCount {
    return (this._pending ??= new PendingCount());
  }

  constructor(
    readonly instance: Instance,
    readonly scope: Scope,
    readonly halt: Halt,
    readonly env: Readonly<Record<string, string>>,
    readonly section: Section,
    /** The frame of the composite step this frame's block runs in. */
    readonly parent?: Frame,
  ) {}

  /** Keeps an attempt here and in every frame around it, until `release`. */
  hold(): void {
    for (let frame: Frame | undefined = this; frame; frame = frame.parent) frame.pending.enter();
  }

  release(): void {
    for (let frame: Frame | undefined = this; frame; frame = frame.parent) frame._pending?.leave();
  }

  /** Waits until every attempt started inside this frame has released what it held. */
  async settled(): Promise<void> {
    await this._pending?.idle();
  }

  get runtime(): Runtime {
    return this.instance.runtime;
  }

  node(id: string): StepNode {
    return this.instance.compiled.step(id)!;
  }

  /** A frame for the blocks of a composite step: a halt scope of their own, the same results. */
  child(env: Readonly<Record<string, string>>, scope: Scope = this.scope): Frame {
    return new Frame(this.instance, scope, this.halt.child(), env, this.section, this);
  }

  /** The frame a root section (main, on_failure, finally) runs in: the same results, its own halt scope. */
  forSection(section: Section): Frame {
    return new Frame(this.instance, this.scope, this.instance.halts[section], this.env, section);
  }

  /** The step id events show: a foreach's inline body reports as the foreach step itself. */
  eventId(id: string): string {
    return this.instance.prefix + shownId(id);
  }

  /** The full item path when foreach steps are nested (events carry it so a run can be resumed). */
  itemPath(): number[] | undefined {
    const path = this.scope.itemPath();
    const item = this.itemIndex();
    return path.length > 1 || (path.length === 1 && item === undefined) ? [...path] : undefined;
  }

  /**
   * The timeout of the attempt that starts now, as an absolute deadline too (journalled with
   * step.started). The first attempt of a resumed run that was running when the runner died keeps
   * its journalled deadline: a crash does not reset a timeout.
   */
  timeoutOf(id: string, ms: number): number {
    const replay = (this.attempts.get(id) ?? 0) === 0 ? this.runtime.options.replay : undefined;
    const key = replay ? this.replayKey(id) : '';
    const resumed = replay?.deadlines.get(key);
    // A resumed retry first waits out the rest of its backoff inside the attempt: that wait is not the step's time.
    const backoff = Math.max(0, (replay?.waiting.get(key)?.deadline ?? 0) - Date.now());
    const left = resumed === undefined ? ms + backoff : Math.max(0, resumed - Date.now());
    this.deadlines.set(id, Date.now() + left);
    return left;
  }

  /** What identifies one run of a step in a journal: its event id and the items around it. */
  replayKey(id: string): string {
    return `${this.eventId(id)}|${this.scope.itemPath().join('.')}`;
  }

  /** The index of the foreach item this frame runs for, if any (shown in events). */
  itemIndex(): number | undefined {
    return this.scope.itemContext()?.index;
  }

  runStatus(): string {
    if (this.instance.control.cancelled) return 'cancelled';
    return instanceFailed(this.instance) ? 'failed' : 'succeeded';
  }

  /** What expressions see: `env` is the given one (a step's own env for its inputs). */
  evalContext(env: Readonly<Record<string, string>> = this.env): EvalContext {
    const item = this.scope.itemContext();
    const { instance } = this;
    const contexts: Record<string, unknown> = {
      inputs: instance.inputs, env, secrets: instance.secrets, steps: this.scope.steps,
      run: {
        id: this.runtime.runId, workflow: instance.compiled.workflow.name, status: this.runStatus(), workdir: this.runtime.options.workdir,
        workflow_dir: dirname(instance.compiled.workflow.file), started_at: startedAtText(instance),
        rehearse: this.runtime.options.rehearse === true, error: instanceFailure(instance) ?? null,
      },
    };
    if (item) Object.assign(contexts, item);
    return { contexts, status: { failed: this.halt.failed() || instanceFailed(instance), cancelled: this.instance.control.cancelled } };
  }
}
