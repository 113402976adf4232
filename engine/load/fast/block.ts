/**
 * Block mappings and sequences, nested by indentation. Each function starts on its first content
 * line and returns on the first line that belongs to an outer node, so the caller only compares
 * that line's indentation with its own: equal continues, less returns, anything else gives up.
 */
import { flowCollection } from './flow.js';
import { giveUp } from './give-up.js';
import { blockScalar } from './block-scalar.js';
import { BRACE_OPEN, BRACKET_OPEN, DOUBLE_QUOTE, GREATER, PIPE, SINGLE_QUOTE, type Scanner } from './scanner.js';

type Mapping = Record<string, unknown>;

/** The mapping whose first key is at the cursor; its keys are `indent` spaces in. */
export function blockMapping(s: Scanner, indent: number): Mapping {
  s.enter();
  const mapping: Mapping = {};
  for (;;) {
    if (s.pos === s.lineStart && isDocumentMarker(s)) giveUp();
    const key = s.key(false);
    setKey(mapping, key, mappingValue(s, indent));
    if (s.indent !== indent) break;
  }
  if (s.indent > indent) giveUp();
  s.leave();
  return mapping;
}

/** The sequence whose first `-` is at the cursor, `indent` spaces in. */
function blockSequence(s: Scanner, indent: number): unknown[] {
  s.enter();
  const sequence: unknown[] = [];
  do sequence.push(sequenceEntry(s, indent));
  while (s.indent === indent && s.atSequenceEntry());
  if (s.indent > indent) giveUp();
  s.leave();
  return sequence;
}

/** The value after `key:`: on the same line, or a block node on the lines below. */
function mappingValue(s: Scanner, indent: number): unknown {
  if (!s.restIsEmpty()) return inlineValue(s, indent);
  s.nextLine();
  if (s.indent > indent) return blockNode(s);
  // A sequence may sit at its key's own indentation.
  return s.indent === indent && s.atSequenceEntry() ? blockSequence(s, indent) : null;
}

function sequenceEntry(s: Scanner, indent: number): unknown {
  s.pos += 1;
  if (s.restIsEmpty()) {
    s.nextLine();
    return s.indent > indent ? blockNode(s) : null;
  }
  if (s.atSequenceEntry()) giveUp();
  return s.atKey() ? blockMapping(s, s.pos - s.lineStart) : inlineValue(s, indent);
}

function blockNode(s: Scanner): unknown {
  return s.atSequenceEntry() ? blockSequence(s, s.indent) : blockMapping(s, s.indent);
}

/** A value that starts on the current line: a scalar or a flow collection on this line, or a literal block scalar. */
function inlineValue(s: Scanner, indent: number): unknown {
  const c = s.at();
  let value: unknown;
  if (c === PIPE || c === GREATER) value = blockScalar(s, indent);
  else {
    if (c === BRACKET_OPEN || c === BRACE_OPEN) value = flowCollection(s);
    else if (c === DOUBLE_QUOTE) value = s.doubleQuoted();
    else if (c === SINGLE_QUOTE) value = s.singleQuoted();
    else value = s.plain(false);
    // `a: b: c`, `"x" y`, `[a]: b`...: a compact mapping or junk after the value.
    if (!s.restIsEmpty()) giveUp();
    s.nextLine();
  }
  // A deeper line right after a value continues it: a multi-line scalar.
  if (s.indent > indent) giveUp();
  return value;
}

function isDocumentMarker(s: Scanner): boolean {
  return s.text.startsWith('---', s.pos) || s.text.startsWith('...', s.pos);
}

/** A key appears once per mapping; `__proto__` becomes an own key, never the prototype. */
function setKey(mapping: Mapping, key: string, value: unknown): void {
  if (Object.hasOwn(mapping, key)) giveUp();
  if (key === '__proto__') Object.defineProperty(mapping, key, { value, writable: true, enumerable: true, configurable: true });
  else mapping[key] = value;
}
