import { compileValue, evaluateValue, type EvalContext } from '../../../engine/expr/index.js';

export const CONTEXTS = ['inputs', 'env', 'steps'] as const;

/** An evaluation context with the given contexts and a run that has neither failed nor been cancelled. */
export function ctxOf(contexts: Record<string, unknown>, status = { failed: false, cancelled: false }): EvalContext {
  return { contexts, status };
}

/** Compiles `value` (asserting no problems) and evaluates it once. */
export function evalValue(value: unknown, contexts: Record<string, unknown> = {}): unknown {
  const { compiled, problems } = compileValue(value, CONTEXTS);
  if (problems.length > 0) throw new Error(problems.map((p) => p.message).join('\n'));
  return evaluateValue(compiled, ctxOf(contexts));
}
