/**
 * Whole-tree operations shared by fs.copy, fs.move and fs.delete; each checks the step's
 * signal between entries so that a large tree stops promptly.
 */
import { cp, lstat, readdir, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { StepContext } from '../contract.js';
import { alreadyExists, checkAborted, errorCode } from './fs-errors.js';

/** True when something (a file, a folder, even a dangling link) is at `path`. */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return false;
    throw error;
  }
}

/** Throws `fs.exists` when `to` exists and may not be replaced. */
export async function refuseExisting(absolute: string, userPath: string, overwrite: boolean): Promise<void> {
  if (!overwrite && (await pathExists(absolute))) throw alreadyExists(userPath);
}

/** Copies a file or a folder with its contents; symbolic links are copied as links, unchanged. */
export async function copyTree(from: string, to: string, overwrite: boolean, ctx: StepContext, type: string): Promise<void> {
  const filter = (): boolean => {
    checkAborted(ctx, type);
    return true;
  };
  await cp(from, to, { recursive: true, force: overwrite, errorOnExist: !overwrite, verbatimSymlinks: true, filter });
}

/** Deletes a file, a link (never its target) or a folder with its contents. */
export async function removeTree(path: string, ctx: StepContext, type: string): Promise<void> {
  checkAborted(ctx, type);
  const info = await lstat(path);
  if (!info.isDirectory()) return rm(path);
  for (const name of await readdir(path)) await removeTree(join(path, name), ctx, type);
  await rmdir(path);
}
