/**
 * Block scalars: literal (`|`, `|-`, `|+`), the usual form of a `run:` script, and folded
 * (`>`, `>-`, `>+`), the usual form of a long description. A literal keeps every line's text
 * after the content indentation; a folded one joins lines with a space, blank lines becoming
 * line breaks. Chomping decides the line breaks at the end. An indentation indicator, an empty
 * body, deeper blank lines at the start or the end, deeper lines in a folded scalar and a body
 * that runs to the end of the text without a line break give up.
 */
import { giveUp } from './give-up.js';
import { HASH, SPACE, type Scanner } from './scanner.js';

type Chomping = 'clip' | 'strip' | 'keep';

interface Header {
  readonly folded: boolean;
  readonly chomping: Chomping;
}

/** The scalar whose `|` or `>` is at the cursor; its body must be indented deeper than `parent`. */
export function blockScalar(s: Scanner, parent: number): string {
  const header = readHeader(s);
  const { text } = s;
  const body = new Body(header.folded, parent);
  let lineStart = s.lineEnd + 1;
  while (lineStart < text.length) {
    const found = text.indexOf('\n', lineStart);
    const lineEnd = found < 0 ? text.length : found;
    let i = lineStart;
    while (i < lineEnd && text.charCodeAt(i) === SPACE) i += 1;
    const blank = i === lineEnd;
    if (!blank && i - lineStart < body.indent) break;
    // yaml ends the last line with a line break even where the text has none: not ours to mimic.
    if (found < 0) giveUp();
    if (blank) body.addBlank(text.slice(lineStart, lineEnd));
    else body.addLine(i - lineStart, text.slice(lineStart, lineEnd));
    lineStart = lineEnd + 1;
  }
  s.toContentLine(lineStart);
  return body.finish(header.chomping);
}

/** The value built line by line. */
class Body {
  /** The content indentation, set by the first line of text. */
  indent = -1;
  private value = '';
  private started = false;
  /** Blank lines since the last line of text: how many, what they add to a literal, the most spaces in one. */
  private blanks = 0;
  private pending = '';
  private blankSpaces = 0;

  constructor(
    private readonly folded: boolean,
    private readonly parent: number,
  ) {}

  addBlank(line: string): void {
    const deeper = this.indent >= 0 && line.length > this.indent;
    // A deeper blank line keeps its spaces, and in a folded scalar its line breaks: rare, left to yaml.
    if (deeper && this.folded) giveUp();
    this.blanks += 1;
    this.blankSpaces = Math.max(this.blankSpaces, line.length);
    this.pending += deeper ? `${line.slice(this.indent)}\n` : '\n';
  }

  addLine(spaces: number, line: string): void {
    if (this.indent < 0) {
      // An empty body, or blank lines deeper than the first line of text (yaml reports those).
      if (spaces <= this.parent || this.blankSpaces > spaces) giveUp();
      this.indent = spaces;
    } else if (this.folded && spaces > this.indent) giveUp();
    this.value += this.separator() + line.slice(this.indent);
    this.started = true;
    this.blanks = 0;
    this.pending = '';
    this.blankSpaces = 0;
  }

  finish(chomping: Chomping): string {
    // Trailing blank lines deeper than the body are chomped in ways not worth mimicking.
    if (this.indent < 0 || this.blankSpaces > this.indent) giveUp();
    if (chomping === 'strip') return this.value;
    if (chomping === 'keep') return `${this.value}\n${'\n'.repeat(this.blanks)}`;
    return `${this.value}\n`;
  }

  /** Before a line of text: in a folded scalar a space, or one line break per blank line. */
  private separator(): string {
    if (!this.folded) return (this.started ? '\n' : '') + this.pending;
    if (this.blanks > 0) return '\n'.repeat(this.blanks);
    return this.started ? ' ' : '';
  }
}

/** Reads `|` or `>`, an optional `-` or `+`, and an optional comment; anything else gives up. */
function readHeader(s: Scanner): Header {
  const folded = s.at() === 0x3e;
  s.pos += 1;
  const indicator = s.at();
  const chomping: Chomping = indicator === 0x2d ? 'strip' : indicator === 0x2b ? 'keep' : 'clip';
  if (chomping !== 'clip') s.pos += 1;
  const before = s.pos;
  s.skipSpaces();
  if (s.pos < s.lineEnd && !(s.at() === HASH && s.pos > before)) giveUp();
  return { folded, chomping };
}
