/** The words of schema problems: what a value is, what was expected, and what the value is called. */
import type { ErrorObject } from './ajv.js';
import type { YamlPath } from '../load/load.js';
import { valueAt } from './checker.js';

/** Lists of steps: an item in one of them is named after its id. */
const STEP_LISTS = new Set(['steps', 'parallel', 'on_failure', 'finally']);

/** A value as a user would describe it: `the string "5 minutes"`, `a mapping`, `the integer 3`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  if (typeof value === 'number') return Number.isInteger(value) ? `the integer ${value}` : `the number ${value}`;
  return `${typeof value} ${String(value)}`;
}

const typeWords: Record<string, string> = {
  string: 'a string', number: 'a number', integer: 'an integer', boolean: 'true or false',
  object: 'a mapping (key: value pairs)', array: 'a list', null: 'null',
};

/** `a string or a list`, from a JSON Schema `type` (one name or several). */
export function expectedType(type: unknown): string {
  const types = (Array.isArray(type) ? type : [type]).map(String);
  if (types.length === 1) return typeWords[types[0]!] ?? types[0]!;
  const words = types.map((t) => (t === 'boolean' ? 'a boolean (true or false)' : (typeWords[t] ?? t)));
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

/** The schema's own words for what it expects (`x-expected`), if it has them. */
export function expectedOf(error: ErrorObject): string | undefined {
  const schema = error.parentSchema as Record<string, unknown> | undefined;
  return typeof schema?.['x-expected'] === 'string' ? schema['x-expected'] : undefined;
}

/**
 * What the value at `path` is called in a sentence: `"timeout"`, `step "build"`,
 * `item 2 of "steps"`, or `root` (`the workflow`) for the whole document.
 */
export function nameAt(path: YamlPath, data: unknown, root: string): string {
  const last = path[path.length - 1];
  if (last === undefined) return root;
  if (typeof last === 'string') return `"${last}"`;
  const parent = path[path.length - 2];
  const id = (valueAt(data, path) as { id?: unknown } | null | undefined)?.id;
  if (typeof parent === 'string' && STEP_LISTS.has(parent) && typeof id === 'string') return `step "${id}"`;
  return `item ${last + 1} of ${parent === undefined ? root : nameAt(path.slice(0, -1), data, root)}`;
}

/** The same name at the start of a sentence. */
export function capitalized(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** Bounds and sizes, said in words: `at least 1`, `at most 100 items`, `not empty`. */
export function describeLimit(error: ErrorObject): string | undefined {
  const limit = (error.params as { limit?: number }).limit;
  switch (error.keyword) {
    case 'minimum': return `at least ${limit}`;
    case 'maximum': return `at most ${limit}`;
    case 'exclusiveMinimum': return `greater than ${limit}`;
    case 'exclusiveMaximum': return `less than ${limit}`;
    case 'minItems': return limit === 1 ? 'a list with at least one item' : `a list of at least ${limit} items`;
    case 'maxItems': return `a list of at most ${limit} items`;
    case 'minLength': return limit === 1 ? 'a non-empty string' : `a string of at least ${limit} characters`;
    case 'maxLength': return `a string of at most ${limit} characters`;
    default: return undefined;
  }
}
