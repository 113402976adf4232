/**
 * Expression problems as a user reads them in `arq validate`: GitHub's parser words them for its
 * own log (`Unrecognized named-value: 'item'. Located at position 1 within expression: item`);
 * here the position becomes the column of the problem, and the names say what is meant.
 */
import type { ExprProblem } from '../expr/index.js';

const OPEN = '${{';
const FOREACH_ONLY = new Set(['item', 'index']);
const KNOWN_CONTEXTS = new Set(['inputs', 'env', 'secrets', 'steps', 'run']);

/** An expression problem in words, and the offset in its string of what it is about. */
export interface WordedExprProblem {
  readonly message: string;
  readonly offset: number;
}

/** Splits off GitHub's `. Located at position N within expression: TEXT` and keeps N. */
function splitPosition(message: string, expression: string): { text: string; position?: number } {
  const match = /\. Located at position (\d+) within expression: /.exec(message);
  if (!match || !message.startsWith(expression, match.index + match[0].length)) return { text: message };
  const rest = message.slice(match.index + match[0].length + expression.length);
  return { text: message.slice(0, match.index) + rest, position: Number(match[1]) };
}

function contextWords(name: string): string {
  if (FOREACH_ONLY.has(name)) return `"${name}" is only available in the body of a foreach: step`;
  if (KNOWN_CONTEXTS.has(name)) return `"${name}" is not available here`;
  return `Unknown context "${name}"`;
}

/** `Unrecognized named-value: 'x'` and `Unrecognized function: 'f'` in plain words. */
function rename(text: string): string {
  return text
    .replace(/^Unrecognized named-value: '([^']*)'/, (_all, name: string) => contextWords(name))
    .replace(/^Unrecognized function: '([^']*)'/, (_all, name: string) => `Unknown function "${name}"`);
}

/**
 * Offset in `raw` of the 1-based `position` inside the expression found at `open`: after its
 * `${{`, or from the start of a bare `if:` condition.
 */
function offsetOf(raw: unknown, open: number, position: number | undefined): number {
  if (position === undefined || typeof raw !== 'string') return open;
  const start = raw.startsWith(OPEN, open) ? open + OPEN.length : open === 0 ? 0 : undefined;
  if (start === undefined) return open;
  const rest = raw.slice(start);
  return start + rest.length - rest.trimStart().length + position - 1;
}

/** Words a problem of the expression that sits in `raw` (the string value it was found in). */
export function wordExpressionProblem(problem: ExprProblem, raw: unknown): WordedExprProblem {
  if (problem.expression === '') return { message: 'Empty expression; expected a value or a condition', offset: problem.offset };
  const { text, position } = splitPosition(problem.message, problem.expression);
  return {
    message: `Invalid expression \`${problem.expression}\`: ${rename(text)}`,
    offset: offsetOf(raw, problem.offset, position),
  };
}
