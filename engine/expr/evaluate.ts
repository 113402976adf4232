/** Runs one compiled expression against plain JS contexts; no parsing happens here. */

import { Evaluator, type data } from '@actions/expressions';
import { ArqError } from '../errors.js';
import { statusFunctions } from './functions.js';
import { ContextsDictionary } from './lazy-data.js';
import type { CompiledExpr, EvalContext } from './types.js';

/**
 * An expression that parsed but failed while running, e.g. fromJSON of invalid JSON.
 * @example new ExpressionRuntimeError('fromJSON(inputs.x)', 'empty input').message
 * // 'Expression `fromJSON(inputs.x)` failed: empty input'
 */
export class ExpressionRuntimeError extends ArqError {
  override readonly name = 'ExpressionRuntimeError';
  constructor(
    readonly expression: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super('expression-failed', `Expression \`${expression}\` failed: ${reason}`, options);
  }
}

/** Evaluates to the library's data types; callers convert to plain JS only what they keep. */
export function evaluateExpr(expr: CompiledExpr, ctx: EvalContext): data.ExpressionData {
  const root = new ContextsDictionary(ctx.contexts);
  try {
    return new Evaluator(expr.ast, root, statusFunctions(ctx.status)).evaluate();
  } catch (error) {
    throw new ExpressionRuntimeError(expr.text, reasonOf(error), { cause: error });
  }
}

/** fromJSON hides the JSON parser's own message in `cause`; it is the useful part, so keep it. */
function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return error.message + cause;
}
