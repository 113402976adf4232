/**
 * Waiting in a browser step: a WebDriver call cannot be aborted, so a stopped step stops
 * waiting for it (the session is killed with the run, or reused by the next step), and
 * conditions are polled until they hold or their time is up.
 *
 * @example
 * const last = await poll(async () => ({ done: (await browser.getTitle()) === 'Home' }), { timeoutMs: 5000, signal });
 */
import { setTimeout as delay } from 'node:timers/promises';
import { StepError } from '../contract.js';

const POLL_INTERVAL_MS = 100;

function cancelled(): StepError {
  return new StepError('browser.cancelled', 'Cancelled');
}

/** `work`, or a rejection as soon as `signal` fires; a later failure of `work` is then ignored. */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    work.catch(() => {});
    return Promise.reject(cancelled());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      work.catch(() => {});
      reject(cancelled());
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export interface PollOptions {
  /** How long the condition may take to hold; 0 probes once. */
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
}

/**
 * Probes until the result says `done` or the time is up, and returns the last result.
 * `onFirstMiss` hears of the first result that is not done yet, when the waiting begins.
 */
export async function poll<T extends { readonly done: boolean }>(probe: () => Promise<T>, { timeoutMs, signal }: PollOptions, onFirstMiss?: (result: T) => void): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let round = 1; ; round++) {
    const result = await untilAborted(probe(), signal);
    const left = deadline - Date.now();
    if (result.done || left <= 0) return result;
    if (round === 1) onFirstMiss?.(result);
    await delay(Math.min(POLL_INTERVAL_MS, left), undefined, { signal }).catch(() => {
      throw cancelled();
    });
  }
}
