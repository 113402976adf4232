import { stepContext } from '../../helpers/context.js';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StepContext } from '../../../steps/contract.js';
import { StepError } from '../../../steps/contract.js';
import { compilePart, splitPattern } from '../../../steps/os/fs-glob.js';
import { fsList } from '../../../steps/os/fs.js';

let dir: string;
let controller: AbortController;

const FILES = ['a.txt', 'b.txt', 'ab.log', '.hidden.txt', 'logs/x.log', 'logs/2024/y.log', 'logs/2024/01/z.log', 'logs/.old/w.log', 'c1.md', 'c2.md', 'cc.md'];

beforeEach(async () => {
  dir = await realpath(await mkdtemp(join(tmpdir(), 'arq-fs-list-')));
  controller = new AbortController();
  for (const file of FILES) {
    await mkdir(dirname(join(dir, file)), { recursive: true });
    await writeFile(join(dir, file), '');
  }
  await mkdir(join(dir, 'empty.txt.d'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function context(): StepContext {
  return stepContext(dir, { signal: controller.signal });
}

const list = async (pattern: string, cwd?: string) => fsList.run(cwd === undefined ? { pattern } : { pattern, cwd }, context());

describe('fs.list', () => {
  it('matches * within one folder, skipping dot files and folders', async () => {
    expect(await list('*.txt')).toEqual({ files: ['a.txt', 'b.txt'], count: 2 });
    expect(await list('*')).toEqual({ files: ['a.txt', 'ab.log', 'b.txt', 'c1.md', 'c2.md', 'cc.md'], count: 6 });
  });

  it('matches a dot file when the pattern spells the dot', async () => {
    expect(await list('.*.txt')).toEqual({ files: ['.hidden.txt'], count: 1 });
  });

  it('matches ** across any number of folders, including none', async () => {
    expect(await list('logs/**/*.log')).toEqual({ files: ['logs/2024/01/z.log', 'logs/2024/y.log', 'logs/x.log'], count: 3 });
    expect(await list('**/*.log')).toEqual({ files: ['ab.log', 'logs/2024/01/z.log', 'logs/2024/y.log', 'logs/x.log'], count: 4 });
    expect((await list('**'))['count']).toBe(9);
  });

  it('matches ? and character classes', async () => {
    expect(await list('c?.md')).toEqual({ files: ['c1.md', 'c2.md', 'cc.md'], count: 3 });
    expect(await list('c[12].md')).toEqual({ files: ['c1.md', 'c2.md'], count: 2 });
    expect(await list('c[!1].md')).toEqual({ files: ['c2.md', 'cc.md'], count: 2 });
    expect(await list('c[0-9].md')).toEqual({ files: ['c1.md', 'c2.md'], count: 2 });
  });

  it('lists relative to cwd, and a plain path when it is a file', async () => {
    expect(await list('*/*.log', 'logs')).toEqual({ files: ['2024/y.log'], count: 1 });
    expect(await list('logs/x.log')).toEqual({ files: ['logs/x.log'], count: 1 });
  });

  it('finds nothing in a missing folder', async () => {
    expect(await list('nope/**/*')).toEqual({ files: [], count: 0 });
  });

  it('stops when the step is aborted', async () => {
    controller.abort();
    const error = await list('**').then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(StepError);
    expect((error as StepError).message).toBe('fs.list was stopped');
  });
});

describe('glob parts', () => {
  it('splits the plain prefix from the parts with wildcards', () => {
    expect(splitPattern('logs/**/*.log')).toEqual({ prefix: 'logs', parts: ['**', '*.log'] });
    expect(splitPattern('a/b.txt')).toEqual({ prefix: 'a', parts: ['b.txt'] });
    expect(splitPattern('src/**')).toEqual({ prefix: 'src', parts: ['**', '*'] });
    expect(splitPattern('/var/*.log')).toEqual({ prefix: '/var', parts: ['*.log'] });
  });

  it('escapes regular expression characters in names', () => {
    expect(compilePart('a+(b).txt')('a+(b).txt')).toBe(true);
    expect(compilePart('a.txt')('abtxt')).toBe(false);
    expect(compilePart('[')('[')).toBe(true);
  });
});
