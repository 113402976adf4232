/**
 * One timer per schedule entry, armed for its next firing. Timers are re-armed at least every
 * minute and the firings due are worked out from the wall clock when one goes off, so a clock
 * that was changed, or a machine that slept, is noticed: every firing since the last one is
 * handed over (the scheduler decides what is late and what is missed).
 */
import type { Firings } from './firings.js';

/** Node's timers drift with the wall clock; a minute is a short wait to notice a change. */
const LONGEST_WAIT_MS = 60_000;
/** Firings handed over at most per wake-up (the latest ones): a long sleep of a once-a-second line. */
export const MAX_DUE = 100;

/** Told the firings due, oldest first; `more` when there were older ones beyond MAX_DUE. */
export type OnDue = (due: number[], more: boolean) => void;

/**
 * The timer of one entry.
 *
 * @example
 * const clock = new EntryClock(new Firings('0 3 * * *', 'Europe/Berlin'), (due) => console.log(due));
 * clock.start();
 */
export class EntryClock {
  private timer?: NodeJS.Timeout;
  private next?: number;

  constructor(
    private readonly firings: Firings,
    private readonly onDue: OnDue,
  ) {}

  /** The next firing the clock waits for, if any. */
  get nextFiring(): number | undefined {
    return this.next;
  }

  /** Waits for the firings after `now`. */
  start(now = Date.now()): void {
    this.next = this.firings.next(now);
    this.arm();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.next = undefined;
  }

  private arm(): void {
    if (this.next === undefined) return;
    const wait = Math.min(Math.max(0, this.next - Date.now()), LONGEST_WAIT_MS);
    this.timer = setTimeout(() => this.wake(), wait);
  }

  private wake(): void {
    const now = Date.now();
    if (this.next === undefined) return;
    if (this.next > now) return this.arm();
    const { firings, more } = this.firings.recent(this.next - 1, now, MAX_DUE);
    this.next = this.firings.next(now);
    this.arm();
    this.onDue(firings.reverse(), more);
  }
}
