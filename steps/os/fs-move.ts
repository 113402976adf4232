/**
 * The `fs.move` step: renames a file or folder, copying then deleting across devices.
 *
 * @example
 * - uses: fs.move
 *   with: { from: build/app.tmp, to: build/app }
 */
import { rename } from 'node:fs/promises';
import type { StepContext, StepType } from '../contract.js';
import { checkAborted, errorCode, notFound, toStepError } from './fs-errors.js';
import { confine } from './fs-paths.js';
import { copyTree, pathExists, refuseExisting, removeTree } from './fs-tree.js';

export type FsMoveInput = {
  readonly from: string;
  readonly to: string;
  readonly overwrite?: boolean;
};

export const fsMove: StepType<FsMoveInput> = {
  type: 'fs.move',
  description: 'Moves or renames a file or a folder.',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['from', 'to'],
    properties: {
      from: { type: 'string', minLength: 1, description: 'The file or folder to move, relative to the run directory; a symbolic link is moved as itself.' },
      to: { type: 'string', minLength: 1, description: 'Its new path (the new name, not the folder to put it in).' },
      overwrite: { type: 'boolean', default: false, description: 'Replace whatever is at the destination instead of failing with fs.exists.' },
    },
  },
  output: {
    type: 'object',
    properties: {
      from: { type: 'string', description: 'The absolute path it had.' },
      to: { type: 'string', description: 'The absolute path it has now.' },
    },
  },
  run: moveStep,
};

async function moveStep(input: FsMoveInput, ctx: StepContext): Promise<{ from: string; to: string }> {
  const { from, to, overwrite = false } = input;
  checkAborted(ctx, 'fs.move');
  const source = await confine(from, ctx, { followLast: false });
  const target = await confine(to, ctx);
  if (!(await pathExists(source))) throw notFound(from, source);
  await refuseExisting(target, to, overwrite);
  try {
    if (overwrite && (await pathExists(target))) await removeTree(target, ctx, 'fs.move');
    await moveEntry(source, target, ctx);
  } catch (error) {
    throw toStepError(error, to, target);
  }
  return { from: source, to: target };
}

/** rename cannot cross file systems: then copy and delete. */
async function moveEntry(source: string, target: string, ctx: StepContext): Promise<void> {
  try {
    await rename(source, target);
  } catch (error) {
    if (errorCode(error) !== 'EXDEV') throw error;
    await copyTree(source, target, false, ctx, 'fs.move');
    await removeTree(source, ctx, 'fs.move');
  }
}
