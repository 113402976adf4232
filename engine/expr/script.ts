/**
 * `run:` scripts. An expression is never spliced into script text: each `${{ e }}` becomes a
 * reference to an environment variable that carries its value, so no input or step output can
 * inject shell code.
 */

import { compileExpr, exprNode, type CompileEnv } from './compile-expr.js';
import { ShellQuotes, type QuoteKind } from './shell-quotes.js';
import { splitTemplate, type Segment } from './split.js';
import type { CompiledValue, ExprProblem } from './types.js';

/** One environment variable a script needs: evaluate `value`, stringify it with stringifyValue. */
export interface ScriptVar {
  name: string;
  value: CompiledValue;
  /** The expression as written, to show in messages instead of the variable. */
  text: string;
}

/**
 * A variable reference that the shell expands where the expression stood. Inside single quotes
 * (and `$'...'`) nothing expands, so the reference closes them, expands in double quotes, and
 * reopens them: `echo '${{ x }}'` reads the value, as GitHub users expect, and still never runs it.
 */
function reference(name: string, quote: QuoteKind): string {
  if (quote === 'single') return `'"\${${name}}"'`;
  if (quote === 'ansi') return `'"\${${name}}"$'`;
  return `\${${name}}`;
}

/**
 * Replaces the n-th `${{ e }}` (counting from 1, per script) with `${ARQ_EXPR_n}`.
 * @example compileScript('echo "${{ inputs.x }}"', ['inputs']).script // 'echo "${ARQ_EXPR_1}"'
 */
export function compileScript(
  text: string,
  contexts: readonly string[],
  /** `sh` (sh and bash) follows the shell's quoting; `other` (python, node, ...) only names the variable. */
  shell: 'sh' | 'other' = 'sh',
): { script: string; vars: ScriptVar[]; problems: ExprProblem[] } {
  // Without `${{` there is nothing to lift: most scripts are taken as written.
  if (!text.includes('${{')) return { script: text, vars: [], problems: [] };
  const env: CompileEnv = { contexts, problems: [] };
  const split = splitTemplate(text);
  if (!split.ok) {
    env.problems.push({ path: [], offset: split.offset, message: split.message, expression: split.text });
    return { script: text, vars: [], problems: env.problems };
  }
  const vars: ScriptVar[] = [];
  const quotes = new ShellQuotes();
  const parts = split.segments.map((segment) => {
    if (segment.kind === 'text') {
      quotes.feed(segment.text);
      return segment.text;
    }
    const kind = shell === 'sh' ? quotes.kind() : 'plain';
    if (kind === 'literal-heredoc') env.problems.push(literalHeredoc(segment));
    const ref = reference(scriptVar(segment, vars, env), kind);
    // The value stands where a word character would: a `#` right after it starts no comment.
    quotes.feed('x');
    return ref;
  });
  return { script: parts.join(''), vars, problems: env.problems };
}

function literalHeredoc(segment: Extract<Segment, { kind: 'expr' }>): ExprProblem {
  const message = "it stands in a heredoc with a quoted delimiter (<<'EOF'), where the shell expands nothing; write the delimiter unquoted (<<EOF)";
  return { path: [], offset: segment.offset, expression: segment.text, message };
}

function scriptVar(segment: Extract<Segment, { kind: 'expr' }>, vars: ScriptVar[], env: CompileEnv): string {
  const name = `ARQ_EXPR_${vars.length + 1}`;
  const expr = compileExpr(segment.text, { path: [], offset: segment.offset }, env);
  // A failed expression still takes its number, so later names do not shift while problems are fixed.
  vars.push({ name, value: expr === undefined ? { kind: 'const', value: null } : exprNode(expr), text: `\${{ ${segment.text.trim()} }}` });
  return name;
}
