/** Compiles one expression's text into a CompiledExpr, or records why it cannot be. */

import { analyze, literalOf } from './analyze.js';
import { toPlain } from './lazy-data.js';
import { parseExpression } from './parse.js';
import type { CompiledExpr, CompiledValue, ExprProblem, ValuePath } from './types.js';

/** What compiling needs to know besides the text: allowed contexts, and where problems go. */
export interface CompileEnv {
  readonly contexts: readonly string[];
  readonly problems: ExprProblem[];
}

/** Where an expression sits: path in the compiled value and offset of its `${{`. */
export interface ExprSite {
  readonly path: ValuePath;
  readonly offset: number;
}

/** Parses and analyses `text`; on failure records a problem and returns undefined. */
export function compileExpr(text: string, site: ExprSite, env: CompileEnv): CompiledExpr | undefined {
  const parsed = parseExpression(text, env.contexts);
  if (!parsed.ok) {
    env.problems.push({ path: site.path, offset: site.offset, message: parsed.message, expression: text });
    return undefined;
  }
  return { text, ast: parsed.ast, path: site.path, offset: site.offset, facts: analyze(parsed.ast, env.contexts) };
}

/** A whole-value node; a bare literal such as `${{ 'a' }}` folds into a constant. */
export function exprNode(expr: CompiledExpr): CompiledValue {
  const literal = literalOf(expr.ast);
  return literal === undefined ? { kind: 'expr', expr } : { kind: 'const', value: toPlain(literal) };
}
