/**
 * The fast path of loading: a hand-written scanner for the block YAML workflows are written in,
 * producing the same plain data as the full path (yaml's parser, see full-parse.ts) without
 * building nodes or positions. It answers only when it is sure: anchors, aliases, tags, merge
 * keys, duplicate keys, multi-line plain or quoted scalars, folded scalars, rare number forms,
 * a second document, tabs, CR line breaks... make it give up, and the full path reads the text.
 *
 * @example fastParse('name: a\nsteps:\n  - run: echo\n') // { name: 'a', steps: [{ run: 'echo' }] }
 */
import { blockMapping } from './block.js';
import { giveUp, isGiveUp } from './give-up.js';
import { HASH, Scanner, SPACE } from './scanner.js';

/**
 * Tabs and CR (whitespace rules), control characters, NEL, line and paragraph separators and
 * byte order marks inside the text: the full path knows what yaml makes of them.
 */
const UNSUPPORTED_CHARACTERS = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]/;

/** The data of `text` (without a byte order mark) when the fast path can read it, else undefined. */
export function fastParse(text: string): Record<string, unknown> | undefined {
  if (UNSUPPORTED_CHARACTERS.test(text)) return undefined;
  try {
    return readDocument(new Scanner(text));
  } catch (thrown) {
    if (isGiveUp(thrown)) return undefined;
    throw thrown;
  }
}

/** One document whose top level is a block mapping at column 1, after an optional `---` line. */
function readDocument(s: Scanner): Record<string, unknown> {
  s.toContentLine(0);
  if (s.indent === 0 && s.text.startsWith('---', s.pos)) {
    s.pos += 3;
    if (s.pos < s.lineEnd && s.at() !== SPACE) giveUp();
    s.skipSpaces();
    if (s.pos < s.lineEnd && s.at() !== HASH) giveUp();
    s.nextLine();
  }
  if (s.indent !== 0) giveUp();
  const data = blockMapping(s, 0);
  if (!s.atEnd()) giveUp();
  return data;
}
