/** Cuts a string into literal text and `${{ }}` expressions, the way GitHub's template reader does. */

export type Segment =
  | { kind: 'text'; text: string }
  /** `text` is the trimmed inside; `offset` is the index of the `${{`. */
  | { kind: 'expr'; text: string; offset: number };

export type SplitResult =
  | { ok: true; segments: Segment[] }
  | { ok: false; offset: number; text: string; message: string };

const OPEN = '${{';

/**
 * A `}}` closes an expression only outside a string literal: `${{ format('{0}}}', x) }}` is one
 * expression. Like GitHub, every `'` toggles "inside a string", which also handles the doubled
 * `''` escape. There is no escape for `${{` itself; `${{ '${{' }}` yields the literal text.
 * @example splitTemplate('v${{ inputs.x }}') // segments: text 'v', expr 'inputs.x' at 1
 */
export function splitTemplate(raw: string): SplitResult {
  const segments: Segment[] = [];
  let index = 0;
  for (let start = raw.indexOf(OPEN); start >= 0; start = raw.indexOf(OPEN, index)) {
    if (start > index) segments.push({ kind: 'text', text: raw.slice(index, start) });
    const end = findClose(raw, start + OPEN.length);
    if (end < 0) return unterminated(raw, start);
    segments.push({ kind: 'expr', text: raw.slice(start + OPEN.length, end - 1).trim(), offset: start });
    index = end + 1;
  }
  if (index < raw.length) segments.push({ kind: 'text', text: raw.slice(index) });
  return { ok: true, segments };
}

/** Index of the second `}` of the closing `}}`, or -1. */
function findClose(raw: string, from: number): number {
  let inString = false;
  for (let i = from; i < raw.length; i++) {
    if (raw[i] === "'") inString = !inString;
    else if (!inString && raw[i] === '}' && raw[i - 1] === '}' && i - 1 >= from) return i;
  }
  return -1;
}

function unterminated(raw: string, offset: number): SplitResult {
  return {
    ok: false,
    offset,
    text: raw.slice(offset + OPEN.length).trim(),
    message: "Unterminated expression: expected '}}' to close '${{'",
  };
}

/** Whether the segments are one expression with nothing but whitespace around it. */
export function isSingleExpression(segments: readonly Segment[]): boolean {
  let exprs = 0;
  for (const segment of segments) {
    if (segment.kind === 'expr') exprs++;
    else if (segment.text.trim() !== '') return false;
  }
  return exprs === 1;
}
