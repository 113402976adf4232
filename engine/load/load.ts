/**
 * Loading a workflow file: text -> plain data, read by a scanner for plain block YAML (fast/)
 * or, for anything else, by yaml's parser with source positions (full-parse.ts), which also
 * gives every location and every problem. Problems are reported at once, each at its
 * file:line:column.
 *
 * @example
 * const doc = await loadWorkflowFile('release.yaml');
 * doc.locate(['steps', 1, 'with', 'url']); // { file: 'release.yaml', line: 12, column: 12 }
 */
import { WorkflowError } from '../errors.js';
import { createLazyDocument, type LoadedDocument } from './document.js';
import { fastParse } from './fast/index.js';
import { parseFully } from './full-parse.js';
import { DEFAULT_MAX_BYTES, describeTooLarge } from './limits.js';
import { startOf } from './position.js';
import { decodeUtf8, readWorkflowBytes } from './read.js';

export type { LoadedDocument, YamlPath } from './document.js';
export { DEFAULT_MAX_BYTES } from './limits.js';

/** Options of `parseWorkflowText`. */
export interface ParseWorkflowOptions {
  /** Largest accepted text, in UTF-8 bytes (default 1 MiB). */
  readonly maxBytes?: number;
}

/** Options of `loadWorkflowFile`. */
export interface LoadWorkflowOptions extends ParseWorkflowOptions {
  /** The name used in messages instead of `path` (e.g. the path as the user typed it). */
  readonly displayPath?: string;
}

/**
 * Parses workflow text named `file`. Throws a WorkflowError carrying every problem found.
 * @example parseWorkflowText('name: hello\nsteps: []\n', 'hello.yaml').data // { name: 'hello', steps: [] }
 */
export function parseWorkflowText(text: string, file: string, options: ParseWorkflowOptions = {}): LoadedDocument {
  const { maxBytes = DEFAULT_MAX_BYTES } = options;
  const size = Buffer.byteLength(text, 'utf8');
  if (size > maxBytes) {
    throw new WorkflowError([{ code: 'load.too_large', message: describeTooLarge(size, maxBytes), location: startOf(file) }]);
  }
  // Editors on Windows may save a byte order mark; columns are counted as the editor shows them.
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  // Most workflows are plain block YAML: read their data directly, and positions only if asked.
  const data = fastParse(source);
  if (data === undefined) return parseFully(source, file);
  return createLazyDocument(file, source, data, () => parseFully(source, file));
}

/**
 * Reads and parses the workflow file at `path`. The size is checked before the text is read.
 * @example const doc = await loadWorkflowFile('workflows/deploy.yaml');
 */
export async function loadWorkflowFile(path: string, options: LoadWorkflowOptions = {}): Promise<LoadedDocument> {
  const { maxBytes = DEFAULT_MAX_BYTES, displayPath = path } = options;
  const bytes = await readWorkflowBytes(path, displayPath, maxBytes);
  return parseWorkflowText(decodeUtf8(bytes, displayPath), displayPath, { maxBytes });
}
