/**
 * The full path: yaml's parser with source positions, the structure walk, then plain data. It
 * reads any YAML and reports every problem; the fast path (fast/) hands over to it whenever a
 * text leaves the subset it knows, and for positions.
 */
import { WorkflowError, sortProblems } from '../errors.js';
import { toData } from './convert.js';
import { createLoadedDocument, type LoadedDocument } from './document.js';
import { parseYaml } from './parse.js';
import { checkStructure } from './structure.js';

/** Parses `source` (no byte order mark) named `file`. Throws a WorkflowError carrying every problem found. */
export function parseFully(source: string, file: string): LoadedDocument {
  const { root, at, problems } = parseYaml(source, file);
  const structure = checkStructure(root, at);
  const found = [...problems, ...structure.problems];
  if (found.length > 0) throw new WorkflowError(sortProblems(found));
  const data = toData(root, structure.aliasTargets);
  return createLoadedDocument({ file, text: source, data, root, at, aliasTargets: structure.aliasTargets });
}
