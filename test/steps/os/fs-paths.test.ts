import { stepContext } from '../../helpers/context.js';
import { mkdir, mkdtemp, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StepContext } from '../../../steps/contract.js';
import { StepError } from '../../../steps/contract.js';
import { fsDelete, fsList, fsRead, fsStat, fsWrite } from '../../../steps/os/fs.js';
import { confine, isInside } from '../../../steps/os/fs.js';

let root: string;
let work: string;
let outside: string;

beforeEach(async () => {
  root = await realpath(await mkdtemp(join(tmpdir(), 'arq-fs-paths-')));
  work = join(root, 'run');
  outside = join(root, 'outside');
  await mkdir(work);
  await mkdir(outside);
  await writeFile(join(outside, 'secret.txt'), 'secret');
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function context(extra: string[] = []): StepContext {
  return stepContext(work, { allowedPaths: [work, ...extra], tmpdir: join(root, 'tmp') });
}

async function stepError(promise: Promise<unknown>): Promise<StepError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(StepError);
  return error as StepError;
}

function outsideMessage(userPath: string, resolved: string, allowed: string[] = [work]): string {
  return `Path "${userPath}" resolves to ${resolved}, outside the folders this workflow may touch (${allowed.join(', ')}); add it to permissions.paths to allow it`;
}

describe('fs path confinement', () => {
  it('refuses ../ that climbs out of the run directory', async () => {
    const error = await stepError(fsRead.run({ path: '../outside/secret.txt' }, context()));
    expect(error.code).toBe('fs.outside');
    expect(error.message).toBe(outsideMessage('../outside/secret.txt', join(outside, 'secret.txt')));
  });

  it('refuses ../x even when x does not exist', async () => {
    const error = await stepError(fsWrite.run({ path: '../x', content: 'a' }, context()));
    expect(error.message).toBe(outsideMessage('../x', join(root, 'x')));
  });

  it('refuses an absolute path outside, and lists every allowed folder', async () => {
    const other = join(root, 'other');
    const error = await stepError(fsRead.run({ path: '/etc/passwd' }, context([other])));
    expect(error.message).toBe(outsideMessage('/etc/passwd', '/etc/passwd', [work, other]));
  });

  it('refuses reading through a symlink inside the run directory that points outside', async () => {
    await symlink(outside, join(work, 'link'));
    const error = await stepError(fsRead.run({ path: 'link/secret.txt' }, context()));
    expect(error.code).toBe('fs.outside');
    expect(error.message).toBe(outsideMessage('link/secret.txt', join(outside, 'secret.txt')));
  });

  it('refuses writing through a symlinked folder or a symlinked file pointing outside', async () => {
    await symlink(outside, join(work, 'link'));
    await symlink(join(outside, 'secret.txt'), join(work, 'file-link'));
    const throughFolder = await stepError(fsWrite.run({ path: 'link/new/x.txt', content: 'pwned' }, context()));
    expect(throughFolder.message).toBe(outsideMessage('link/new/x.txt', join(outside, 'new', 'x.txt')));
    const throughFile = await stepError(fsWrite.run({ path: 'file-link', content: 'pwned' }, context()));
    expect(throughFile.message).toBe(outsideMessage('file-link', join(outside, 'secret.txt')));
    expect(await readFile(join(outside, 'secret.txt'), 'utf8')).toBe('secret');
  });

  it('refuses writing through a dangling symlink whose target would be outside', async () => {
    await symlink(join(outside, 'created.txt'), join(work, 'dangling'));
    const error = await stepError(fsWrite.run({ path: 'dangling', content: 'pwned' }, context()));
    expect(error.message).toBe(outsideMessage('dangling', join(outside, 'created.txt')));
  });

  it('allows the outside folder once it is in allowedPaths, by any spelling', async () => {
    await symlink(outside, join(work, 'link'));
    const ctx = context([outside]);
    expect(await fsRead.run({ path: 'link/secret.txt' }, ctx)).toEqual({ content: 'secret', size: 6 });
    expect(await fsRead.run({ path: '../outside/secret.txt' }, ctx)).toEqual({ content: 'secret', size: 6 });
    expect(await fsWrite.run({ path: join(outside, 'new.txt'), content: 'ok' }, ctx)).toEqual({ path: join(outside, 'new.txt'), size: 2 });
  });

  it('stats and deletes a symlink pointing outside as itself, leaving its target alone', async () => {
    await symlink(join(outside, 'secret.txt'), join(work, 'file-link'));
    expect((await fsStat.run({ path: 'file-link' }, context()))['type']).toBe('symlink');
    expect(await fsDelete.run({ path: 'file-link' }, context())).toEqual({ deleted: true });
    expect(await readFile(join(outside, 'secret.txt'), 'utf8')).toBe('secret');
  });

  it('does not list files through a symlinked folder or a symlinked file pointing outside', async () => {
    await symlink(outside, join(work, 'link'));
    await symlink(join(outside, 'secret.txt'), join(work, 'file-link.txt'));
    await writeFile(join(work, 'a.txt'), '');
    expect(await fsList.run({ pattern: '**/*.txt' }, context())).toEqual({ files: ['a.txt'], count: 1 });
    const error = await stepError(fsList.run({ pattern: 'link/*.txt' }, context()));
    expect(error.message).toBe(outsideMessage('link', outside));
  });

  it('refuses a list cwd outside the allowed folders', async () => {
    const error = await stepError(fsList.run({ pattern: '*', cwd: '..' }, context()));
    expect(error.message).toBe(outsideMessage('..', root));
  });
});

describe('confine and isInside', () => {
  it('returns the absolute path of an allowed relative path', async () => {
    expect(await confine('a/../b/c.txt', context())).toBe(join(work, 'b', 'c.txt'));
  });

  it('treats a sibling whose name starts with the folder name as outside', () => {
    expect(isInside('/srv/run-2/x', '/srv/run')).toBe(false);
    expect(isInside('/srv/run/..x', '/srv/run')).toBe(true);
    expect(isInside('/srv/run', '/srv/run')).toBe(true);
  });
});
