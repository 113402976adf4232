/**
 * What an interrupted run had done, read back from its journal (arq resume): which steps
 * succeeded (not run again: their outputs are replayed), which was running when the runner died
 * (run again, or failed for `resume: fail`), and which waited for a retry (and until when).
 *
 * Steps are keyed by their event id and the foreach items around them: `deploy|`, `fe|2`,
 * `call/inner|0.1` (see Frame.replayKey).
 */
export interface Replay {
  readonly succeeded: ReadonlyMap<string, unknown>;
  /** Steps that failed: they fail again, with the same message, rather than run a second time. */
  readonly failed: ReadonlyMap<string, string>;
  /** Steps that were running, with the attempt they were on. */
  readonly running: ReadonlyMap<string, number>;
  /** The timeout deadline of a step that was running (steps with a timeout). */
  readonly deadlines: ReadonlyMap<string, number>;
  /** A retry's absolute deadline: XState does not restore delayed transitions, the journal does. */
  readonly waiting: ReadonlyMap<string, { readonly attempt: number; readonly deadline: number }>;
}

/** A step event as a journal holds it; only the fields replay needs. */
export interface ReplayEvent {
  readonly type: string;
  readonly step?: string;
  readonly item?: number;
  readonly items?: readonly number[];
  readonly status?: string;
  readonly outputs?: unknown;
  readonly attempt?: number;
  readonly time: number;
  readonly delay_ms?: number;
  readonly deadline?: number;
  readonly error?: string;
  /** Outputs that held a secret were masked in the journal: they cannot be replayed. */
  readonly masked?: boolean;
}

export function keyOf(event: ReplayEvent): string {
  const path = event.items ?? (event.item === undefined ? [] : [event.item]);
  return `${event.step}|${path.join('.')}`;
}

/** Folds a journal, oldest entry first, into what a resumed run must know. */
export function replayOf(events: readonly ReplayEvent[]): Replay {
  const succeeded = new Map<string, unknown>();
  const failed = new Map<string, string>();
  const running = new Map<string, number>();
  const waiting = new Map<string, { attempt: number; deadline: number }>();
  const deadlines = new Map<string, number>();
  for (const event of events) {
    if (event.step === undefined) continue;
    const key = keyOf(event);
    running.delete(key);
    waiting.delete(key);
    deadlines.delete(key);
    if (event.type === 'step.started') running.set(key, event.attempt ?? 1);
    if (event.type === 'step.started' && event.deadline !== undefined) deadlines.set(key, event.deadline);
    if (event.type === 'step.retrying') waiting.set(key, { attempt: event.attempt ?? 1, deadline: event.time + (event.delay_ms ?? 0) });
    if (event.type !== 'step.finished') continue;
    if (event.status === 'succeeded' && !event.masked) succeeded.set(key, event.outputs ?? {});
    if (event.status === 'failed') failed.set(key, event.error ?? 'failed');
  }
  return { succeeded, failed, running, waiting, deadlines };
}
