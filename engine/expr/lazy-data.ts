/**
 * Plain JS values seen through the `data.*` types of @actions/expressions, converted lazily.
 *
 * Contexts can be huge (a `steps` context with 10,000 entries, outputs of any size). Converting a
 * whole context before each evaluation would make every step cost O(N), so a container is wrapped
 * in O(1) and a member is converted only when the evaluator reads it.
 */

import { data } from '@actions/expressions';

/** Counts plain-to-data conversions, so tests can prove cost does not grow with context size. */
export const conversionStats = { count: 0 };

/** Wraps a plain JS value; containers are not walked until read. */
export function toData(value: unknown): data.ExpressionData {
  conversionStats.count++;
  switch (typeof value) {
    case 'string':
      return new data.StringData(value);
    case 'number':
      return new data.NumberData(value);
    case 'boolean':
      return new data.BooleanData(value);
    case 'bigint':
      return new data.NumberData(Number(value));
    case 'object':
      return value === null ? new data.Null() : objectToData(value);
    default:
      // undefined is a missing value; functions and symbols are not data.
      return new data.Null();
  }
}

function objectToData(value: object): data.ExpressionData {
  if (Array.isArray(value)) return new LazyArray(value);
  if (value instanceof Date) return new data.StringData(value.toISOString());
  return new LazyDictionary(value as Readonly<Record<string, unknown>>);
}

/**
 * A dictionary over a plain object. Keys are case-insensitive like GitHub's: an exact match is
 * O(1); only a key typed in another case scans the keys.
 */
export class LazyDictionary extends data.Dictionary {
  private readonly converted = new Map<string, data.ExpressionData>();

  constructor(readonly source: Readonly<Record<string, unknown>>) {
    super();
  }

  override get(key: string): data.ExpressionData | undefined {
    const actual = findKey(this.source, key);
    if (actual === undefined) return undefined;
    let value = this.converted.get(actual);
    if (value === undefined) {
      value = toData(this.source[actual]);
      this.converted.set(actual, value);
    }
    return value;
  }

  override values(): data.ExpressionData[] {
    return this.pairs().map((pair) => pair.value);
  }

  override pairs(): { key: string; value: data.ExpressionData }[] {
    return uniqueKeys(this.source).map((key) => ({ key, value: this.get(key) ?? new data.Null() }));
  }
}

/** The root of the contexts: a context declared but not supplied reads as null, not a crash. */
export class ContextsDictionary extends LazyDictionary {
  override get(key: string): data.ExpressionData {
    return super.get(key) ?? new data.Null();
  }
}

/** Own keys only, so `inputs.constructor` or `env.__proto__` read as null like any missing key. */
function findKey(source: object, key: string): string | undefined {
  if (Object.hasOwn(source, key)) return key;
  const lower = key.toLowerCase();
  return Object.keys(source).find((candidate) => candidate.toLowerCase() === lower);
}

/** Keys that differ only in case collapse to the first one, as in data.Dictionary. */
function uniqueKeys(source: object): string[] {
  const seen = new Set<string>();
  return Object.keys(source).filter((key) => {
    const lower = key.toLowerCase();
    if (seen.has(lower)) return false;
    seen.add(lower);
    return true;
  });
}

/**
 * An array over a plain array. The evaluator reads `values().length` before each index access,
 * so values() hands out a view that converts an element only when it is read.
 */
export class LazyArray extends data.Array {
  private readonly converted: (data.ExpressionData | undefined)[] = [];
  private view: data.ExpressionData[] | undefined;

  constructor(readonly source: readonly unknown[]) {
    super();
  }

  override get(index: number): data.ExpressionData {
    if (index < 0 || index >= this.source.length) return new data.Null();
    return (this.converted[index] ??= toData(this.source[index]));
  }

  override values(): data.ExpressionData[] {
    return (this.view ??= lazyView(this.source.length, (index) => this.get(index)));
  }
}

function lazyView(length: number, at: (index: number) => data.ExpressionData): data.ExpressionData[] {
  const target = new Array<data.ExpressionData>(length);
  return new Proxy(target, {
    get: (t, prop, receiver) => {
      const index = arrayIndex(prop, length);
      return index === undefined ? Reflect.get(t, prop, receiver) : at(index);
    },
    // Array methods such as map() skip holes; every index in range holds a value.
    has: (t, prop) => arrayIndex(prop, length) !== undefined || Reflect.has(t, prop),
  });
}

function arrayIndex(prop: string | symbol, length: number): number | undefined {
  if (typeof prop !== 'string') return undefined;
  const index = Number(prop);
  return Number.isInteger(index) && index >= 0 && index < length && String(index) === prop
    ? index
    : undefined;
}

/** Converts an evaluation result back to plain JS (arrays, objects, numbers, strings, booleans, null). */
export function toPlain(value: data.ExpressionData): unknown {
  if (value instanceof LazyDictionary || value instanceof LazyArray) return clonePlain(value.source);
  switch (value.kind) {
    case data.Kind.Null:
      return null;
    case data.Kind.Boolean:
    case data.Kind.Number:
    case data.Kind.String:
      return value.value;
    case data.Kind.Array:
      return value.values().map(toPlain);
    default:
      return Object.fromEntries(value.pairs().map(({ key, value: v }) => [key, toPlain(v)]));
  }
}

/**
 * A copy of a context value in the shape toData sees it. Results are copied rather than shared so
 * that a step cannot change another step's outputs through the value it was given.
 */
export function clonePlain(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return value;
    case 'bigint':
      return Number(value);
    case 'object':
      return value === null ? null : cloneObject(value);
    default:
      return null;
  }
}

function cloneObject(value: object): unknown {
  if (Array.isArray(value)) return value.map(clonePlain);
  if (value instanceof Date) return value.toISOString();
  return Object.fromEntries(
    uniqueKeys(value).map((key) => [key, clonePlain((value as Record<string, unknown>)[key])]),
  );
}
