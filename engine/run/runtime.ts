/** Run-level state shared by every block of a run: events and secrets; per instance: cancel and work left to settle. */
import { join } from 'node:path';
import { RunResources } from './resources.js';
import { PendingCount } from './pending.js';
import type { ScratchDir } from './scratch.js';
import type { EventSink, RunEvent } from './events.js';

export interface RuntimeOptions {
  readonly runId: string;
  readonly workdir: string;
  /** The run's scratch folder (StepContext.tmpdir), created when a step first asks for it. */
  readonly scratch: ScratchDir;
  /** The environment children start from (process.env unless a test says otherwise). */
  readonly baseEnv: Readonly<Record<string, string>>;
  /** When the run first started (for `run.started_at`). */
  readonly startedAt?: number;
  /** What an interrupted run had done (arq resume): succeeded steps are not run again. */
  readonly replay?: import('./replay.js').Replay;
  /** Where secrets are looked up: the environment plus a --secrets-file (defaults to baseEnv). */
  readonly secretEnv?: Readonly<Record<string, string>>;
  readonly onEvent?: EventSink;
  /** Secret values to mask as *** in every event. */
  readonly secretValues?: readonly string[];
  /** Where steps keep files that outlive the run (see RunScope.artifactsDir). */
  readonly artifactsDir?: string;
  /** Workflow-level settings of step families (RunScope.settings): `{ llm }`. */
  readonly settings?: Readonly<Record<string, unknown>>;
  /** A rehearsal run (`run.rehearse` in expressions). */
  readonly rehearse?: boolean;
}


/** One run: steps of the workflow and of its sub-workflows report here. */
export class Runtime {
  private masks: readonly string[] = [];

  constructor(readonly options: RuntimeOptions) {
    this.addSecrets(options.secretValues ?? []);
    this.scope = new RunResources(options.runId, () => options.artifactsDir ?? join(options.workdir, '.arq-artifacts', options.runId), (message) => this.emit({ type: 'run.warning', run: this.runId, time: Date.now(), message }), options.settings);
  }

  /**
   * Masks more values from now on (a sub-workflow's own secrets). Each line of a multi-line secret
   * is masked too: logs arrive line by line. Longest first, so a secret containing another is
   * masked whole.
   */
  addSecrets(values: readonly string[]): void {
    const lines = values.flatMap((v) => (v.includes('\n') ? [v, ...v.split(/\r?\n/)] : [v]));
    const fresh = lines.filter((v) => v.trim().length > 0 && !this.masks.includes(v));
    if (fresh.length) this.masks = [...this.masks, ...fresh].sort((a, b) => b.length - a.length);
  }

  get runId(): string {
    return this.options.runId;
  }

  /** Run-scoped resources for steps (StepContext.run). */
  readonly scope: RunResources;

  emit(event: RunEvent): void {
    this.options.onEvent?.(this.masks.length ? maskEvent(event, this.masks) : event);
  }

  /** Whether there is anything to mask: a run without secrets skips every copy. */
  get masking(): boolean {
    return this.masks.length > 0;
  }

  mask(text: string): string {
    return this.masks.length ? maskText(text, this.masks) : text;
  }

  /** A copy of the values of a result with every secret replaced by ***, keys included. */
  maskValue<T>(value: T): T {
    return this.masks.length ? (maskDeep(value, this.masks) as T) : value;
  }
}

/**
 * Cancel of one workflow instance (the run's root, or a sub-workflow stopped with its step), and
 * the steps it started. Per instance, not per run: a sub-workflow waiting for every step of the
 * run would wait for the very step that runs it.
 */
export class Control {
  cancelled = false;
  private readonly inflight = new PendingCount();

  /** Keeps a step's promise until it settles: a stopped step may still be killing its processes. */
  track<T>(promise: Promise<T>): Promise<T> {
    this.inflight.enter();
    const forget = () => this.inflight.leave();
    promise.then(forget, forget);
    return promise;
  }

  /** Keeps a step's work until `leave` (called when it has settled). */
  enter(): void {
    this.inflight.enter();
  }

  leave(): void {
    this.inflight.leave();
  }

  /** Waits until every step that was started, stopped or not, has released what it held. */
  settle(): Promise<void> {
    return this.inflight.idle();
  }

  /** Steps waiting between two attempts: nothing is running that could record them on a cancel. */
  readonly waiting = new Set<() => void>();

  cancel(): void {
    this.cancelled = true;
    for (const recordCancelled of [...this.waiting]) recordCancelled();
    this.waiting.clear();
  }
}

function maskText(text: string, masks: readonly string[]): string {
  let out = text;
  for (const secret of masks) if (out.includes(secret)) out = out.split(secret).join('***');
  return out;
}

function maskDeep(value: unknown, masks: readonly string[]): unknown {
  if (typeof value === 'string') return maskText(value, masks);
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, masks));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [maskText(k, masks), maskDeep(v, masks)]));
  }
  return value;
}

/** Fields of an event that carry what steps produced; the others (type, status, ids) are arq's own words. */
const PRODUCED = ['line', 'error', 'outputs', 'inputs', 'message'] as const;

function maskEvent(event: RunEvent, masks: readonly string[]): RunEvent {
  const masked: Record<string, unknown> = { ...event };
  for (const field of PRODUCED) if (field in masked) masked[field] = maskDeep(masked[field], masks);
  // Outputs that held a secret are not what the step produced: a resume must not replay them.
  if (event.type === 'step.finished' && JSON.stringify(masked.outputs) !== JSON.stringify(event.outputs)) masked.masked = true;
  return masked as unknown as RunEvent;
}
