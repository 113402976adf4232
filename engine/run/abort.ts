/**
 * Abort listeners that cost O(1) each. Node's EventTarget looks through every listener already
 * added before it adds one, so the 1,000 steps of a wide group listening on their coordinator's
 * one signal cost 1,000^2 / 2 comparisons. Here a signal gets one listener, and what waits on it
 * goes in a Set.
 */
const waiting = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * Calls `listener` once when `signal` aborts (in the order listeners were added); returns what
 * removes it. A signal already aborted calls nothing: callers check `signal.aborted` first.
 */
export function whenAborted(signal: AbortSignal, listener: () => void): () => void {
  let set = waiting.get(signal);
  if (!set) {
    const fresh = new Set<() => void>();
    waiting.set(signal, (set = fresh));
    signal.addEventListener('abort', () => {
      const listeners = [...fresh];
      fresh.clear();
      for (const call of listeners) call();
    }, { once: true });
  }
  set.add(listener);
  const added = set;
  return () => added.delete(listener);
}

/**
 * A step's own signal, made on first read: aborted with its coordinator's signal while the step
 * runs. Most no-op-like steps never read it, and so cost no AbortController.
 */
export class StepSignal {
  private controller?: AbortController;
  private unlink?: () => void;

  constructor(private readonly parent: AbortSignal) {}

  get signal(): AbortSignal {
    if (!this.controller) {
      const controller = (this.controller = new AbortController());
      if (this.parent.aborted) controller.abort(this.parent.reason);
      else this.unlink = whenAborted(this.parent, () => controller.abort(this.parent.reason));
    }
    return this.controller.signal;
  }

  /** The step ended: it no longer listens on its coordinator. */
  dispose(): void {
    this.unlink?.();
  }
}
