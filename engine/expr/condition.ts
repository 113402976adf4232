/** `if:` conditions: an expression with or without its `${{ }}` wrapper, as GitHub allows. */

import { truthy } from '@actions/expressions/result';
import { compileExpr, exprNode, type CompileEnv } from './compile-expr.js';
import { evaluateExpr } from './evaluate.js';
import { isSingleExpression, splitTemplate } from './split.js';
import { compileValue, evaluateValue, expressionsOf } from './template.js';
import type { CompiledValue, EvalContext, ExprProblem } from './types.js';

/** A compiled `if:`. `value` works with stepRefs() and contextsUsed(). */
export interface CompiledCondition {
  readonly value: CompiledValue;
  /** Whether success(), failure(), always() or cancelled() appears: GitHub adds `success() &&` only when none does. */
  readonly usesStatusFunction: boolean;
}

const TEXT_AROUND =
  "Condition has text outside '${{ }}', so it is a non-empty string and always true; " +
  "write the whole condition inside one '${{ }}', or without '${{ }}'";

/**
 * Compiles a condition. Text outside `${{ }}` would make the condition a string, which is always
 * true (GitHub's well-known trap), so it is reported as a problem instead.
 * @example compileCondition("steps.a.outputs.ok == 'yes'", ['steps'])
 */
export function compileCondition(
  text: string,
  contexts: readonly string[],
): { compiled: CompiledCondition; problems: ExprProblem[] } {
  const { value, problems } = text.includes('${{') ? compileWrapped(text, contexts) : compileBare(text, contexts);
  const usesStatusFunction = [...expressionsOf(value)].some((expr) => expr.facts.usesStatusFunction);
  return { compiled: { value, usesStatusFunction }, problems };
}

function compileWrapped(text: string, contexts: readonly string[]): { value: CompiledValue; problems: ExprProblem[] } {
  const { compiled, problems } = compileValue(text, contexts);
  const split = splitTemplate(text);
  if (split.ok && !isSingleExpression(split.segments)) {
    problems.push({ path: [], offset: text.indexOf('${{'), message: TEXT_AROUND, expression: text.trim() });
  }
  return { value: compiled, problems };
}

function compileBare(text: string, contexts: readonly string[]): { value: CompiledValue; problems: ExprProblem[] } {
  const env: CompileEnv = { contexts, problems: [] };
  const expr = compileExpr(text.trim(), { path: [], offset: 0 }, env);
  return { value: expr === undefined ? { kind: 'const', value: false } : exprNode(expr), problems: env.problems };
}

/**
 * True when the condition holds, by GitHub's truthiness: false, 0, NaN, '' and null are false,
 * anything else (including every array and object) is true. Does not add `success() &&`.
 */
export function evaluateCondition(c: CompiledCondition, ctx: EvalContext): boolean {
  if (c.value.kind === 'expr') return truthy(evaluateExpr(c.value.expr, ctx));
  return isTruthy(evaluateValue(c.value, ctx));
}

function isTruthy(value: unknown): boolean {
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  return value !== null && value !== undefined && value !== false && value !== '';
}
