/** Turns the text inside one `${{ }}` into a syntax tree, or into a message a user can act on. */

import { ExpressionError, Lexer, Parser, type Expr } from '@actions/expressions';
import { TokenType, type Pos, type Token } from '@actions/expressions/lexer';
import { functionNames, statusFunctionInfos, unsupportedFunctions } from './functions.js';

export type ParseResult = { ok: true; ast: Expr } | { ok: false; message: string };

/**
 * Parses a trimmed expression. Unknown contexts and functions are rejected here, at compile time.
 * @example parseExpression('inputs.name', ['inputs']) // { ok: true, ast }
 */
export function parseExpression(text: string, contexts: readonly string[]): ParseResult {
  if (text === '') return { ok: false, message: 'An expression was expected' };
  try {
    const tokens = lex(text);
    const unsupported = findUnsupportedCall(tokens);
    if (unsupported !== undefined) return { ok: false, message: unsupported };
    return { ok: true, ast: new Parser(tokens, [...contexts], [...statusFunctionInfos]).parse() };
  } catch (error) {
    return { ok: false, message: describeError(error, text, contexts) };
  }
}

/**
 * The lexer un-doubles only the first `''` of a string literal (`'a''b''c'` gives `a'b''c`);
 * GitHub's runner un-doubles them all, so string values are recomputed from the source text.
 */
function lex(text: string): Token[] {
  const { tokens } = new Lexer(text).lex();
  for (const token of tokens) {
    if (token.type === TokenType.STRING) token.value = token.lexeme.slice(1, -1).replaceAll("''", "'");
  }
  return tokens;
}

function findUnsupportedCall(tokens: readonly Token[]): string | undefined {
  for (let i = 0; i + 1 < tokens.length; i++) {
    const token = tokens[i];
    if (token.type !== TokenType.IDENTIFIER || tokens[i + 1].type !== TokenType.LEFT_PAREN) continue;
    const message = unsupportedFunctions.get(token.lexeme.toLowerCase());
    if (message !== undefined) return message;
  }
  return undefined;
}

/**
 * Parser errors get the position suffix GitHub's runner prints
 * (`Unrecognized named-value: 'foo'. Located at position 1 within expression: foo`); lexer errors
 * already carry it. Unknown names also list what is allowed.
 */
function describeError(error: unknown, text: string, contexts: readonly string[]): string {
  if (!(error instanceof Error)) return String(error);
  if (error.message === 'ErrorExceededMaxLength') return 'Exceeded max expression length 21000';
  if (!(error instanceof ExpressionError)) return error.message;
  const located = `${error.message}. Located at position ${position(text, error.pos)} within expression: ${text}`;
  return located + hint(error.message, contexts);
}

function hint(message: string, contexts: readonly string[]): string {
  if (message.startsWith('Unrecognized named-value')) {
    return contexts.length > 0 ? `; expected one of: ${contexts.join(', ')}` : '; no contexts are available here';
  }
  if (message.startsWith('Unrecognized function')) return `; expected one of: ${functionNames.join(', ')}`;
  return '';
}

/** 1-based offset in the whole text, from the lexer's 0-based line and column. */
function position(text: string, pos: Pos): number {
  let lineStart = 0;
  for (let line = 0; line < pos.line; line++) {
    const newline = text.indexOf('\n', lineStart);
    if (newline < 0) break;
    lineStart = newline + 1;
  }
  return lineStart + pos.column + 1;
}
