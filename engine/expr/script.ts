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
  /** The expression as written, to show in messages instead of the variable. */
  text: string;
}

type Quote = 'none' | 'single' | 'double';

/** The sh quoting state after `text`, starting from `state` (backslash escapes included). */
function quoteAfter(text: string, state: Quote): Quote {
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (state === 'single') state = c === "'" ? 'none' : state;
    else if (c === '\\') i++;
    else if (state === 'double') state = c === '"' ? 'none' : state;
    else if (c === "'") state = 'single';
    else if (c === '"') state = 'double';
  }
  return state;
}

/**
 * A variable reference that the shell expands where the expression stood. Inside single quotes
 * nothing expands, so the reference closes them, expands in double quotes, and reopens them:
 * `echo '${{ x }}'` reads the value, as GitHub users expect, and still never runs it.
 */
function reference(name: string, quote: Quote): string {
  return quote === 'single' ? `'"\${${name}}"'` : `\${${name}}`;
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
  let quote: Quote = 'none';
  const parts = split.segments.map((segment) => {
    if (segment.kind === 'text') {
      quote = quoteAfter(segment.text, quote);
      return segment.text;
    }
    return reference(scriptVar(segment, vars, env), quote);
  });
  return { script: parts.join(''), vars, problems: env.problems };
}

function scriptVar(segment: Extract<Segment, { kind: 'expr' }>, vars: ScriptVar[], env: CompileEnv): string {
  const name = `ARQ_EXPR_${vars.length + 1}`;
  const expr = compileExpr(segment.text, { path: [], offset: segment.offset }, env);
  // A failed expression still takes its number, so later names do not shift while problems are fixed.
  vars.push({ name, value: expr === undefined ? { kind: 'const', value: null } : exprNode(expr), text: `\${{ ${segment.text.trim()} }}` });
  return name;
}
