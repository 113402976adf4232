/**
 * Abort listeners that cost O(1) each. Node's EventTarget looks through every listener already
 * added before it adds one, so the 1,000 steps of a wide group listening on their coordinator's
 * one signal cost 1,000^2 / 2 comparisons. Here a signal gets one listener, and what waits on it
 * goes in a list: a Set would shrink its table (an allocation) each time a chain's one step left it.
 */
/** What waits on one signal: a list, so that a waiter added and removed per step allocates no table. */
class Waiters {
  head?: Waiter;
  tail?: Waiter;
  fired = false;

  add(call: () => void): Waiter {
    const waiter = new Waiter(this, call, this.tail);
    // The signal has aborted: nothing will call it (as with a listener added to an aborted signal).
    if (this.fired) {
      waiter.removed = true;
      return waiter;
    }
    if (this.tail) this.tail.next = waiter;
    else this.head = waiter;
    this.tail = waiter;
    return waiter;
  }

  /** Calls every waiter there is when the signal aborts, in order; one removed meanwhile is not called. */
  fire(): void {
    this.fired = true;
    for (let waiter = this.head; waiter; waiter = waiter.next) if (!waiter.removed) waiter.call();
    this.head = this.tail = undefined;
  }
}

/** One listener on a signal (see {@link whenAborted}); `remove()` takes it off. */
export class Waiter {
  next?: Waiter;
  removed = false;

  constructor(private readonly list: Waiters, readonly call: () => void, private prev?: Waiter) {}

  remove(): void {
    if (this.removed) return;
    this.removed = true;
    const { list } = this;
    if (list.fired) return;
    if (this.prev) this.prev.next = this.next;
    else list.head = this.next;
    if (this.next) this.next.prev = this.prev;
    else list.tail = this.prev;
  }
}

const waiting = new WeakMap<AbortSignal, Waiters>();

/**
 * Calls `listener` once when `signal` aborts (in the order listeners were added); `remove()` on
 * what it returns takes it off. A signal already aborted calls nothing: callers check
 * `signal.aborted` first.
 */
export function whenAborted(signal: AbortSignal, listener: () => void): Waiter {
  let list = waiting.get(signal);
  if (!list) {
    const fresh = new Waiters();
    waiting.set(signal, (list = fresh));
    signal.addEventListener('abort', () => fresh.fire(), { once: true });
  }
  return list.add(listener);
}

/**
 * A step's own signal, made on first read: aborted with its coordinator's signal while the step
 * runs. Most no-op-like steps never read it, and so cost no AbortController.
 */
export class StepSignal {
  private controller?: AbortController;
  private unlink?: Waiter;

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
    this.unlink?.remove();
  }
}
