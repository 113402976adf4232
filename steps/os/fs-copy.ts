/**
 * The `fs.copy` step: copies a file or a folder with its contents.
 *
 * @example
 * - uses: fs.copy
 *   with: { from: dist, to: release/dist, overwrite: true }
 */
import type { StepContext, StepType } from '../contract.js';
import { checkAborted, notFound, toStepError } from './fs-errors.js';
import { confine } from './fs-paths.js';
import { copyTree, pathExists, refuseExisting } from './fs-tree.js';

export type FsCopyInput = {
  readonly from: string;
  readonly to: string;
  readonly overwrite?: boolean;
};

export const fsCopy: StepType<FsCopyInput> = {
  type: 'fs.copy',
  description: 'Copies a file, or a folder with everything in it.',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['from', 'to'],
    properties: {
      from: { type: 'string', minLength: 1, description: 'The file or folder to copy, relative to the run directory.' },
      to: { type: 'string', minLength: 1, description: 'Where the copy goes (the new name, not the folder to put it in).' },
      overwrite: { type: 'boolean', default: false, description: 'Replace existing files at the destination instead of failing with fs.exists.' },
    },
  },
  output: {
    type: 'object',
    properties: {
      from: { type: 'string', description: 'The absolute path of the source.' },
      to: { type: 'string', description: 'The absolute path of the copy.' },
    },
  },
  run: copyStep,
};

async function copyStep(input: FsCopyInput, ctx: StepContext): Promise<{ from: string; to: string }> {
  const { from, to, overwrite = false } = input;
  checkAborted(ctx, 'fs.copy');
  const source = await confine(from, ctx);
  const target = await confine(to, ctx);
  if (!(await pathExists(source))) throw notFound(from, source);
  await refuseExisting(target, to, overwrite);
  try {
    await copyTree(source, target, overwrite, ctx, 'fs.copy');
  } catch (error) {
    throw toStepError(error, to, target);
  }
  return { from: source, to: target };
}
