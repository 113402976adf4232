/** `--secrets-file`: dotenv text (KEY=VALUE lines, # comments, optional quotes) read into a map. */
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';

const LINE = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$/;

/** The value as written: "double" quotes know \n and \", 'single' quotes are literal, bare values lose a ` #comment`. */
function unquote(raw: string): string {
  const quote = raw[0];
  if ((quote === '"' || quote === "'") && raw.length >= 2 && raw.endsWith(quote)) {
    const inner = raw.slice(1, -1);
    return quote === "'" ? inner : inner.replace(/\\([nrt"\\])/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t' })[c] ?? c);
  }
  return raw.replace(/\s+#.*$/, '').trim();
}

/**
 * Parses dotenv text; a line that is neither blank, a comment nor KEY=VALUE is an error naming it.
 *
 * @example
 * parseDotenv('# deploy\nTOKEN="a b"\n', 'prod.env'); // { TOKEN: 'a b' }
 */
export function parseDotenv(text: string, file: string): Record<string, string> {
  const values: Record<string, string> = {};
  text.split(/\r?\n/).forEach((line, index) => {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) return;
    const match = LINE.exec(trimmed);
    if (!match) throw new UsageError('secrets_file.syntax', `${file}:${index + 1}: expected KEY=VALUE (the line is not shown: it may hold a secret)`);
    values[match[1]!] = unquote(match[2]!.trim());
  });
  return values;
}

export function readDotenvFile(file: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError('secrets_file.unreadable', `Cannot read the secrets file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  return parseDotenv(text, file);
}
