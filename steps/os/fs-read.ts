/**
 * The `fs.read` step: reads a file inside the folders the workflow may touch.
 *
 * @example
 * - uses: fs.read
 *   with: { path: VERSION }
 */
import { readFile, stat } from 'node:fs/promises';
import type { StepContext, StepType } from '../contract.js';
import { StepError } from '../contract.js';
import { checkAborted, toStepError } from './fs-errors.js';
import { confine } from './fs-paths.js';

export type FsReadInput = {
  readonly path: string;
  readonly encoding?: 'utf8' | 'base64';
  readonly max_bytes?: number;
};

const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

export const fsRead: StepType<FsReadInput> = {
  type: 'fs.read',
  description: 'Reads a file, as text or base64.',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['path'],
    properties: {
      path: { type: 'string', minLength: 1, description: 'The file, relative to the run directory.' },
      encoding: { enum: ['utf8', 'base64'], default: 'utf8', description: 'utf8 for text, base64 for any bytes.' },
      max_bytes: { type: 'integer', minimum: 0, default: DEFAULT_MAX_BYTES, description: 'A larger file fails the step with fs.too_large (10 MiB by default).' },
    },
  },
  output: {
    type: 'object',
    properties: {
      content: { type: 'string', description: 'The file content in the chosen encoding.' },
      size: { type: 'integer', description: 'The file size in bytes.' },
    },
  },
  run: readStep,
};

async function readStep(input: FsReadInput, ctx: StepContext): Promise<{ content: string; size: number }> {
  const { path, encoding = 'utf8', max_bytes: maxBytes = DEFAULT_MAX_BYTES } = input;
  checkAborted(ctx, 'fs.read');
  const absolute = await confine(path, ctx);
  try {
    const info = await stat(absolute);
    if (info.isDirectory()) throw new StepError('fs.is_directory', `Path "${path}" is a folder, not a file`, { path });
    if (info.size > maxBytes) throw tooLarge(path, info.size, maxBytes);
    const bytes = await readFile(absolute, { signal: ctx.signal });
    // The file may have grown between stat and read.
    if (bytes.length > maxBytes) throw tooLarge(path, bytes.length, maxBytes);
    return { content: bytes.toString(encoding), size: bytes.length };
  } catch (error) {
    checkAborted(ctx, 'fs.read');
    throw toStepError(error, path, absolute);
  }
}

function tooLarge(path: string, size: number, maxBytes: number): StepError {
  return new StepError(
    'fs.too_large',
    `File "${path}" is ${size} bytes, more than max_bytes (${maxBytes}); raise max_bytes to read it`,
    { path, size, maxBytes },
  );
}
