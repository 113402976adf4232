/** Runs the yaml parser and turns what it reports into arq problems. */
import { yaml } from './yaml-lib.js';
import type { ParsedNode, YAMLError } from 'yaml';

import type { Problem } from '../errors.js';
import { createLocator, startOf, type Locator } from './position.js';

/**
 * Core schema and YAML 1.2 whatever the file's `%YAML` directive says, so `on:` and `yes` stay
 * strings; no YAML 1.1 tags (!!binary, !!timestamp, !!set...), which would turn into Buffers,
 * Dates and Sets. Duplicate keys are found by our own walk, which can name the key.
 */
const YAML_OPTIONS = {
  schema: 'core',
  version: '1.2',
  resolveKnownTags: false,
  merge: true,
  uniqueKeys: false,
  prettyErrors: false,
  logLevel: 'silent',
} as const;

/** The top node of the file's first document, with the problems found in all documents. */
export interface ParsedYaml {
  readonly root: ParsedNode | null;
  readonly at: Locator;
  readonly problems: Problem[];
}

/** Parses every document in `text`, so that a stray `---` is reported rather than ignored. */
export function parseYaml(text: string, file: string): ParsedYaml {
  const lineCounter = new (yaml().LineCounter)();
  const docs = yaml().parseAllDocuments(text, { ...YAML_OPTIONS, lineCounter });
  const at = createLocator(file, lineCounter);
  const reported = 'empty' in docs ? [...docs.errors, ...docs.warnings] : docs.flatMap((d) => [...d.errors, ...d.warnings]);
  const problems = reported.map((error) => yamlProblem(error, text, at));
  const second = docs[1];
  if (second) {
    problems.push({
      code: 'load.multi_document',
      message: `Found ${docs.length} YAML documents; a workflow file holds exactly one`,
      location: at(second.range[0]),
    });
  }
  const root = docs[0]?.contents ?? null;
  const notMapping = checkTopLevel(root, file, at);
  if (notMapping) problems.push(notMapping);
  return { root, at, problems };
}

function yamlProblem(error: YAMLError, text: string, at: Locator): Problem {
  const location = at(error.pos[0]);
  const message = error.message.split('\n')[0] ?? '';
  if (error.code === 'TAG_RESOLVE_FAILED' || error.code === 'BAD_COLLECTION_TYPE') {
    return { code: 'yaml.tag', message: describeTag(text.slice(error.pos[0], error.pos[1])), location };
  }
  if (error.code === 'RESOURCE_EXHAUSTION') {
    return { code: 'yaml.too_deep', message: 'Collections are nested too deeply to read; flatten the structure', location };
  }
  return { code: 'yaml.syntax', message, location };
}

const CORE_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq', 'merge']);

/** A core tag fails only when the value does not fit it (`!!int abc`); any other tag is foreign. */
function describeTag(tag: string): string {
  const name = /^!!([a-z]+)$/.exec(tag)?.[1] ?? /^!<tag:yaml\.org,2002:([a-z]+)>$/.exec(tag)?.[1];
  if (name !== undefined && CORE_TAGS.has(name)) {
    return `Tag "${tag}" does not fit this value; remove the tag or write a value of that type`;
  }
  return `Unsupported tag "${tag}": arq workflows use plain YAML values only`;
}

function checkTopLevel(contents: ParsedNode | null, file: string, at: Locator): Problem | undefined {
  if (yaml().isMap(contents)) return undefined;
  const empty = contents === null || (yaml().isScalar(contents) && contents.value === null && contents.source === '');
  const found = empty ? 'an empty document' : describeNode(contents);
  return {
    code: 'load.not_mapping',
    message: `A workflow must be a mapping of keys (name:, steps:, ...) at the top level; found ${found}`,
    location: empty || contents === null ? startOf(file) : at(contents.range[0]),
  };
}

/** What a node holds, in the words a user thinks in. */
export type NodeKind = 'mapping' | 'sequence' | 'alias' | 'string' | 'number' | 'boolean' | 'null';

/** Names the kind of a node. */
export function kindOf(node: ParsedNode | null): NodeKind {
  if (node === null) return 'null';
  if (yaml().isMap(node)) return 'mapping';
  if (yaml().isSeq(node)) return 'sequence';
  if (!yaml().isScalar(node)) return 'alias';
  const { value } = node;
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'bigint') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  return 'string';
}

/** "a sequence", "an alias", "null": a node's kind ready to follow "found". */
export function describeNode(node: ParsedNode | null): string {
  const kind = kindOf(node);
  if (kind === 'null') return 'null';
  return `${kind === 'alias' ? 'an' : 'a'} ${kind}`;
}
