import { stepContext } from '../../helpers/context.js';
import { chmod, mkdir, mkdtemp, readFile, readdir, realpath, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StepContext } from '../../../steps/contract.js';
import { StepError } from '../../../steps/contract.js';
import { fsCopy, fsDelete, fsMkdir, fsMove, fsRead, fsStat, fsSteps, fsWrite } from '../../../steps/os/fs.js';

let dir: string;
let controller: AbortController;

beforeEach(async () => {
  dir = await realpath(await mkdtemp(join(tmpdir(), 'arq-fs-')));
  controller = new AbortController();
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function context(): StepContext {
  return stepContext(dir, { signal: controller.signal });
}

async function stepError(promise: Promise<unknown>): Promise<StepError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(StepError);
  return error as StepError;
}

describe('fsSteps', () => {
  it('lists the eight fs types, each schema closed and every property described', () => {
    expect(fsSteps.map((s) => s.type)).toEqual(['fs.read', 'fs.write', 'fs.copy', 'fs.move', 'fs.delete', 'fs.mkdir', 'fs.list', 'fs.stat']);
    for (const step of fsSteps) {
      expect(step.input['additionalProperties']).toBe(false);
      for (const property of Object.values(step.input['properties'] as Record<string, { description?: string }>)) {
        expect(typeof property.description).toBe('string');
      }
    }
  });
});

describe('fs.read', () => {
  it('reads utf8 text and base64 bytes with their size in bytes', async () => {
    await writeFile(join(dir, 'a.txt'), 'héllo');
    expect(await fsRead.run({ path: 'a.txt' }, context())).toEqual({ content: 'héllo', size: 6 });
    await writeFile(join(dir, 'b.bin'), Buffer.from([0, 255, 1]));
    expect(await fsRead.run({ path: 'b.bin', encoding: 'base64' }, context())).toEqual({ content: 'AP8B', size: 3 });
  });

  it('names a missing file as the user wrote it', async () => {
    const error = await stepError(fsRead.run({ path: 'sub/../missing.txt' }, context()));
    expect(error.code).toBe('fs.not_found');
    expect(error.message).toBe(`Path "sub/../missing.txt" does not exist (resolved to ${join(dir, 'missing.txt')})`);
  });

  it('refuses a file larger than max_bytes, and a folder', async () => {
    await writeFile(join(dir, 'big.txt'), 'x'.repeat(11));
    const large = await stepError(fsRead.run({ path: 'big.txt', max_bytes: 10 }, context()));
    expect(large.code).toBe('fs.too_large');
    expect(large.message).toBe('File "big.txt" is 11 bytes, more than max_bytes (10); raise max_bytes to read it');
    const folder = await stepError(fsRead.run({ path: '.' }, context()));
    expect(folder.code).toBe('fs.is_directory');
    expect(folder.message).toBe('Path "." is a folder, not a file');
  });

  it('does not start when the step is already stopped', async () => {
    controller.abort();
    const error = await stepError(fsRead.run({ path: 'a.txt' }, context()));
    expect(error.code).toBe('fs.aborted');
    expect(error.message).toBe('fs.read was stopped');
  });
});

describe('fs.write', () => {
  it('writes a file in new folders and returns its absolute path and size', async () => {
    expect(await fsWrite.run({ path: 'out/deep/r.txt', content: 'abc' }, context())).toEqual({ path: join(dir, 'out', 'deep', 'r.txt'), size: 3 });
    expect(await readFile(join(dir, 'out', 'deep', 'r.txt'), 'utf8')).toBe('abc');
  });

  it('appends, and reports the size of the whole file', async () => {
    await writeFile(join(dir, 'log.txt'), 'one\n');
    expect(await fsWrite.run({ path: 'log.txt', content: 'two\n', append: true }, context())).toEqual({ path: join(dir, 'log.txt'), size: 8 });
    expect(await readFile(join(dir, 'log.txt'), 'utf8')).toBe('one\ntwo\n');
  });

  it('sets the mode given as an octal string, even on an existing file', async () => {
    await writeFile(join(dir, 'key'), 'old', { mode: 0o644 });
    await fsWrite.run({ path: 'key', content: 'new', mode: '0600' }, context());
    expect((await stat(join(dir, 'key'))).mode & 0o777).toBe(0o600);
  });

  it('decodes base64 content', async () => {
    await fsWrite.run({ path: 'b.bin', content: 'AP8B', encoding: 'base64' }, context());
    expect([...(await readFile(join(dir, 'b.bin')))]).toEqual([0, 255, 1]);
  });

  it('names the missing folder when mkdirs is false', async () => {
    const error = await stepError(fsWrite.run({ path: 'nope/r.txt', content: '', mkdirs: false }, context()));
    expect(error.code).toBe('fs.not_found');
    expect(error.message).toBe(`Path "nope" does not exist (resolved to ${join(dir, 'nope')})`);
  });
});

describe('fs.copy', () => {
  it('copies a file', async () => {
    await writeFile(join(dir, 'a.txt'), 'A');
    expect(await fsCopy.run({ from: 'a.txt', to: 'b.txt' }, context())).toEqual({ from: join(dir, 'a.txt'), to: join(dir, 'b.txt') });
    expect(await readFile(join(dir, 'b.txt'), 'utf8')).toBe('A');
  });

  it('copies a folder recursively', async () => {
    await mkdir(join(dir, 'src', 'sub'), { recursive: true });
    await writeFile(join(dir, 'src', 'sub', 'x.txt'), 'X');
    await fsCopy.run({ from: 'src', to: 'dst' }, context());
    expect(await readFile(join(dir, 'dst', 'sub', 'x.txt'), 'utf8')).toBe('X');
  });

  it('refuses to replace an existing target unless overwrite is true', async () => {
    await writeFile(join(dir, 'a.txt'), 'A');
    await writeFile(join(dir, 'b.txt'), 'B');
    const error = await stepError(fsCopy.run({ from: 'a.txt', to: 'b.txt' }, context()));
    expect(error.code).toBe('fs.exists');
    expect(error.message).toBe('Path "b.txt" already exists; set overwrite: true to replace it');
    await fsCopy.run({ from: 'a.txt', to: 'b.txt', overwrite: true }, context());
    expect(await readFile(join(dir, 'b.txt'), 'utf8')).toBe('A');
  });

  it('names a missing source', async () => {
    const error = await stepError(fsCopy.run({ from: 'none', to: 'b' }, context()));
    expect(error.message).toBe(`Path "none" does not exist (resolved to ${join(dir, 'none')})`);
  });

  it('stops between files when the step is aborted', async () => {
    await mkdir(join(dir, 'src'));
    await writeFile(join(dir, 'src', 'a'), '');
    const ctx = context();
    const copying = fsCopy.run({ from: 'src', to: 'dst' }, ctx);
    controller.abort();
    const error = await stepError(copying);
    expect(error.code).toBe('fs.aborted');
    expect(error.message).toBe('fs.copy was stopped');
  });
});

describe('fs.move', () => {
  it('renames a folder', async () => {
    await mkdir(join(dir, 'a'));
    await writeFile(join(dir, 'a', 'x'), 'X');
    expect(await fsMove.run({ from: 'a', to: 'b' }, context())).toEqual({ from: join(dir, 'a'), to: join(dir, 'b') });
    expect(await readdir(dir)).toEqual(['b']);
  });

  it('refuses an existing target unless overwrite is true', async () => {
    await writeFile(join(dir, 'a'), 'A');
    await mkdir(join(dir, 'b'));
    await writeFile(join(dir, 'b', 'old'), '');
    expect((await stepError(fsMove.run({ from: 'a', to: 'b' }, context()))).message).toBe('Path "b" already exists; set overwrite: true to replace it');
    await fsMove.run({ from: 'a', to: 'b', overwrite: true }, context());
    expect(await readFile(join(dir, 'b'), 'utf8')).toBe('A');
  });

  it('names a missing source', async () => {
    const error = await stepError(fsMove.run({ from: 'ghost', to: 'b' }, context()));
    expect(error.code).toBe('fs.not_found');
    expect(error.message).toBe(`Path "ghost" does not exist (resolved to ${join(dir, 'ghost')})`);
  });
});

describe('fs.delete', () => {
  it('deletes a file, and reports deleted: false for a missing one', async () => {
    await writeFile(join(dir, 'a'), '');
    expect(await fsDelete.run({ path: 'a' }, context())).toEqual({ deleted: true });
    expect(await fsDelete.run({ path: 'a' }, context())).toEqual({ deleted: false });
  });

  it('fails on a missing path when missing_ok is false', async () => {
    const error = await stepError(fsDelete.run({ path: 'a', missing_ok: false }, context()));
    expect(error.code).toBe('fs.not_found');
    expect(error.message).toBe(`Path "a" does not exist (resolved to ${join(dir, 'a')})`);
  });

  it('deletes a non-empty folder only with recursive', async () => {
    await mkdir(join(dir, 'd', 'e'), { recursive: true });
    await writeFile(join(dir, 'd', 'e', 'f'), '');
    const error = await stepError(fsDelete.run({ path: 'd' }, context()));
    expect(error.code).toBe('fs.not_empty');
    expect(error.message).toBe('Folder "d" is not empty; set recursive: true to delete it with its contents');
    expect(await fsDelete.run({ path: 'd', recursive: true }, context())).toEqual({ deleted: true });
    expect(await readdir(dir)).toEqual([]);
  });

  it('deletes a symlinked folder as a link, keeping what it points to', async () => {
    await mkdir(join(dir, 'real'));
    await writeFile(join(dir, 'real', 'keep'), '');
    await symlink(join(dir, 'real'), join(dir, 'link'));
    await fsDelete.run({ path: 'link', recursive: true }, context());
    expect(await readdir(dir)).toEqual(['real']);
    expect(await readdir(join(dir, 'real'))).toEqual(['keep']);
  });
});

describe('fs.mkdir', () => {
  it('creates nested folders and accepts an existing one', async () => {
    expect(await fsMkdir.run({ path: 'a/b/c' }, context())).toEqual({ path: join(dir, 'a', 'b', 'c') });
    expect(await fsMkdir.run({ path: 'a/b/c' }, context())).toEqual({ path: join(dir, 'a', 'b', 'c') });
  });

  it('refuses a path where a file is', async () => {
    await writeFile(join(dir, 'f'), '');
    const error = await stepError(fsMkdir.run({ path: 'f' }, context()));
    expect(error.code).toBe('fs.not_a_directory');
    expect(error.message).toBe('Path "f" cannot be a folder: it or one of its parents is a file');
  });
});

describe('fs.stat', () => {
  it('describes a file', async () => {
    await writeFile(join(dir, 'a'), 'abcd');
    await chmod(join(dir, 'a'), 0o640);
    await utimes(join(dir, 'a'), new Date('2024-01-02T03:04:05Z'), new Date('2024-01-02T03:04:05Z'));
    expect(await fsStat.run({ path: 'a' }, context())).toEqual({ exists: true, type: 'file', size: 4, mtime: '2024-01-02T03:04:05.000Z', mode: '0640' });
  });

  it('tells a folder, a symlink and a missing path apart', async () => {
    await mkdir(join(dir, 'd'));
    await symlink('d', join(dir, 'l'));
    expect((await fsStat.run({ path: 'd' }, context()))['type']).toBe('directory');
    expect((await fsStat.run({ path: 'l' }, context()))['type']).toBe('symlink');
    expect(await fsStat.run({ path: 'none' }, context())).toEqual({ exists: false, type: null, size: null, mtime: null, mode: null });
  });
});
