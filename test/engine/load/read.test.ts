import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { WorkflowError, type Problem } from '../../../engine/errors.js';
import { loadWorkflowFile } from '../../../engine/load/load.js';

const FIXTURES = 'test/fixtures/load';
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'arq-load-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function rejectionOf(promise: Promise<unknown>): Promise<Problem[]> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof WorkflowError) return [...error.problems];
    throw error;
  }
  throw new Error('expected loading to fail');
}

/** Makes a sparse file of `size` bytes, so a huge file costs no disk and no time. */
async function sparseFile(name: string, size: number): Promise<string> {
  const path = join(dir, name);
  const handle = await open(path, 'w');
  await handle.truncate(size);
  await handle.close();
  return path;
}

describe('loadWorkflowFile', () => {
  test('loads a workflow file, naming it as the caller did', async () => {
    const path = `${FIXTURES}/release.yaml`;
    const doc = await loadWorkflowFile(path);
    expect(doc.file).toBe(path);
    expect(doc.data).toMatchObject({ name: 'release', steps: [{ id: 'build' }, { id: 'api' }, { id: 'notes', timeout: '5m' }, { id: 'script' }] });
    expect(doc.locate(['steps', 1, 'with', 'url'], 'key')).toEqual({ file: path, line: 12, column: 7 });
    expect(doc.locateInString(['steps', 3, 'run'], 'echo start\necho "$HOME"\necho '.length)).toEqual({ file: path, line: 21, column: 12 });
  });

  test('uses displayPath in every location', async () => {
    const doc = await loadWorkflowFile(`${FIXTURES}/release.yaml`, { displayPath: 'release.yaml' });
    expect(doc.file).toBe('release.yaml');
    expect(doc.locate(['name'])).toEqual({ file: 'release.yaml', line: 2, column: 7 });
  });

  test('reports the problems of the file with its name', async () => {
    const file = `${FIXTURES}/duplicate-keys.yaml`;
    expect(await rejectionOf(loadWorkflowFile(file))).toEqual([
      { code: 'yaml.duplicate_key', message: 'Duplicate key "id": each key may appear only once in a mapping', location: { file, line: 5, column: 5 } },
      { code: 'yaml.duplicate_key', message: 'Duplicate key "name": each key may appear only once in a mapping', location: { file, line: 6, column: 1 } },
    ]);
  });

  test('strips a UTF-8 byte order mark', async () => {
    const doc = await loadWorkflowFile(`${FIXTURES}/bom.yaml`);
    expect(doc.data).toEqual({ name: 'bom', steps: [] });
    expect(doc.locate(['name'])).toEqual({ file: `${FIXTURES}/bom.yaml`, line: 1, column: 7 });
  });

  test('reports bytes that are not UTF-8 where they are', async () => {
    const file = `${FIXTURES}/latin1.yaml`;
    expect(await rejectionOf(loadWorkflowFile(file))).toEqual([
      { code: 'load.encoding', message: 'Invalid UTF-8 byte 0xFF; a workflow file must be UTF-8 text', location: { file, line: 3, column: 15 } },
    ]);
  });

  test('reports a UTF-16 file', async () => {
    const path = join(dir, 'utf16.yaml');
    await writeFile(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('name: x\n', 'utf16le')]));
    expect(await rejectionOf(loadWorkflowFile(path, { displayPath: 'utf16.yaml' }))).toEqual([
      { code: 'load.encoding', message: 'File is UTF-16 text; a workflow file must be UTF-8 text', location: { file: 'utf16.yaml', line: 1, column: 1 } },
    ]);
  });

  test('reports a file that does not exist', async () => {
    expect(await rejectionOf(loadWorkflowFile(join(dir, 'missing.yaml'), { displayPath: 'missing.yaml' }))).toEqual([
      { code: 'load.unreadable', message: 'Cannot read file: no such file', location: { file: 'missing.yaml', line: 1, column: 1 } },
    ]);
  });

  test('reports a directory', async () => {
    expect(await rejectionOf(loadWorkflowFile(dir, { displayPath: 'workflows' }))).toEqual([
      { code: 'load.unreadable', message: 'Cannot read file: is a directory', location: { file: 'workflows', line: 1, column: 1 } },
    ]);
  });

  test('reports a path that goes through a file', async () => {
    const file = `${FIXTURES}/release.yaml/steps.yaml`;
    expect(await rejectionOf(loadWorkflowFile(file))).toEqual([
      { code: 'load.unreadable', message: 'Cannot read file: a part of the path is not a directory', location: { file, line: 1, column: 1 } },
    ]);
  });

  test('reports a file over the limit from its size, without reading it', async () => {
    const huge = await sparseFile('huge.yaml', 1024 ** 3);
    expect(await rejectionOf(loadWorkflowFile(huge, { displayPath: 'huge.yaml' }))).toEqual([
      { code: 'load.too_large', message: 'File is 1 GiB; the limit is 1 MiB', location: { file: 'huge.yaml', line: 1, column: 1 } },
    ]);
    const large = await sparseFile('large.yaml', 1.5 * 1024 * 1024);
    expect(await rejectionOf(loadWorkflowFile(large, { displayPath: 'large.yaml' }))).toEqual([
      { code: 'load.too_large', message: 'File is 1.5 MiB; the limit is 1 MiB', location: { file: 'large.yaml', line: 1, column: 1 } },
    ]);
  });

  test('applies maxBytes to files', async () => {
    const file = `${FIXTURES}/bom.yaml`;
    expect(await rejectionOf(loadWorkflowFile(file, { maxBytes: 10 }))).toEqual([
      { code: 'load.too_large', message: 'File is 23 B; the limit is 10 B', location: { file, line: 1, column: 1 } },
    ]);
  });

  test('stops reading endless input one byte past the limit', async () => {
    expect(await rejectionOf(loadWorkflowFile('/dev/zero', { maxBytes: 1024 }))).toEqual([
      { code: 'load.too_large', message: 'File is larger than the limit of 1 KiB', location: { file: '/dev/zero', line: 1, column: 1 } },
    ]);
  });
});
