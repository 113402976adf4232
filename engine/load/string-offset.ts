/**
 * Maps an offset in a string's value back to an offset in the source text, so an expression
 * inside a string is reported where it is written. Flow scalars are re-scanned with YAML's
 * folding and escape rules; block scalars are matched line by line, since every source line
 * appears verbatim in the value, only the line breaks between lines change.
 */
import type { Scalar } from 'yaml';

/** Source offset of character `offset` of the scalar's string value, or undefined if unknown. */
export function sourceOffset(text: string, scalar: Scalar.Parsed, offset: number): number | undefined {
  const [start, end] = scalar.range;
  switch (scalar.type) {
    case 'PLAIN':
      return scanFlow(text, start, end, offset, 'plain');
    case 'QUOTE_SINGLE':
      return scanFlow(text, start + 1, end - 1, offset, 'single');
    case 'QUOTE_DOUBLE':
      return scanFlow(text, start + 1, end - 1, offset, 'double');
    case 'BLOCK_LITERAL':
    case 'BLOCK_FOLDED':
      return typeof scalar.value === 'string' ? scanBlock(text, scalar.range, scalar.value, offset) : undefined;
    default:
      return undefined;
  }
}

type FlowStyle = 'plain' | 'single' | 'double';

/** A run of source characters and how many value characters it produces. */
interface Step {
  readonly length: number;
  readonly produces: number;
}

const CHARACTER: Step = { length: 1, produces: 1 };

function scanFlow(text: string, start: number, end: number, offset: number, style: FlowStyle): number {
  let source = start;
  let value = 0;
  while (source < end) {
    const step = stepAt(text, source, end, style);
    if (offset < value + step.produces) return source;
    value += step.produces;
    source += step.length;
  }
  return end;
}

function stepAt(text: string, i: number, end: number, style: FlowStyle): Step {
  const fold = foldAt(text, i, end);
  if (fold) return fold;
  if (style === 'single' && text[i] === "'") return { length: 2, produces: 1 };
  if (style === 'double' && text[i] === '\\') return escapeAt(text, i, end);
  return CHARACTER;
}

/** Trailing blanks, line breaks and the next line's indentation fold into one space or n-1 newlines. */
function foldAt(text: string, i: number, end: number): Step | undefined {
  let j = skipBlanks(text, i, end);
  if (breakLength(text, j) === 0) return undefined;
  let breaks = 0;
  while (j < end && breakLength(text, j) > 0) {
    j = skipBlanks(text, j + breakLength(text, j), end);
    breaks += 1;
  }
  return { length: j - i, produces: breaks === 1 ? 1 : breaks - 1 };
}

function escapeAt(text: string, i: number, end: number): Step {
  const next = breakLength(text, i + 1);
  if (next > 0) return { length: skipBlanks(text, i + 1 + next, end) - i, produces: 0 };
  const hexDigits: Record<string, number> = { x: 2, u: 4, U: 8 };
  const digits = hexDigits[text[i + 1] ?? ''];
  if (digits === undefined) return { length: 2, produces: 1 };
  const codePoint = Number.parseInt(text.slice(i + 2, i + 2 + digits), 16);
  return { length: 2 + digits, produces: codePoint > 0xffff ? 2 : 1 };
}

function skipBlanks(text: string, i: number, end: number): number {
  let j = i;
  while (j < end && (text[j] === ' ' || text[j] === '\t')) j += 1;
  return j;
}

function breakLength(text: string, i: number): number {
  if (text[i] === '\n') return 1;
  if (text[i] === '\r') return text[i + 1] === '\n' ? 2 : 1;
  return 0;
}

/** Finds each source line's content in the value, in order, until the one holding `offset`. */
function scanBlock(text: string, range: Scalar.Parsed['range'], value: string, offset: number): number | undefined {
  let lineStart = text.indexOf('\n', range[0]) + 1;
  let searchFrom = 0;
  while (lineStart > 0 && lineStart < range[1]) {
    const found = text.indexOf('\n', lineStart);
    const lineEnd = found < 0 || found > range[1] ? range[1] : found;
    const line = text.slice(lineStart, lineEnd).replace(/\r$/, '');
    const content = line.trimStart();
    if (content !== '') {
      const at = value.indexOf(content, searchFrom);
      if (at < 0) return undefined;
      const indent = line.length - content.length;
      if (offset < at + content.length) return lineStart + indent + Math.max(0, offset - at);
      searchFrom = at + content.length;
    }
    lineStart = lineEnd + 1;
  }
  return undefined;
}
