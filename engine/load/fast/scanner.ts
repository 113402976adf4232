/**
 * The cursor of the fast path: the current content line (its start, end and indentation) and a
 * position in it, with the one-line scalars every construct is made of. Anything outside the
 * subset gives up (see give-up.ts) rather than guess.
 */
import { giveUp } from './give-up.js';
import { resolvePlain } from './plain.js';

export const SPACE = 0x20;
export const HASH = 0x23;
export const COLON = 0x3a;
export const DASH = 0x2d;
export const COMMA = 0x2c;
export const DOUBLE_QUOTE = 0x22;
export const SINGLE_QUOTE = 0x27;
export const BACKSLASH = 0x5c;
export const BRACKET_OPEN = 0x5b;
export const BRACKET_CLOSE = 0x5d;
export const BRACE_OPEN = 0x7b;
export const BRACE_CLOSE = 0x7d;
export const PIPE = 0x7c;
export const GREATER = 0x3e;

/** Deeper nesting gives up long before the call stack or yaml's own limit is near. */
const MAX_DEPTH = 64;

/** yaml reports an implicit key whose `:` is more than 1024 characters after its start. */
const MAX_KEY_LENGTH = 1000;

/** Double-quoted escapes of one character, as yaml decodes them; \x, \u and \U give up. */
const ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0', a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
  N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029', ' ': ' ', '"': '"', '/': '/', '\\': '\\',
};

export class Scanner {
  /** Position on the current line. */
  pos = 0;
  lineStart = 0;
  /** Index of the current line's `\n`, or the text's length. */
  lineEnd = 0;
  /** Spaces before the current line's content; -1 past the last content line. */
  indent = 0;
  private depth = 0;

  constructor(readonly text: string) {}

  /** Moves to the first line from `from` on that holds more than blanks or a comment. */
  toContentLine(from: number): void {
    const { text } = this;
    const length = text.length;
    let start = from;
    while (start < length) {
      const found = text.indexOf('\n', start);
      const end = found < 0 ? length : found;
      let i = start;
      while (i < end && text.charCodeAt(i) === SPACE) i += 1;
      if (i < end && text.charCodeAt(i) !== HASH) {
        this.lineStart = start;
        this.lineEnd = end;
        this.indent = i - start;
        this.pos = i;
        return;
      }
      start = end + 1;
    }
    this.lineStart = this.lineEnd = this.pos = length;
    this.indent = -1;
  }

  /** True past the last content line. */
  atEnd(): boolean {
    return this.indent < 0;
  }

  nextLine(): void {
    this.toContentLine(this.lineEnd + 1);
  }

  /** Counts one more level of nesting; `leave` undoes it. */
  enter(): void {
    this.depth += 1;
    if (this.depth > MAX_DEPTH) giveUp();
  }

  leave(): void {
    this.depth -= 1;
  }

  at(offset = 0): number {
    return this.text.charCodeAt(this.pos + offset);
  }

  skipSpaces(): void {
    while (this.pos < this.lineEnd && this.text.charCodeAt(this.pos) === SPACE) this.pos += 1;
  }

  /** True when only blanks, or blanks and a comment, are left on the line. */
  restIsEmpty(): boolean {
    const before = this.pos;
    this.skipSpaces();
    if (this.pos === this.lineEnd) return true;
    return this.at() === HASH && (this.pos > before || this.text.charCodeAt(this.pos - 1) === SPACE);
  }

  /** A block sequence entry: `-` followed by a blank or the line end. */
  atSequenceEntry(): boolean {
    return this.at() === DASH && (this.pos + 1 === this.lineEnd || this.at(1) === SPACE);
  }

