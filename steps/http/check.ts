/**
 * The `http.check` step: polls a URL until it answers healthy, or fails at the deadline saying
 * what was expected and what came back the last time.
 *
 * @example
 * - uses: http.check
 *   with: { url: "http://127.0.0.1:8001/health", json_path: checks.db, equals: up, deadline_ms: 10000 }
 */
import { setTimeout as delay } from 'node:timers/promises';
import { StepError, type StepContext, type StepType } from '../contract.js';
import { judge, type HealthRules } from './judge.js';
import { formatDuration, HTTP_METHODS, parseHttpUrl, send } from './send.js';

/** What `with:` of an http.check step holds once the engine resolved its expressions. */
export interface HttpCheckInput extends Partial<HealthRules> {
  readonly url: string;
  readonly method?: string;
  readonly interval_ms?: number;
  readonly deadline_ms?: number;
}

export interface HttpCheckOutputs extends Record<string, unknown> {
  readonly healthy: true;
  readonly status: number;
  readonly latency_ms: number;
  readonly attempts: number;
}

interface Probe {
  readonly url: URL;
  readonly method: string;
  readonly rules: HealthRules;
  /** performance.now() at which the check gives up. */
  readonly deadline: number;
}

type Outcome = { readonly healthy: true; readonly status: number; readonly latencyMs: number } | { readonly healthy: false; readonly reason: string };

function validateRules(input: HttpCheckInput): void {
  if (input.equals !== undefined && input.json_path === undefined) {
    throw new StepError('http.bad_input', 'http.check has `equals` but no `json_path`: add json_path (e.g. json_path: status) to say which value must equal it');
  }
  if (input.json_path !== undefined && input.equals === undefined) {
    throw new StepError('http.bad_input', `http.check has json_path "${input.json_path}" but no \`equals\`: add the value it must equal`);
  }
}

function stopped(url: URL, attempts: number): StepError {
  return new StepError('http.aborted', `Health check of ${url.href} was stopped after ${plural(attempts, 'attempt')}`, { url: url.href, attempts });
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** One request, judged; a network failure or the deadline passing is an unhealthy outcome too. */
async function probe({ url, method, rules, deadline }: Probe, signal: AbortSignal): Promise<Outcome> {
  const timeoutMs = Math.max(1, Math.ceil(deadline - performance.now()));
  try {
    const response = await send({ method, url, headers: {}, timeoutMs }, signal);
    const reason = judge(response, rules);
    if (reason === undefined) return { healthy: true, status: response.status, latencyMs: response.durationMs };
    return { healthy: false, reason };
  } catch (error) {
    if (!(error instanceof StepError) || error.code === 'http.aborted') throw error;
    if (error.code === 'http.timeout') return { healthy: false, reason: 'no response before the deadline' };
    return { healthy: false, reason: String(error.details['reason'] ?? error.message) };
  }
}

/** Polls until healthy; each failed attempt is logged, and the last one's reason ends up in the error. */
async function runCheck(input: HttpCheckInput, ctx: StepContext): Promise<HttpCheckOutputs> {
  validateRules(input);
  const { method = 'GET', status = 200, interval_ms: intervalMs = 500, deadline_ms: deadlineMs = 30_000 } = input;
  const url = parseHttpUrl(input.url);
  const target: Probe = { url, method: method.toUpperCase(), rules: { ...input, status }, deadline: performance.now() + deadlineMs };
  let attempts = 0;
  let reason = '';
  while (!ctx.signal.aborted) {
    attempts += 1;
    const outcome = await probe(target, ctx.signal).catch((error: unknown) => {
      throw error instanceof StepError && error.code === 'http.aborted' ? stopped(url, attempts) : error;
    });
    if (outcome.healthy) return { healthy: true, status: outcome.status, latency_ms: outcome.latencyMs, attempts };
    reason = outcome.reason;
    ctx.log('info', `attempt ${attempts}: ${url.href} not healthy: ${reason}`);
    if (performance.now() + intervalMs >= target.deadline) {
      const message = `${url.href} not healthy after ${plural(attempts, 'attempt')} in ${formatDuration(deadlineMs)}: ${reason}`;
      throw new StepError('http.unhealthy', message, { url: url.href, attempts, reason });
    }
    await delay(intervalMs, undefined, { signal: ctx.signal }).catch(() => undefined);
  }
  throw stopped(url, attempts);
}

/** A health check: retries a URL until status, body, JSON value and latency are as expected, within a deadline. */
export const httpCheck: StepType<HttpCheckInput, HttpCheckOutputs> = {
  type: 'http.check',
  description: 'Polls a URL until it answers healthy (status, body, JSON value, latency) or its deadline passes.',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['url'],
    properties: {
      url: { type: 'string', minLength: 1, description: 'The http: or https: URL to check.' },
      method: { enum: [...HTTP_METHODS], default: 'GET', description: 'The HTTP method of each attempt.' },
      status: { type: 'integer', minimum: 100, maximum: 599, default: 200, description: 'The status a healthy response has.' },
      body_contains: { type: 'string', description: 'Text a healthy response body contains.' },
      json_path: { type: 'string', minLength: 1, description: 'A dot path into the JSON body, e.g. `status` or `checks.db`; its value must equal `equals`.' },
      equals: { description: 'The JSON value found at `json_path` in a healthy response (compared as JSON, key order ignored).' },
      max_latency_ms: { type: 'integer', minimum: 1, description: 'Milliseconds a healthy response may take, body included.' },
      interval_ms: { type: 'integer', minimum: 0, maximum: 2147483647, default: 500, description: 'Milliseconds to wait after a failed attempt before the next one.' },
      deadline_ms: { type: 'integer', minimum: 1, maximum: 2147483647, default: 30_000, description: 'Milliseconds after which the check gives up; it also bounds each attempt.' },
    },
  },
  output: {
    type: 'object',
    properties: {
      healthy: { const: true, description: 'Always true: an unhealthy URL fails the step.' },
      status: { type: 'integer', description: 'The status of the healthy response.' },
      latency_ms: { type: 'integer', description: 'Milliseconds the healthy response took.' },
      attempts: { type: 'integer', description: 'How many requests were sent, the healthy one included.' },
    },
  },
  run: runCheck,
};
