/**
 * Seeded random YAML documents for the differential tests of the fast loading path: mostly
 * block YAML inside the fast path's subset, with every kind of scalar, and constructs just
 * outside it (anchors, tags, folded and multi-line scalars, odd indentation, tabs, CRLF...).
 * Many of the texts are not valid YAML at all; that is the point.
 */
// The deploy rehearsal's seeded generator (mulberry32).
import { seeded } from '../../steps/deploy/simulate.js';

const KEYS = [
  'id', 'name', 'run', 'uses', 'with', 'steps', 'env', 'a b', 'x-y', 'on', 'yes', 'no', 'y', 'off', '"quoted"', "'single'",
  '"a b"', 'null', 'Null', '~', '1', '-1', '1.5', 'true', 'False', '<<', '__proto__', 'constructor', 'toString', 'k:v', '-k',
  '?k', ':k', 'a#b', 'é', '日本', '"a\\"b"', "'it''s'", '${{ x }}', '0', '"0"', '1e3', '0x1F', '.inf', '"<<"', 'a  ', 'hasOwnProperty',
  '"esc\\n"', '[a]', '{a: 1}', '? a', '&a k', '*a', '!t k', '%k', '@k', '`k', 'a : b', 'k ', '"k" ', "'k' ", '-', '"', "'",
];

const SCALARS = [
  'noop', 'echo hi', 'yes', 'no', 'on', '~', 'null', 'Null', 'NULL', 'nULL', 'true', 'True', 'TRUE', 'tRUE', 'false', 'FALSE',
  '1_000', '+1', '-1', '.5', '1.', '-0', '+0', '0', '00', '007', '-0.0', '3.14', '+.5', '-.5e3', '1e3', '1E-3', '0o7', '0o8', '0x1F',
  '0xG', '.inf', '-.Inf', '+.INF', '.nan', '.NaN', '123456789012345', '1234567890123456', '12345678901234567890', '1.7976931348623157e309',
  '0.1234567890123456789', 'a: b', 'a:b', 'a #b', 'a#b', 'a # b: c', '${{ steps.x.outputs.y }}', "${{ fromJSON('[1,2]') }}",
  'x == y', '"quoted"', "'single'", '"esc \\n \\t \\" \\\\ \\/ \\0 \\e \\N \\_ \\L \\P \\ "', '"hex \\x41 \\u00e9 \\U0001F600"',
  '"bad \\q"', "'it''s'", "''''", '""', "''", 'é 日本 😀', 'http://x:8/y', 'C:\\path', '-a', '- a', '-', '?a', '? a', ':a', ': a',
  '&a x', '*a', '!t x', '!!str 1', '!!int "3"', '%x', '@x', '`x', '|x', '>x', '[a, b]', '[a,b]', '[ a , "b" , \'c\' ]', '{a: 1}',
  '{ a: 1, b: [x, "y", {c: d}] }', '[ ]', '{}', '{ }', '[]', '[a, , b]', '[a, b, ]', '[a: b]', '{ a }', '{ a: }', '{a:1}', '{"a":b}',
  '[a #c]', '[-1, -a]', '[- a]', '[a, [b, [c]]]', '[1, 2.5, true, ~, null, x]', '[https://x.y/z?a=b]', '{ url: http://x:8 }',
  '[a:b, c]', '{ a: b:c }', '{ a: x: y }', '[x:]', '{ a:: b }', '[a #b]', '[a#b, c]', 'x:y:z', 'x :y', 'x: y', 'x ::', 'a:  # c',
  '[a, b', '{ a: b', '[a]]', 'x   ', 'x # comment', '"x" # c', '"x"#c', "'x' # c", '"x" y', '[a] b', '[a] # c', '"unterminated',
  "'unterminated", 'a\tb', 'tab\t# c', 'cr\r', 'a  b', ' lead', 'trail ', 'x: ', 'a,b', 'a]b', 'a}b', 'a[b', '#x', '%', '<<', '__proto__',
  'x\u0085y', 'x\u2028y', 'x\ufeffy', 'x\u0001y', '\u00a0nbsp',
];

const BLOCK_HEADERS = ['|', '|-', '|+', '>', '>-', '>+', '| # c', '>- #c', '|2', '>1', '|#c', '|-+', '| x'];
const BLOCK_LINES = ['echo start', 'echo "$HOME"', '', 'trailing  ', '  indented more', '# not a comment', ' ', '    ', 'a: b', '- x', 'tab\there', 'end  '];

/** Builds one random document; `depth` bounds nesting. */
export class SampleWriter {
  private readonly rnd: () => number;

  /** `wild` (0 to 1) scales how often a choice leaves the common forms for the rare or invalid ones. */
  constructor(seed: number, private readonly wild = 1) {
    this.rnd = seeded(seed);
  }

  document(): string {
    const lines: string[] = [];
    if (this.rare(0.05)) lines.push(this.pick(['---', '--- # start', '%YAML 1.2\n---', '# lead', '']));
    this.mapping(lines, 0, 3);
    if (this.rare(0.03)) lines.push(this.pick(['...', '---', '--- x', '- x', '  late: 1', 'x']));
    let text = lines.join('\n');
    if (!this.rare(0.15)) text += '\n';
    if (this.rare(0.03)) text = text.replace(/\n/g, '\r\n');
    if (this.rare(0.02)) text = '';
    return text;
  }

