/**
 * The `fs.stat` step: tells whether a path exists and what it is, without following a final
 * symbolic link.
 *
 * @example
 * - id: lock
 *   uses: fs.stat
 *   with: { path: app.lock }
 * - if: ${{ steps.lock.outputs.exists }}
 *   run: echo locked
 */
import type { Stats } from 'node:fs';
import { lstat } from 'node:fs/promises';
import type { StepContext, StepType } from '../contract.js';
import { checkAborted, errorCode, toStepError } from './fs-errors.js';
import { confine } from './fs-paths.js';

export type FsStatInput = {
  readonly path: string;
};

export interface FsStatOutput extends Record<string, unknown> {
  readonly exists: boolean;
  readonly type: 'file' | 'directory' | 'symlink' | 'other' | null;
  readonly size: number | null;
  readonly mtime: string | null;
  readonly mode: string | null;
}

const MISSING: FsStatOutput = { exists: false, type: null, size: null, mtime: null, mode: null };

export const fsStat: StepType<FsStatInput, FsStatOutput> = {
  type: 'fs.stat',
  description: 'Tells whether a path exists, and its type, size, modification time and permissions.',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['path'],
    properties: { path: { type: 'string', minLength: 1, description: 'The path, relative to the run directory; a symbolic link is described as itself.' } },
  },
  output: {
    type: 'object',
    properties: {
      exists: { type: 'boolean', description: 'false when nothing is there; the other outputs are then null.' },
      type: { enum: ['file', 'directory', 'symlink', 'other', null], description: 'What is there.' },
      size: { type: ['integer', 'null'], description: 'Size in bytes.' },
      mtime: { type: ['string', 'null'], description: 'Last modification time, ISO 8601 in UTC.' },
      mode: { type: ['string', 'null'], description: 'Permissions as an octal string, e.g. "0644".' },
    },
  },
  run: statStep,
};

async function statStep(input: FsStatInput, ctx: StepContext): Promise<FsStatOutput> {
  checkAborted(ctx, 'fs.stat');
  const absolute = await confine(input.path, ctx, { followLast: false });
  try {
    return describe(await lstat(absolute));
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return MISSING;
    throw toStepError(error, input.path, absolute);
  }
}

function describe(info: Stats): FsStatOutput {
  return {
    exists: true,
    type: typeOf(info),
    size: info.size,
    mtime: info.mtime.toISOString(),
    mode: (info.mode & 0o7777).toString(8).padStart(4, '0'),
  };
}

function typeOf(info: Stats): 'file' | 'directory' | 'symlink' | 'other' {
  if (info.isSymbolicLink()) return 'symlink';
  if (info.isDirectory()) return 'directory';
  return info.isFile() ? 'file' : 'other';
}
