/**
 * `${{ ... }}` expressions with GitHub Actions semantics, on GitHub's own parser and evaluator
 * (@actions/expressions). Compile once (problems collected, nothing thrown), evaluate many times.
 *
 * @example
 * const { compiled } = compileValue({ greeting: 'hi ${{ inputs.name }}' }, ['inputs']);
 * evaluateValue(compiled, { contexts: { inputs: { name: 'ann' } }, status: { failed: false, cancelled: false } });
 * // { greeting: 'hi ann' }
 */

export { compileCondition, evaluateCondition } from './condition.js';
export type { CompiledCondition } from './condition.js';
export { ExpressionRuntimeError } from './evaluate.js';
export { compileScript } from './script.js';
export type { ScriptVar } from './script.js';
export { compileValue, contextsUsed, evaluateValue, isConstant, stepRefs, stringifyValue } from './template.js';
export type { CompiledValue, EvalContext, ExprProblem, StepRef } from './types.js';
