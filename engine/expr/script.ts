/**
 * `run:` scripts. An expression is never spliced into script text: each `${{ e }}` becomes a
 * reference to an environment variable that carries its value, so no input or step output can
 * inject shell code.
 */

import { compileExpr, exprNode, type CompileEnv } from './compile-expr.js';
import { splitTemplate, type Segment } from './split.js';
import type { CompiledValue, ExprProblem } from './types.js';

/** One environment variable a script needs: evaluate `value`, stringify it with stringifyValue. */
export interface ScriptVar {
  name: string;
  value: CompiledValue;
}

/**
 * Replaces the n-th `${{ e }}` (counting from 1, per script) with `${ARQ_EXPR_n}`.
 * @example compileScript('echo "${{ inputs.x }}"', ['inputs']).script // 'echo "${ARQ_EXPR_1}"'
 */
export function compileScript(
  text: string,
  contexts: readonly string[],
): { script: string; vars: ScriptVar[]; problems: ExprProblem[] } {
  const env: CompileEnv = { contexts, problems: [] };
  const split = splitTemplate(text);
  if (!split.ok) {
    env.problems.push({ path: [], offset: split.offset, message: split.message, expression: split.text });
    return { script: text, vars: [], problems: env.problems };
  }
  const vars: ScriptVar[] = [];
  const script = split.segments.map((segment) => scriptPart(segment, vars, env)).join('');
  return { script, vars, problems: env.problems };
}

function scriptPart(segment: Segment, vars: ScriptVar[], env: CompileEnv): string {
  if (segment.kind === 'text') return segment.text;
  const name = `ARQ_EXPR_${vars.length + 1}`;
  const expr = compileExpr(segment.text, { path: [], offset: segment.offset }, env);
  // A failed expression still takes its number, so later names do not shift while problems are fixed.
  vars.push({ name, value: expr === undefined ? { kind: 'const', value: null } : exprNode(expr) });
  return '${' + name + '}';
}
