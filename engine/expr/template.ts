/** `${{ }}` inside YAML values: compile a whole value tree once, evaluate it many times. */

import { data } from '@actions/expressions';
import { literalOf } from './analyze.js';
import { compileExpr, exprNode, type CompileEnv } from './compile-expr.js';
import { evaluateExpr } from './evaluate.js';
import { toPlain } from './lazy-data.js';
import { isSingleExpression, splitTemplate, type Segment } from './split.js';
import type { CompiledExpr, CompiledValue, ConstNode, EvalContext, ExprProblem, StepRef, ValuePath } from './types.js';

/**
 * Compiles every string inside `value` (objects and arrays are walked). A string that is exactly
 * one `${{ }}` (surrounding whitespace allowed) keeps its result's type; a string with other text
 * or several expressions becomes a string. Problems are collected, never thrown.
 * @example compileValue({ n: '${{ inputs.n }}' }, ['inputs']).compiled
 */
export function compileValue(
  value: unknown,
  contexts: readonly string[],
): { compiled: CompiledValue; problems: ExprProblem[] } {
  const constant = constantCopy(value);
  if (constant !== NOT_CONSTANT) return { compiled: { kind: 'const', value: constant }, problems: [] };
  const env: ValueEnv = { contexts, problems: [], path: [] };
  return { compiled: compileNode(value, env), problems: env.problems };
}

const NOT_CONSTANT = Symbol('not constant');

/**
 * What compileNode makes of a value without any `${{`, in one cheap walk (most values have none):
 * arrays and plain objects copied, anything else as is. NOT_CONSTANT at the first `${{`.
 */
function constantCopy(value: unknown): unknown {
  if (typeof value === 'string') return value.includes('${{') ? NOT_CONSTANT : value;
  if (Array.isArray(value)) return constantArray(value);
  if (isPlainObject(value)) return constantObject(value);
  return value;
}

function constantArray(value: readonly unknown[]): unknown {
  const copy: unknown[] = [];
  for (let i = 0; i < value.length; i++) {
    const item = constantCopy(value[i]);
    if (item === NOT_CONSTANT) return NOT_CONSTANT;
    copy.push(item);
  }
  return copy;
}

function constantObject(value: Record<string, unknown>): unknown {
  const copy: Record<string, unknown> = {};
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const item = constantCopy(value[key]);
    if (item === NOT_CONSTANT) return NOT_CONSTANT;
    setValue(copy, key, item);
  }
  return copy;
}

/**
 * `path` is where the node being compiled sits, kept as one stack for the whole walk: a string
 * with an expression copies it, a constant (most values) costs no path at all.
 */
interface ValueEnv extends CompileEnv {
  readonly path: ValuePath;
}

function compileNode(value: unknown, env: ValueEnv): CompiledValue {
  if (typeof value === 'string') return compileString(value, env);
  if (Array.isArray(value)) return compileArray(value, env);
  if (isPlainObject(value)) return compileObject(value, env);
  return { kind: 'const', value };
}

function compileChild(value: unknown, key: string | number, env: ValueEnv): CompiledValue {
  env.path.push(key);
  const compiled = compileNode(value, env);
  env.path.pop();
  return compiled;
}

function compileArray(value: readonly unknown[], env: ValueEnv): CompiledValue {
  const items: CompiledValue[] = [];
  let constant = true;
  for (let index = 0; index < value.length; index++) {
    const item = compileChild(value[index], index, env);
    items.push(item);
    constant &&= item.kind === 'const';
  }
  if (!constant) return { kind: 'array', items };
  return { kind: 'const', value: items.map((item) => (item as ConstNode).value) };
}

/** Keys are taken literally: an expression in a key is not evaluated. */
function compileObject(value: Record<string, unknown>, env: ValueEnv): CompiledValue {
  const keys = Object.keys(value);
  const items: CompiledValue[] = [];
  let constant = true;
  for (const key of keys) {
    const item = compileChild(value[key], key, env);
    items.push(item);
    constant &&= item.kind === 'const';
  }
  if (!constant) return { kind: 'object', entries: keys.map((key, i) => [key, items[i]!] as const) };
  return { kind: 'const', value: constObject(keys, items as ConstNode[]) };
}

/** A new object of the constants' values (as Object.fromEntries builds it: `__proto__` is a plain key). */
function constObject(keys: readonly string[], items: readonly ConstNode[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) setValue(out, keys[i]!, items[i]!.value);
  return out;
}

/** `out[key] = value`, where `__proto__` too is an own key. */
function setValue(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
  else out[key] = value;
}

