/**
 * Whether one response is healthy for `http.check`: each rule returns why not, in the words of
 * the failure message (`expected status 200, got 503`), or undefined when it holds.
 */
import { excerpt, formatDuration, isJsonType, type Incoming } from './send.js';

/** What a healthy response looks like. */
export interface HealthRules {
  readonly status: number;
  readonly body_contains?: string;
  readonly json_path?: string;
  readonly equals?: unknown;
  readonly max_latency_ms?: number;
}

const MISSING = Symbol('missing');

/** The first broken rule, in the order status, body, JSON path, latency; undefined when all hold. */
export function judge(response: Incoming, rules: HealthRules): string | undefined {
  return (
    judgeStatus(response, rules) ??
    judgeBody(response, rules) ??
    judgeJsonPath(response, rules) ??
    judgeLatency(response, rules)
  );
}

function judgeStatus(response: Incoming, { status }: HealthRules): string | undefined {
  return response.status === status ? undefined : `expected status ${status}, got ${response.status}`;
}

function judgeBody(response: Incoming, { body_contains }: HealthRules): string | undefined {
  if (body_contains === undefined || response.body.includes(body_contains)) return undefined;
  return `expected body to contain ${JSON.stringify(body_contains)}, got ${JSON.stringify(excerpt(response.body))}`;
}

function judgeJsonPath(response: Incoming, { json_path, equals }: HealthRules): string | undefined {
  if (json_path === undefined) return undefined;
  const expected = `expected ${displayPath(json_path)} to equal ${JSON.stringify(equals)}`;
  let document: unknown;
  try {
    document = JSON.parse(response.body);
  } catch {
    const type = isJsonType(response.contentType) ? '' : ` (content-type ${response.contentType || 'missing'})`;
    return `${expected}, got a body that is not JSON${type}: ${JSON.stringify(excerpt(response.body))}`;
  }
  const actual = readPath(document, json_path);
  if (actual === MISSING) return `${expected}, got no value there`;
  return jsonEqual(actual, equals) ? undefined : `${expected}, got ${excerpt(JSON.stringify(actual))}`;
}

function judgeLatency(response: Incoming, { max_latency_ms }: HealthRules): string | undefined {
  if (max_latency_ms === undefined || response.durationMs <= max_latency_ms) return undefined;
  return `latency ${formatDuration(response.durationMs)} over the limit of ${formatDuration(max_latency_ms)}`;
}

/** `checks.db` and `$.checks.db` both show as `$.checks.db`. */
export function displayPath(path: string): string {
  return path.startsWith('$') ? path : `$.${path}`;
}

/**
 * Follows a dot path (`status`, `checks.db`, `items.0.name`, optionally starting with `$.`).
 *
 * @example
 * readPath({ checks: { db: 'up' } }, 'checks.db') // 'up'
 */
export function readPath(document: unknown, path: string): unknown {
  const keys = path.replace(/^\$\.?/, '').split('.').filter((key) => key !== '');
  let value: unknown = document;
  for (const key of keys) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return MISSING;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** Equality of JSON values: objects compare by their keys whatever the order. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((key) => Object.hasOwn(b, key) && jsonEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}
