/**
 * arq's own requests through nginx: one fresh connection each (a kept-alive connection could
 * stay with an old worker after a reload), marked with `X-Arq-Probe` so the access log tells them
 * from user traffic, and read back for the revision and the upstream that answered.
 *
 * A connection that fails without an HTTP answer (reset, refused, timed out) is reported in its
 * own class: during a reload that is nginx's doing, not the application's.
 *
 * @example
 * const answer = await probeOnce(new URL('http://127.0.0.1:8080/'), 'proof', 2000, signal);
 * answer.revision // '4'
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** What one probe got back. */
export interface ProbeAnswer {
  /** Epoch milliseconds the answer (or the failure) came. */
  readonly at: number;
  readonly ms: number;
  readonly status: number | null;
  /** The `X-Arq-Revision` header, `X-Arq-Upstream` header (null when absent). */
  readonly revision: string | null;
  readonly upstream: string | null;
  /** Set when no HTTP answer came: `reset`, `refused`, `timeout` or `failed`. */
  readonly failure?: 'reset' | 'refused' | 'timeout' | 'failed';
  readonly error?: string;
}

function failureClass(error: NodeJS.ErrnoException): NonNullable<ProbeAnswer['failure']> {
  if (error.code === 'ECONNRESET' || error.code === 'EPIPE' || error.message === 'socket hang up') return 'reset';
  if (error.code === 'ECONNREFUSED') return 'refused';
  const cause = (error as { cause?: { name?: string } }).cause;
  if (error.code === 'ETIMEDOUT' || error.name === 'TimeoutError' || cause?.name === 'TimeoutError') return 'timeout';
  return 'failed';
}

function header(value: string | string[] | undefined): string | null {
  return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
}

/** Sends one GET with `X-Arq-Probe: KIND` on a new connection and reads the whole answer. */
export function probeOnce(url: URL, kind: string, timeoutMs: number, signal: AbortSignal): Promise<ProbeAnswer> {
  const started = performance.now();
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const done = (answer: Omit<ProbeAnswer, 'at' | 'ms'>) => resolve({ at: Date.now(), ms: Math.round(performance.now() - started), ...answer });
    const fail = (error: NodeJS.ErrnoException) => done({ status: null, revision: null, upstream: null, failure: failureClass(error), error: error.code ?? error.message });
    const req = request(url, { agent: false, headers: { 'X-Arq-Probe': kind, Connection: 'close' }, signal: AbortSignal.any([signal, AbortSignal.timeout(Math.max(1, Math.ceil(timeoutMs)))]) }, (res) => {
      res.resume();
      res.once('error', fail);
      res.once('end', () => done({ status: res.statusCode ?? null, revision: header(res.headers['x-arq-revision']), upstream: header(res.headers['x-arq-upstream']) }));
    });
    req.once('error', fail);
    req.end();
  });
}
