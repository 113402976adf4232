/**
 * Where a `${{ }}` stands in sh/bash text: unquoted, in double quotes, in single quotes, in `$'...'`,
 * in a heredoc body or in a comment. Only the replacement changes with it (see script.ts); the
 * value itself always travels in an environment variable, so a wrong guess can never run it.
 *
 * The tracker reads the text in pieces (the text between expressions) and keeps a stack, because
 * `$( ... )` and backticks open a fresh quoting context inside double quotes.
 */

/** `heredoc` expands variables; `literal-heredoc` (`<<'EOF'`, `<<\\EOF`) expands nothing. */
export type QuoteKind = 'plain' | 'double' | 'single' | 'ansi' | 'heredoc' | 'literal-heredoc' | 'comment';

type Frame = 'plain' | 'double' | 'single' | 'ansi' | 'subshell' | 'backtick' | 'arith';

interface Heredoc {
  readonly delimiter: string;
  readonly stripTabs: boolean;
  readonly quoted: boolean;
}

const WORD_START = /[\s;&|()<>]/;

export class ShellQuotes {
  private readonly stack: Frame[] = ['plain'];
  private comment = false;
  private pending: Heredoc[] = [];
  private body: Heredoc | undefined;
  private line = '';
  private previous = '\n';
  /** Open parentheses inside the innermost `$(( ))`. */
  private arithDepth = 0;
  /** Open `case ... esac` commands: their patterns end in a `)` that closes nothing. */
  private caseDepth = 0;

  /** The context right after everything fed so far. */
  kind(): QuoteKind {
    if (this.body) return this.body.quoted ? 'literal-heredoc' : 'heredoc';
    if (this.comment) return 'comment';
    const top = this.stack[this.stack.length - 1]!;
    return top === 'subshell' || top === 'backtick' || top === 'arith' ? 'plain' : top;
  }

  /** Reads more text. An expression counts as a word character (it expands to one). */
  feed(text: string): void {
    for (let i = 0; i < text.length; i++) i = this.step(text, i);
  }

  /** Handles text[i]; returns the index of the last character it consumed. */
  private step(text: string, i: number): number {
    const c = text[i]!;
    if (c === '\n') return this.newline(i);
    this.line += c;
    if (this.body || this.comment) return i;
    const next = this.readFrame(text, i);
    this.previous = text[next]!;
    return next;
  }

  private newline(i: number): number {
    if (this.body) {
      const line = this.body.stripTabs ? this.line.replace(/^\t+/, '') : this.line;
      if (line === this.body.delimiter) this.body = this.pending.shift();
    } else {
      this.comment = false;
      if (this.top() === 'plain' || this.top() === 'subshell') this.body = this.pending.shift();
    }
    this.line = '';
    this.previous = '\n';
    return i;
  }

  private top(): Frame {
    return this.stack[this.stack.length - 1]!;
  }

  private readFrame(text: string, i: number): number {
    const top = this.top();
    if (top === 'single') return this.closeOn(text, i, "'");
    if (top === 'ansi') return text[i] === '\\' ? i + 1 : this.closeOn(text, i, "'");
    if (top === 'double') return this.inDouble(text, i);
    if (top === 'arith') return this.inArith(text, i);
    return this.inPlain(text, i);
  }

  private closeOn(text: string, i: number, quote: string): number {
    if (text[i] === quote) this.stack.pop();
    return i;
  }

  private inDouble(text: string, i: number): number {
    const c = text[i];
    if (c === '\\') return i + 1;
    if (c === '"') this.stack.pop();
    else if (c === '$' && text.startsWith('((', i + 1)) return this.openArith(i);
    else if (c === '$' && text[i + 1] === '(') return this.push('subshell', i + 1);
    else if (c === '`') this.stack.push('backtick');
    return i;
  }

  /** Inside `$(( ))` `<<` is a shift and quotes are rare: only the closing `))` matters. */
  private inArith(text: string, i: number): number {
    const c = text[i];
    if (c === '(') this.arithDepth++;
    else if (c === ')' && this.arithDepth > 0) this.arithDepth--;
    else if (c === ')' && text[i + 1] === ')') return this.pop(i + 1);
    return i;
  }

  private inPlain(text: string, i: number): number {
    const c = text[i]!;
    const top = this.top();
    if (c === '\\') return i + 1;
    if (c === '$' && text.startsWith('((', i + 1)) return this.openArith(i);
    if (c === "'") return this.push('single', i);
    if (c === '"') return this.push('double', i);
    if (c === '$' && text[i + 1] === "'") return this.push('ansi', i + 1);
    if (c === '$' && text[i + 1] === '(') return this.push('subshell', i + 1);
    if (c === '`') return top === 'backtick' ? this.pop(i) : this.push('backtick', i);
    if (WORD_START.test(this.previous)) this.keyword(text, i);
    if (c === ')' && top === 'subshell' && this.caseDepth === 0) return this.pop(i);
    if (c === '#' && WORD_START.test(this.previous)) this.comment = true;
    if (c === '<' && text[i + 1] === '<' && text[i + 2] !== '<') return this.heredoc(text, i);
    return i;
  }

  /** `case` and `esac` as whole words, so that a pattern's `)` inside `$( )` is not taken for its end. */
  private keyword(text: string, i: number): void {
    const word = /^(case|esac)(?=[\s;)]|$)/.exec(text.slice(i, i + 5))?.[1];
    if (word === 'case') this.caseDepth++;
    else if (word === 'esac' && this.caseDepth > 0) this.caseDepth--;
  }

  private openArith(i: number): number {
    this.arithDepth = 0;
    return this.push('arith', i + 2);
  }

  private push(frame: Frame, last: number): number {
    this.stack.push(frame);
    return last;
  }

  private pop(i: number): number {
    if (this.stack.length > 1) this.stack.pop();
    return i;
  }

  /** `<<WORD`, `<<-WORD`, `<<'WORD'`, `<<"WORD"`: the body starts on the next line. */
  private heredoc(text: string, i: number): number {
    const match = /^<<(-?)[ \t]*(\\?)(['"]?)([A-Za-z0-9_.-]+)\3/.exec(text.slice(i));
    if (!match) return i + 1;
    this.pending.push({ delimiter: match[4]!, stripTabs: match[1] === '-', quoted: match[2] === '\\' || match[3] !== '' });
    return i + match[0].length - 1;
  }
}
