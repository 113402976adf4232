/**
 * Readiness of a service that was just started: a TCP port that accepts connections, an HTTP URL
 * that answers, a line in its log. Polled until every condition given holds, the service exits,
 * the deadline passes or the step is stopped.
 *
 * @example
 * await waitReady({ tcp: 8080, log: 'listening' }, { logFile, alive: () => child.exitCode === null, signal });
 */
import { open } from 'node:fs/promises';
import { connect } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { StepError } from '../contract.js';
import { send } from '../http/send.js';

/** What `ready:` holds. */
export interface ReadySpec {
  /** A port on 127.0.0.1, or host:port. */
  readonly tcp?: number | string;
  /** A URL that must answer (any 2xx or 3xx, or `status`). */
  readonly http?: string;
  readonly status?: number;
  /** Text that must appear in the service's log (a regular expression with `log_regex: true`). */
  readonly log?: string;
  readonly log_regex?: boolean;
  readonly timeout_ms?: number;
  readonly interval_ms?: number;
}

export const readySchema = {
  type: 'object',
  additionalProperties: false,
  description: 'When the service counts as started: every condition given must hold within timeout_ms.',
  properties: {
    tcp: {
      anyOf: [{ type: 'integer', minimum: 1, maximum: 65535 }, { type: 'string', pattern: '^[^\\s:]+:\\d{1,5}$|^\\[[0-9a-fA-F:]+\\]:\\d{1,5}$' }],
      description: 'A port on 127.0.0.1 (e.g. 8080) or host:port that must accept a TCP connection.',
    },
    http: { type: 'string', pattern: '^https?://', description: 'A URL that must answer with a 2xx or 3xx status (or `status`).' },
    status: { type: 'integer', minimum: 100, maximum: 599, description: 'The status `http` must answer with.' },
    log: { type: 'string', minLength: 1, description: 'Text that must appear in the service\'s log.' },
    log_regex: { type: 'boolean', default: false, description: 'Read `log` as a regular expression.' },
    timeout_ms: { type: 'integer', minimum: 1, maximum: 2147483647, default: 30000, description: 'How long the service has to become ready; past it the service is stopped and the step fails.' },
    interval_ms: { type: 'integer', minimum: 10, maximum: 60000, default: 100, description: 'Milliseconds between two checks.' },
  },
} as const;

/** What the waiting needs from the service. */
export interface Watched {
  readonly logFile: string;
  /** Undefined while it runs; how it ended otherwise (`exit code 1`, `signal SIGKILL`). */
  readonly ended: () => string | undefined;
  readonly signal: AbortSignal;
}

/** Why a check did not pass yet: undefined once it passes. */
type Check = () => Promise<string | undefined>;

/**
 * Parses `tcp:` into a host and a port.
 *
 * @example
 * tcpTarget(8080);            // { host: '127.0.0.1', port: 8080 }
 * tcpTarget('[::1]:9000');    // { host: '::1', port: 9000 }
 */
export function tcpTarget(tcp: number | string): { host: string; port: number } {
  if (typeof tcp === 'number') return { host: '127.0.0.1', port: tcp };
  const at = tcp.lastIndexOf(':');
  return { host: tcp.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(tcp.slice(at + 1)) };
}

function tcpCheck(tcp: number | string, signal: AbortSignal): Check {
  const { host, port } = tcpTarget(tcp);
  return () =>
    new Promise((resolve) => {
      const socket = connect({ host, port, signal });
      const done = (reason: string | undefined) => {
        socket.destroy();
        resolve(reason);
      };
      socket.setTimeout(2000, () => done(`${host}:${port} did not answer a TCP connection`));
      socket.once('connect', () => done(undefined));
      socket.once('error', (error: NodeJS.ErrnoException) => done(`${host}:${port} refused the TCP connection (${error.code ?? error.message})`));
    });
}

function httpCheck(url: string, status: number | undefined, signal: AbortSignal): Check {
  return async () => {
    try {
      const answer = await send({ method: 'GET', url: new URL(url), headers: {}, timeoutMs: 2000 }, signal);
      const ok = status === undefined ? answer.status >= 200 && answer.status < 400 : answer.status === status;
      return ok ? undefined : `${url} answered ${answer.status}, expected ${status ?? '2xx or 3xx'}`;
    } catch (error) {
      return `${url} did not answer (${error instanceof Error ? error.message : String(error)})`;
    }
  };
}

/** Reads the log from where the last look stopped: a long log is not read again at every poll. */
function logCheck(spec: ReadySpec, logFile: string): Check {
  const pattern = spec.log_regex ? new RegExp(spec.log!) : undefined;
  let seen = '';
  let offset = 0;
  return async () => {
    const handle = await open(logFile, 'r').catch(() => undefined);
    if (handle) {
      try {
        const { size } = await handle.stat();
        if (size > offset) {
          const buffer = Buffer.alloc(Math.min(size - offset, 1024 * 1024));
          const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
          offset += bytesRead;
          // Keep a tail long enough for a match that spans two reads.
          seen = (seen + buffer.subarray(0, bytesRead).toString('utf8')).slice(-64 * 1024);
        }
      } finally {
        await handle.close();
      }
    }
    const found = pattern ? pattern.test(seen) : seen.includes(spec.log!);
    return found ? undefined : `the log has no ${pattern ? `line matching /${spec.log}/` : JSON.stringify(spec.log)} yet`;
  };
}

/** Waits until the service is ready; throws a StepError saying which condition did not hold. */
export async function waitReady(spec: ReadySpec, watched: Watched): Promise<void> {
  const checks: Check[] = [];
  if (spec.tcp !== undefined) checks.push(tcpCheck(spec.tcp, watched.signal));
  if (spec.http !== undefined) checks.push(httpCheck(spec.http, spec.status, watched.signal));
  if (spec.log !== undefined) checks.push(logCheck(spec, watched.logFile));
  const timeoutMs = spec.timeout_ms ?? 30_000;
  const deadline = performance.now() + timeoutMs;
  // Bounded: one pass per interval until the deadline.
  for (let pass = 0; pass < 1 + timeoutMs / (spec.interval_ms ?? 100) + 1; pass++) {
    if (watched.signal.aborted) throw new StepError('process.aborted', 'Stopped while waiting for the service to be ready');
    const reasons = (await Promise.all(checks.map((check) => check()))).filter((r): r is string => r !== undefined);
    if (!reasons.length) return;
    const ended = watched.ended();
    if (ended !== undefined) throw new StepError('process.exited', `The service ended (${ended}) before it was ready`);
    if (performance.now() >= deadline) throw new StepError('process.not_ready', `The service was not ready after ${timeoutMs} ms: ${reasons.join('; ')}`);
    await delay(Math.min(spec.interval_ms ?? 100, Math.max(1, deadline - performance.now())), undefined, { signal: watched.signal }).catch(() => undefined);
  }
  throw new StepError('process.not_ready', `The service was not ready after ${timeoutMs} ms`);
}