function compileString(value: string, env: ValueEnv): CompiledValue {
  if (!value.includes('${{')) return { kind: 'const', value };
  // The expressions and problems of one string share the copy of its path.
  const path = [...env.path];
  const split = splitTemplate(value);
  if (!split.ok) {
    env.problems.push({ path, offset: split.offset, message: split.message, expression: split.text });
    return { kind: 'const', value };
  }
  const parts = split.segments.map((segment) => compileSegment(segment, path, env));
  if (parts.includes(undefined)) return { kind: 'const', value };
  const compiled = parts as (string | CompiledExpr)[];
  const whole = wholeValue(split.segments, compiled);
  return whole !== undefined ? exprNode(whole) : interpolation(compiled);
}

function compileSegment(segment: Segment, path: ValuePath, env: CompileEnv): string | CompiledExpr | undefined {
  return segment.kind === 'text' ? segment.text : compileExpr(segment.text, { path, offset: segment.offset }, env);
}

/** The one expression of a string that holds nothing else but whitespace. */
function wholeValue(segments: readonly Segment[], parts: readonly (string | CompiledExpr)[]): CompiledExpr | undefined {
  if (!isSingleExpression(segments)) return undefined;
  return parts.find((part): part is CompiledExpr => typeof part !== 'string');
}

/** Bare literals are folded in now; a string made only of them is a constant. */
function interpolation(parts: readonly (string | CompiledExpr)[]): CompiledValue {
  const folded = parts.map((part) => {
    const literal = typeof part === 'string' ? undefined : literalOf(part.ast);
    return literal === undefined ? part : stringifyValue(toPlain(literal));
  });
  if (folded.every((part) => typeof part === 'string')) return { kind: 'const', value: folded.join('') };
  return { kind: 'interp', parts: folded };
}

/**
 * Evaluates a compiled value to plain JS. Constants are returned as compiled, not copied: do not
 * mutate them. Throws ExpressionRuntimeError when an expression fails.
 */
export function evaluateValue(compiled: CompiledValue, ctx: EvalContext): unknown {
  switch (compiled.kind) {
    case 'const':
      return compiled.value;
    case 'expr':
      return toPlain(evaluateExpr(compiled.expr, ctx));
    case 'interp':
      return compiled.parts.map((part) => interpolate(part, ctx)).join('');
    case 'array':
      return compiled.items.map((item) => evaluateValue(item, ctx));
    case 'object':
      return Object.fromEntries(compiled.entries.map(([key, item]) => [key, evaluateValue(item, ctx)]));
  }
}

/**
 * How a value reads inside a string: null is '', booleans 'true'/'false', numbers as GitHub
 * formats them (at most 15 significant decimals, `1.5`, `1e+21`), strings as they are. Arrays and
 * objects become compact JSON; GitHub prints 'Array' / 'Object' there, which no script can use.
 */
export function stringifyValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return new data.NumberData(value).coerceString();
  if (typeof value === 'bigint') return value.toString();
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? Number(item) : item)) ?? '';
}

function interpolate(part: string | CompiledExpr, ctx: EvalContext): string {
  return typeof part === 'string' ? part : stringifyData(evaluateExpr(part, ctx));
}

function stringifyData(value: data.ExpressionData): string {
  return value.primitive ? value.coerceString() : stringifyValue(toPlain(value));
}

/** True when no expression is left anywhere inside: evaluation would return the value as is. */
export function isConstant(compiled: CompiledValue): boolean {
  return compiled.kind === 'const';
}

/** Every literal `steps.<id>` access, with where its expression sits. */
export function stepRefs(compiled: CompiledValue): StepRef[] {
  const refs: StepRef[] = [];
  if (compiled.kind === 'const') return refs;
  for (const expr of expressionsOf(compiled)) for (const id of expr.facts.stepIds) refs.push({ id, path: expr.path, offset: expr.offset });
  return refs;
}

/** The contexts any expression inside reads, named as declared at compile time. */
export function contextsUsed(compiled: CompiledValue): Set<string> {
  const used = new Set<string>();
  for (const expr of expressionsOf(compiled)) for (const name of expr.facts.contexts) used.add(name);
  return used;
}

/** The compiled expressions inside a value, in document order. */
export function* expressionsOf(compiled: CompiledValue): Generator<CompiledExpr> {
  switch (compiled.kind) {
    case 'expr':
      yield compiled.expr;
      break;
    case 'interp':
      for (const part of compiled.parts) if (typeof part !== 'string') yield part;
      break;
    case 'array':
      for (const item of compiled.items) yield* expressionsOf(item);
      break;
    case 'object':
      for (const [, item] of compiled.entries) yield* expressionsOf(item);
      break;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
