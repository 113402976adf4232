/**
 * The `fs.delete` step: deletes a file, a symbolic link (never its target) or a folder.
 *
 * @example
 * - uses: fs.delete
 *   with: { path: build, recursive: true }
 */
import { lstat, rm, rmdir } from 'node:fs/promises';
import type { StepContext, StepType } from '../contract.js';
import { checkAborted, errorCode, notFound, toStepError } from './fs-errors.js';
import { confine } from './fs-paths.js';
import { removeTree } from './fs-tree.js';

export type FsDeleteInput = {
  readonly path: string;
  readonly recursive?: boolean;
  readonly missing_ok?: boolean;
};

export const fsDelete: StepType<FsDeleteInput> = {
  type: 'fs.delete',
  description: 'Deletes a file, a symbolic link or a folder.',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['path'],
    properties: {
      path: { type: 'string', minLength: 1, description: 'What to delete, relative to the run directory.' },
      recursive: { type: 'boolean', default: false, description: 'Delete a folder with its contents; without it only an empty folder is deleted.' },
      missing_ok: { type: 'boolean', default: true, description: 'Succeed with deleted: false when nothing is there; false fails with fs.not_found.' },
    },
  },
  output: {
    type: 'object',
    properties: { deleted: { type: 'boolean', description: 'false when there was nothing to delete.' } },
  },
  run: deleteStep,
};

async function deleteStep(input: FsDeleteInput, ctx: StepContext): Promise<{ deleted: boolean }> {
  const { path, recursive = false, missing_ok: missingOk = true } = input;
  checkAborted(ctx, 'fs.delete');
  const absolute = await confine(path, ctx, { followLast: false });
  try {
    const info = await lstat(absolute);
    if (!info.isDirectory()) await rm(absolute);
    else if (recursive) await removeTree(absolute, ctx, 'fs.delete');
    else await rmdir(absolute);
    return { deleted: true };
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw toStepError(error, path, absolute);
    if (missingOk) return { deleted: false };
    throw notFound(path, absolute);
  }
}
