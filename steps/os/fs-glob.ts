/**
 * A small glob matcher for fs.list (Node 20 has no fs.glob): `*` and `?` within one name,
 * `[abc]`, `[a-z]` and `[!abc]` classes, and `**` for any number of folders. Names starting
 * with a dot are matched only by a pattern part that starts with a dot, as in a shell.
 *
 * @example
 * splitPattern('logs/**\/*.log') // { prefix: 'logs', parts: ['**', '*.log'] }
 */

/** A pattern cut into the plain folder it starts from and the parts that hold wildcards. */
export interface SplitPattern {
  /** Leading parts without wildcards, joined with '/' ('' when the first part has one). */
  readonly prefix: string;
  /** The rest; never ends with '**' (that stands for '**' then '*'). */
  readonly parts: readonly string[];
}

const MAGIC = /[*?[]/;

export function splitPattern(pattern: string): SplitPattern {
  const all = pattern.split('/');
  const first = all.findIndex((part) => MAGIC.test(part));
  const cut = first === -1 ? all.length - 1 : first;
  const parts = all.slice(cut).filter((part, i) => part !== '' || i === 0);
  if (parts.at(-1) === '**') parts.push('*');
  // An absolute pattern ('/var/log/*.log') keeps its leading '/'.
  const prefix = cut > 0 ? all.slice(0, cut).join('/') || '/' : '';
  return { prefix, parts };
}

/** Compiles one part of a pattern (no '/') into a test on one name. */
export function compilePart(part: string): (name: string) => boolean {
  const regex = new RegExp(`^${translate(part)}$`, 'u');
  const dotOk = part.startsWith('.');
  return (name) => (dotOk || !name.startsWith('.')) && regex.test(name);
}

function translate(part: string): string {
  let out = '';
  for (let i = 0; i < part.length; i++) {
    const char = part[i] ?? '';
    if (char === '*') out += '.*';
    else if (char === '?') out += '.';
    else if (char === '[') {
      const end = part.indexOf(']', i + 2);
      if (end === -1) out += '\\[';
      else {
        out += charClass(part.slice(i + 1, end));
        i = end;
      }
    } else out += escape(char);
  }
  return out;
}

function charClass(body: string): string {
  const negated = body.startsWith('!') || body.startsWith('^');
  const members = (negated ? body.slice(1) : body).replace(/[\\\]^]/g, '\\$&');
  return `[${negated ? '^' : ''}${members}]`;
}

function escape(char: string): string {
  return char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
