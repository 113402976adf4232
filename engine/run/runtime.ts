/** Run-level state shared by every block of a run: events, cancel, secrets, work left to settle. */
import type { EventSink, RunEvent } from './events.js';

export interface RuntimeOptions {
  readonly runId: string;
  readonly workdir: string;
  readonly tmpdir: string;
  /** The environment children start from (process.env unless a test says otherwise). */
  readonly baseEnv: Readonly<Record<string, string>>;
  readonly onEvent?: EventSink;
  /** Secret values to mask as *** in every event. */
  readonly secretValues?: readonly string[];
}

/** One run: steps of the workflow and of its sub-workflows report here. */
export class Runtime {
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly masks: readonly string[];

  constructor(readonly options: RuntimeOptions) {
    this.masks = (options.secretValues ?? []).filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  }

  get runId(): string {
    return this.options.runId;
  }

  emit(event: RunEvent): void {
    this.options.onEvent?.(this.masks.length ? (maskDeep(event, this.masks) as RunEvent) : event);
  }

  mask(text: string): string {
    return this.masks.length ? maskText(text, this.masks) : text;
  }

  /** Keeps a step's promise until it settles: a stopped step may still be killing its processes. */
  track<T>(promise: Promise<T>): Promise<T> {
    this.inflight.add(promise);
    const forget = () => this.inflight.delete(promise);
    promise.then(forget, forget);
    return promise;
  }

  /** Waits until every step that was started, stopped or not, has released what it held. */
  async settle(): Promise<void> {
    while (this.inflight.size) await Promise.allSettled([...this.inflight]);
  }
}

/** Cancel of one workflow instance: the run's root, or a sub-workflow stopped with its step. */
export class Control {
  cancelled = false;
  private readonly running = new Map<string, () => void>();

  /** Registers a running step; on cancel its callback records it as cancelled. */
  markRunning(key: string, onCancel: () => void): void {
    this.running.set(key, onCancel);
  }

  markStopped(key: string): void {
    this.running.delete(key);
  }

  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    for (const onCancel of [...this.running.values()]) onCancel();
    this.running.clear();
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
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskDeep(v, masks)]));
  }
  return value;
}
