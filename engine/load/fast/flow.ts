/**
 * Flow collections that open and close on one line: `needs: [a, b]`,
 * `with: { url: "http://x", retry: { attempts: 2 } }`. Implicit keys (`[a: b]`, `{ a }`),
 * empty entries and trailing commas give up.
 */
import { giveUp } from './give-up.js';
import { BRACE_CLOSE, BRACE_OPEN, BRACKET_CLOSE, BRACKET_OPEN, COMMA, DOUBLE_QUOTE, SINGLE_QUOTE, type Scanner } from './scanner.js';

/** The collection whose opening bracket is at the cursor; the cursor ends after its closing one. */
export function flowCollection(s: Scanner): unknown {
  s.enter();
  const value = s.at() === BRACKET_OPEN ? flowSequence(s) : flowMapping(s);
  s.leave();
  return value;
}

function flowSequence(s: Scanner): unknown[] {
  const sequence: unknown[] = [];
  if (openCollection(s, BRACKET_CLOSE)) return sequence;
  do sequence.push(flowNode(s));
  while (nextEntry(s, BRACKET_CLOSE));
  return sequence;
}

function flowMapping(s: Scanner): Record<string, unknown> {
  const mapping: Record<string, unknown> = {};
  if (openCollection(s, BRACE_CLOSE)) return mapping;
  do {
    const key = s.key(true);
    s.skipSpaces();
    const value = flowNode(s);
    if (Object.hasOwn(mapping, key)) giveUp();
    if (key === '__proto__') Object.defineProperty(mapping, key, { value, writable: true, enumerable: true, configurable: true });
    else mapping[key] = value;
  } while (nextEntry(s, BRACE_CLOSE));
  return mapping;
}

/** Steps over the opening bracket; true when the collection is empty and closed already. */
function openCollection(s: Scanner, close: number): boolean {
  s.pos += 1;
  s.skipSpaces();
  if (s.at() !== close) return false;
  s.pos += 1;
  return true;
}

/** After an entry: true on `,` (and another entry follows), false on the closing bracket. */
function nextEntry(s: Scanner, close: number): boolean {
  s.skipSpaces();
  const c = s.at();
  s.pos += 1;
  if (c === close) return false;
  if (c !== COMMA) giveUp();
  s.skipSpaces();
  if (s.at() === close || s.at() === COMMA) giveUp();
  return true;
}

function flowNode(s: Scanner): unknown {
  switch (s.at()) {
    case BRACKET_OPEN:
    case BRACE_OPEN:
      return flowCollection(s);
    case DOUBLE_QUOTE:
      return s.doubleQuoted();
    case SINGLE_QUOTE:
      return s.singleQuoted();
    default:
      return s.plain(true);
  }
}
