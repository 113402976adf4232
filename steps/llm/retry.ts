/**
 * Which failed LLM requests are tried again, and after how long. Rate limits (429, waiting what
 * `retry-after` / `retry-after-ms` says), timeouts, lost connections, 408 and 5xx are retried with
 * backoff; any other 4xx is not (a bad request stays bad). Reasons name the status and the
 * server's message, as the SDK words them (`429 Rate limit reached for requests`).
 */
import type * as OpenAISdk from 'openai';

type Sdk = typeof OpenAISdk;

export interface Failure {
  readonly retry: boolean;
  readonly reason: string;
  readonly status?: number;
  /** The wait the server asked for, in ms. */
  readonly retryAfterMs?: number;
}

/** Longest wait a retry-after may ask for; a longer one fails the step rather than stall it. */
export const MAX_RETRY_AFTER_MS = 300_000;

/** The longest delay of arq's own backoff. */
const MAX_BACKOFF_MS = 30_000;

/**
 * A `retry-after-ms` or `retry-after` header (seconds or an HTTP date) in ms, if any.
 *
 * @example
 * retryAfterMs(new Headers({ 'retry-after': '2' })); // 2000
 */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  const ms = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const text = headers?.get('retry-after');
  if (!text) return undefined;
  const seconds = Number(text);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** `backoff * 2^(k-1)` before attempt k+1, capped at 30 s. */
export function backoffDelay(backoffMs: number, failedAttempt: number): number {
  return Math.min(backoffMs * 2 ** (failedAttempt - 1), MAX_BACKOFF_MS);
}

/** The deepest `code` or message of a connection error's causes (`ECONNREFUSED`). */
function connectionReason(error: Error): string {
  let cause: unknown = error.cause;
  for (let depth = 0; depth < 5 && cause instanceof Error; depth++) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code) return `connection failed (${code})`;
    if (!(cause.cause instanceof Error)) return `connection failed (${cause.message})`;
    cause = cause.cause;
  }
  return 'connection failed';
}

const retryable = (status: number) => status === 429 || status === 408 || status >= 500;

/** What went wrong with one request, and whether to try again. */
export function failureOf(error: unknown, sdk: Sdk, timeoutMs: number): Failure {
  if (error instanceof sdk.APIConnectionTimeoutError) return { retry: true, reason: `no answer within ${timeoutMs}ms (request_timeout)` };
  if (error instanceof sdk.APIConnectionError) return { retry: true, reason: connectionReason(error) };
  if (error instanceof sdk.APIError && typeof error.status === 'number') {
    const retry = retryable(error.status);
    return { retry, reason: error.message, status: error.status, retryAfterMs: retry ? retryAfterMs(error.headers) : undefined };
  }
  return { retry: false, reason: error instanceof Error ? error.message : String(error) };
}
