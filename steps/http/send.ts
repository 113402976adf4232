/**
 * One HTTP exchange with Node's fetch, shared by `http.request` and `http.check`: the URL is
 * checked, the call is bounded by the step's signal and a timeout, and every network failure
 * becomes a StepError whose `details.reason` says what went wrong in a few words.
 */
import { StepError } from '../contract.js';

/** The methods the step schemas accept. */
export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** What to send. */
export interface Outgoing {
  readonly method: string;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Milliseconds the whole exchange (headers and body) may take. */
  readonly timeoutMs?: number;
}

/** What came back, once the body has been read. */
export interface Incoming {
  readonly status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly contentType: string;
  readonly durationMs: number;
}

const REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the server',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed (temporary DNS failure)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_SOCKET: 'the server closed the connection',
  UND_ERR_HEADERS_OVERFLOW: 'response headers too large',
  CERT_HAS_EXPIRED: 'TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS certificate chain is self-signed',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate could not be verified',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate does not match the host name',
};

/**
 * Parses `url`, refusing anything but http: and https:.
 *
 * @example
 * parseHttpUrl('http://127.0.0.1:8080/health').port // '8080'
 */
export function parseHttpUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StepError('http.bad_url', `Invalid URL "${url}": write an absolute URL such as http://127.0.0.1:8080/health`, { url });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new StepError('http.bad_url', `Unsupported URL scheme "${parsed.protocol}" in ${url}: only http: and https: URLs are allowed`, { url });
  }
  return parsed;
}

/** A duration as messages show it: `200ms` under a second, else seconds (`1.5s`, `30s`). */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)}ms` : `${Number((ms / 1000).toFixed(1))}s`;
}

/** True for application/json, text/json and any `+json` type. */
export function isJsonType(contentType: string): boolean {
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return /[/+]json$/.test(mediaType);
}

/** At most `max` characters of `text`, with an ellipsis when it was cut. */
export function excerpt(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Sends one request and reads the whole response body. Throws `http.aborted`, `http.timeout` or `http.failed`. */
export async function send(outgoing: Outgoing, stepSignal: AbortSignal): Promise<Incoming> {
  const timeout = outgoing.timeoutMs === undefined ? undefined : AbortSignal.timeout(outgoing.timeoutMs);
  const signal = timeout ? AbortSignal.any([stepSignal, timeout]) : stepSignal;
  const started = performance.now();
  try {
    const response = await fetch(outgoing.url, { method: outgoing.method, headers: outgoing.headers, body: outgoing.body, signal });
    const body = await response.text();
    const headers = Object.fromEntries(response.headers);
    const durationMs = Math.round(performance.now() - started);
    return { status: response.status, headers, body, contentType: headers['content-type'] ?? '', durationMs };
  } catch (error) {
    throw sendFailure(outgoing, error, stepSignal.aborted, timeout?.aborted === true);
  }
}

function sendFailure(outgoing: Outgoing, error: unknown, stopped: boolean, timedOut: boolean): StepError {
  const target = `${outgoing.method} ${outgoing.url.href}`;
  const details = { method: outgoing.method, url: outgoing.url.href };
  if (stopped) return new StepError('http.aborted', `${target} was stopped`, { ...details, reason: 'stopped' }, { cause: error });
  if (timedOut) {
    const reason = `timed out after ${formatDuration(outgoing.timeoutMs ?? 0)}`;
    return new StepError('http.timeout', `${target} ${reason}`, { ...details, reason }, { cause: error });
  }
  const reason = describeNetworkError(error);
  return new StepError('http.failed', `${target} failed: ${reason}`, { ...details, reason }, { cause: error });
}

/** fetch only says "fetch failed": the useful code sits on `cause` (or on an AggregateError's members). */
function describeNetworkError(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  const code = errorCode(cause) ?? errorCode(error);
  if (code !== undefined && REASONS[code]) return REASONS[code];
  if (cause instanceof Error && cause.message !== '') return code ? `${cause.message} (${code})` : cause.message;
  return error instanceof Error ? error.message : String(error);
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  const members = (error as { errors?: unknown }).errors;
  return Array.isArray(members) ? members.map(errorCode).find((c) => c !== undefined) : undefined;
}