  /** Whether a mapping key (`key: `, `"key": `) starts at the cursor, as in `- key: value`. */
  atKey(): boolean {
    const { text, lineEnd } = this;
    const c = this.at();
    if (c === BRACKET_OPEN || c === BRACE_OPEN || c === PIPE || c === GREATER) return false;
    let i: number;
    if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) {
      // Up to the first quote: a key with escapes or '' inside is left to the full path.
      i = text.indexOf(c === DOUBLE_QUOTE ? '"' : "'", this.pos + 1);
      if (i < 0 || i >= lineEnd) giveUp();
      i += 1;
      while (i < lineEnd && text.charCodeAt(i) === SPACE) i += 1;
    } else {
      i = plainStop(text, this.pos, lineEnd, false);
    }
    return text.charCodeAt(i) === COLON && (i + 1 === lineEnd || text.charCodeAt(i + 1) === SPACE);
  }

  /** The plain scalar at the cursor, resolved by the core schema; stops before `: `, ` #` or the line end. */
  plain(flow: boolean): unknown {
    const start = this.pos;
    if (!canStartPlain(this.text, start, this.lineEnd, flow)) giveUp();
    const stop = plainStop(this.text, start, this.lineEnd, flow);
    const end = trimEnd(this.text, start, stop);
    this.pos = end;
    return resolvePlain(this.text.slice(start, end));
  }

  /** A mapping key (plain or quoted, always a string) and its `:`; the cursor ends after the `:`. */
  key(flow: boolean): string {
    const start = this.pos;
    const c = this.at();
    const key = c === DOUBLE_QUOTE ? this.doubleQuoted() : c === SINGLE_QUOTE ? this.singleQuoted() : this.plain(flow);
    if (typeof key !== 'string' || key === '<<') giveUp();
    this.skipSpaces();
    const next = this.at(1);
    if (this.at() !== COLON || !(next === SPACE || this.pos + 1 === this.lineEnd)) giveUp();
    if (this.pos - start > MAX_KEY_LENGTH) giveUp();
    this.pos += 1;
    return key;
  }

  singleQuoted(): string {
    const { text } = this;
    let value = '';
    let from = this.pos + 1;
    for (;;) {
      const quote = text.indexOf("'", from);
      if (quote < 0 || quote >= this.lineEnd) giveUp();
      // At the line end the next character is the line break (or nothing), never a quote.
      if (text.charCodeAt(quote + 1) !== SINGLE_QUOTE) {
        this.pos = quote + 1;
        return value + text.slice(from, quote);
      }
      value += text.slice(from, quote + 1);
      from = quote + 2;
    }
  }

  doubleQuoted(): string {
    const { text, lineEnd } = this;
    let value = '';
    let from = this.pos + 1;
    for (let i = from; i < lineEnd; i += 1) {
      const c = text.charCodeAt(i);
      if (c === DOUBLE_QUOTE) {
        this.pos = i + 1;
        return value + text.slice(from, i);
      }
      if (c === BACKSLASH) {
        // A backslash ending the line escapes the line break: a multi-line scalar.
        const escaped = ESCAPES[text[i + 1] ?? ''];
        if (escaped === undefined) giveUp();
        value += text.slice(from, i) + escaped;
        i += 1;
        from = i + 1;
      }
    }
    return giveUp();
  }
}

/**
 * Whether a plain scalar may start at `i`: not on an indicator, except `-`, `?` and `:` followed
 * by a character that keeps them inside the scalar.
 */
function canStartPlain(text: string, i: number, lineEnd: number, flow: boolean): boolean {
  const c = text.charCodeAt(i);
  if (c === DASH || c === 0x3f || c === COLON) {
    const next = text.charCodeAt(i + 1);
    return i + 1 < lineEnd && next !== SPACE && !(flow && isFlowIndicator(next));
  }
  // , [ ] { } # & * ! | > ' " % @ `
  return !(c === COMMA || isFlowIndicator(c) || c === HASH || c === 0x26 || c === 0x2a || c === 0x21 || c === PIPE ||
    c === 0x3e || c === SINGLE_QUOTE || c === DOUBLE_QUOTE || c === 0x25 || c === 0x40 || c === 0x60);
}

/**
 * What ends a plain scalar: `: ` (or `:` ending the line), ` #`, and in flow context a flow
 * indicator; or the line break. Each match ends on the character that stops the scalar, and a
 * regular expression scans far faster than a loop the JIT has not compiled yet.
 */
const BLOCK_PLAIN_STOP = /:(?=[ \n]|$)| #|\n/g;
const FLOW_PLAIN_STOP = /[,[\]{}\n]|:(?=[ \n,[\]{}]|$)| #/g;

/** Where a plain scalar starting at `start` stops: the index of the character that ends it, or the line end. */
function plainStop(text: string, start: number, lineEnd: number, flow: boolean): number {
  const pattern = flow ? FLOW_PLAIN_STOP : BLOCK_PLAIN_STOP;
  pattern.lastIndex = start;
  return pattern.test(text) ? Math.min(pattern.lastIndex - 1, lineEnd) : lineEnd;
}

function trimEnd(text: string, start: number, end: number): number {
  let i = end;
  while (i > start && text.charCodeAt(i - 1) === SPACE) i -= 1;
  return i;
}

export function isFlowIndicator(c: number): boolean {
  return c === COMMA || c === BRACKET_OPEN || c === BRACKET_CLOSE || c === BRACE_OPEN || c === BRACE_CLOSE;
}
