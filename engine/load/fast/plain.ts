/**
 * What a plain scalar means under yaml's core schema (YAML 1.2), as engine/load/parse.ts
 * configures it: null, booleans, decimal integers and floats resolve here exactly as yaml
 * resolves them; the rarer number forms (0o17, 0x1F, 1e3, .inf, .nan) and integers too long to
 * be exact give up, so the full path decides them.
 */
import { giveUp } from './give-up.js';

const INT = /^[-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;
const OTHER_NUMBER = /^(?:0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+)$/;

/** Digits that parseInt always reads exactly (Number.MAX_SAFE_INTEGER has 16). */
const EXACT_DIGITS = 15;

/** The value of a non-empty plain scalar. */
export function resolvePlain(source: string): unknown {
  switch (source.charCodeAt(0)) {
    case 0x7e: // ~
      return source === '~' ? null : source;
    case 0x6e: // n
    case 0x4e: // N
      return source === 'null' || source === 'Null' || source === 'NULL' ? null : source;
    case 0x74: // t
    case 0x54: // T
      return source === 'true' || source === 'True' || source === 'TRUE' ? true : source;
    case 0x66: // f
    case 0x46: // F
      return source === 'false' || source === 'False' || source === 'FALSE' ? false : source;
    default:
      return startsLikeNumber(source.charCodeAt(0)) ? resolveNumber(source) : source;
  }
}

function startsLikeNumber(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e; // 0-9 + - .
}

/** yaml tries its tags in order (int, then float); what matches none of them stays a string. */
function resolveNumber(source: string): unknown {
  if (INT.test(source)) {
    const digits = source.length - (source[0] === '+' || source[0] === '-' ? 1 : 0);
    return digits > EXACT_DIGITS ? giveUp() : parseInt(source, 10);
  }
  if (FLOAT.test(source)) return parseFloat(source);
  if (OTHER_NUMBER.test(source)) giveUp();
  return source;
}
