/**
 * The `fs.list` step: lists the files matching a glob, without a shell.
 *
 * @example
 * - uses: fs.list
 *   with: { pattern: "logs/**\/*.log" }
 */
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { StepContext, StepType } from '../contract.js';
import { checkAborted, errorCode, toStepError } from './fs-errors.js';
import { compilePart, splitPattern } from './fs-glob.js';
import { confine, isAllowed } from './fs-paths.js';

export type FsListInput = {
  readonly pattern: string;
  readonly cwd?: string;
};

export const fsList: StepType<FsListInput> = {
  type: 'fs.list',
  description: 'Lists the files matching a glob pattern, sorted.',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['pattern'],
    properties: {
      pattern: {
        type: 'string',
        minLength: 1,
        description: 'A glob with / between folders: * and ? within a name, [abc], [a-z], [!abc], ** for any number of folders, e.g. "logs/**/*.log".',
      },
      cwd: { type: 'string', minLength: 1, description: 'The folder the pattern starts from, relative to the run directory (the run directory by default).' },
    },
  },
  output: {
    type: 'object',
    properties: {
      files: { type: 'array', items: { type: 'string' }, description: 'Matching files (not folders), relative to cwd with / separators, sorted.' },
      count: { type: 'integer', description: 'How many files matched.' },
    },
  },
  run: listStep,
};

const GLOBSTAR = '**';

/** One walk: where names are collected, and what the walk may touch. */
interface Walk {
  readonly ctx: StepContext;
  /** One test per pattern part; GLOBSTAR for '**'. */
  readonly parts: ReadonlyArray<((name: string) => boolean) | typeof GLOBSTAR>;
  readonly found: Set<string>;
}

async function listStep(input: FsListInput, ctx: StepContext): Promise<{ files: string[]; count: number }> {
  checkAborted(ctx, 'fs.list');
  const cwd = await confine(input.cwd ?? '.', ctx);
  const { prefix, parts } = splitPattern(input.pattern);
  const base = await confine(prefix === '' ? '.' : prefix, ctx, { base: cwd });
  const walk: Walk = { ctx, parts: parts.map((part) => (part === GLOBSTAR ? GLOBSTAR : compilePart(part))), found: new Set() };
  try {
    await visit(walk, base, prefix, 0);
  } catch (error) {
    throw toStepError(error, input.cwd ?? input.pattern, base);
  }
  const files = [...walk.found].sort();
  return { files, count: files.length };
}

/** Matches the entries of `dir` against part `index` of the pattern. */
async function visit(walk: Walk, dir: string, rel: string, index: number): Promise<void> {
  checkAborted(walk.ctx, 'fs.list');
  const match = walk.parts[index];
  if (match === undefined) return;
  const entries = await readEntries(dir);
  if (match === GLOBSTAR) {
    await visit(walk, dir, rel, index + 1);
    for (const entry of entries) {
      if (entry.isDirectory() && !entry.name.startsWith('.')) await visit(walk, join(dir, entry.name), joinRel(rel, entry.name), index);
    }
    return;
  }
  const last = index === walk.parts.length - 1;
  for (const entry of entries.filter((e) => match(e.name))) {
    const path = join(dir, entry.name);
    if (last && (await isFile(entry, path, walk.ctx))) walk.found.add(joinRel(rel, entry.name));
    // Linked folders are not entered: they could loop, or lead out of the allowed folders.
    if (!last && entry.isDirectory()) await visit(walk, path, joinRel(rel, entry.name), index + 1);
  }
}

async function readEntries(dir: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (error) {
    // A pattern naming a missing folder, or a file as a folder, matches nothing.
    if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return [];
    throw error;
  }
}

/** A file, or a link to a file that lies inside the allowed folders. */
async function isFile(entry: Dirent, path: string, ctx: StepContext): Promise<boolean> {
  if (entry.isFile()) return true;
  if (!entry.isSymbolicLink() || !(await isAllowed(path, ctx))) return false;
  return stat(path).then((info) => info.isFile(), () => false);
}

function joinRel(rel: string, name: string): string {
  if (rel === '') return name;
  return rel.endsWith('/') ? `${rel}${name}` : `${rel}/${name}`;
}
