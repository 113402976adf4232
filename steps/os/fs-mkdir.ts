/**
 * The `fs.mkdir` step: creates a folder and its missing parents.
 *
 * @example
 * - uses: fs.mkdir
 *   with: { path: out/logs }
 */
import { mkdir } from 'node:fs/promises';
import type { StepContext, StepType } from '../contract.js';
import { StepError } from '../contract.js';
import { checkAborted, errorCode, toStepError } from './fs-errors.js';
import { confine } from './fs-paths.js';

export type FsMkdirInput = {
  readonly path: string;
};

export const fsMkdir: StepType<FsMkdirInput> = {
  type: 'fs.mkdir',
  description: 'Creates a folder and any missing parent folders; an existing folder is fine.',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['path'],
    properties: { path: { type: 'string', minLength: 1, description: 'The folder, relative to the run directory.' } },
  },
  output: {
    type: 'object',
    properties: { path: { type: 'string', description: 'The absolute path of the folder.' } },
  },
  run: mkdirStep,
};

async function mkdirStep(input: FsMkdirInput, ctx: StepContext): Promise<{ path: string }> {
  checkAborted(ctx, 'fs.mkdir');
  const absolute = await confine(input.path, ctx);
  try {
    await mkdir(absolute, { recursive: true });
    return { path: absolute };
  } catch (error) {
    const code = errorCode(error);
    if (code === 'EEXIST' || code === 'ENOTDIR') {
      throw new StepError('fs.not_a_directory', `Path "${input.path}" cannot be a folder: it or one of its parents is a file`, { path: input.path });
    }
    throw toStepError(error, input.path, absolute);
  }
}