  private mapping(lines: string[], indent: number, depth: number, firstPrefix?: string): void {
    const count = 1 + Math.floor(this.rnd() * 4);
    const used = new Set<string>();
    for (let i = 0; i < count; i += 1) {
      this.noise(lines, indent);
      const prefix = i === 0 && firstPrefix !== undefined ? firstPrefix : ' '.repeat(this.jitter(indent));
      let key = this.rare(0.3) ? this.pick(KEYS) : this.pick(KEYS.slice(0, 8));
      // Duplicate keys now and then; otherwise a fresh key, numbered if need be.
      if (used.has(key) && !this.rare(0.3)) key = `${key.replace(/\W/g, '')}${i}`;
      used.add(key);
      this.entry(lines, `${prefix}${key}:`, indent, depth);
    }
  }

  /** A value after `head` (a key with its colon), on the same line or the next ones. */
  private entry(lines: string[], head: string, indent: number, depth: number): void {
    const roll = this.rnd();
    if (depth > 0 && roll < 0.2) {
      lines.push(head + this.trailing());
      this.mapping(lines, indent + this.step(), depth - 1);
    } else if (depth > 0 && roll < 0.4) {
      lines.push(head + this.trailing());
      this.sequence(lines, this.chance(0.3) ? indent : indent + this.step(), depth - 1);
    } else if (roll < 0.5) {
      this.literal(lines, `${head} `, indent);
    } else if (roll < 0.53) {
      lines.push(head + this.trailing());
    } else {
      lines.push(`${head}${this.rare(0.1) ? '' : this.pick([' ', ' ', '  '])}${this.scalar()}${this.trailing()}`);
    }
    if (this.rare(0.03)) lines.push(`${' '.repeat(indent + this.step())}${this.scalar()}`);
  }

  private sequence(lines: string[], indent: number, depth: number): void {
    const count = 1 + Math.floor(this.rnd() * 4);
    for (let i = 0; i < count; i += 1) {
      this.noise(lines, indent);
      const dash = `${' '.repeat(this.jitter(indent))}-${this.pick([' ', ' ', ' ', '   '])}`;
      const roll = this.rnd();
      if (depth > 0 && roll < 0.45) this.mapping(lines, dash.length, depth - 1, dash);
      else if (depth > 0 && roll < 0.55) {
        lines.push(dash.trimEnd() + this.trailing());
        if (this.chance(0.5)) this.mapping(lines, indent + this.step(), depth - 1);
        else this.sequence(lines, indent + this.step(), depth - 1);
      } else if (roll < 0.62) this.literal(lines, dash, indent);
      else if (roll < 0.62 + 0.02 * this.wild) lines.push(`${dash}- ${this.scalar()}`);
      else lines.push(`${dash}${this.scalar()}${this.trailing()}`);
    }
  }

  private literal(lines: string[], head: string, indent: number): void {
    lines.push(`${head}${this.rare(0.2) ? this.pick(BLOCK_HEADERS) : this.pick(BLOCK_HEADERS.slice(0, 6))}${this.trailing()}`);
    const body = indent + (this.rare(0.3) ? this.pick([1, 4, 0]) : 2);
    const count = this.rare(0.2) ? 0 : this.pick([1, 2, 3, 4]);
    for (let i = 0; i < count; i += 1) {
      const line = this.rare(0.4) ? this.pick(BLOCK_LINES) : this.pick(BLOCK_LINES.slice(0, 4));
      lines.push(line === '' ? '' : `${' '.repeat(body)}${line}`);
    }
  }

  /** Blank and comment lines, now and then. */
  private noise(lines: string[], indent: number): void {
    if (this.chance(0.05)) lines.push('');
    if (this.chance(0.05)) lines.push(`${' '.repeat(this.pick([0, indent, indent + 2, indent + 5]))}# comment: ${this.pick(['x', '- y', "'"])}`);
    if (this.rare(0.02)) lines.push(' '.repeat(this.pick([1, 3, 8])));
  }

  private scalar(): string {
    return this.rare(0.5) ? this.pick(SCALARS) : this.pick(SCALARS.slice(0, 20));
  }

  private trailing(): string {
    return this.rare(0.1) ? this.pick([' ', '  # c', ' #', '#x', '\t', ' # a: b']) : '';
  }

  private step(): number {
    return this.rare(0.1) ? this.pick([1, 3, 4, 0]) : 2;
  }

  /** The intended indentation, or once in a while a wrong one. */
  private jitter(indent: number): number {
    return this.rare(0.03) ? Math.max(0, indent + this.pick([-1, 1, 2])) : indent;
  }

  private rare(p: number): boolean {
    return this.rnd() < p * this.wild;
  }

  private chance(p: number): boolean {
    return this.rnd() < p;
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.rnd() * items.length)] as T;
  }
}
