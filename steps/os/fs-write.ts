/**
 * The `fs.write` step: writes or appends to a file, creating its folders.
 *
 * @example
 * - uses: fs.write
 *   with: { path: out/report.txt, content: "${{ steps.report.outputs.stdout }}", mode: "0600" }
 */
import { appendFile, chmod, mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { StepContext, StepType } from '../contract.js';
import { checkAborted, errorCode, notFound, toStepError } from './fs-errors.js';
import { confine } from './fs-paths.js';

export type FsWriteInput = {
  readonly path: string;
  readonly content: string;
  readonly encoding?: 'utf8' | 'base64';
  readonly append?: boolean;
  readonly mode?: string;
  readonly mkdirs?: boolean;
};

export const fsWrite: StepType<FsWriteInput> = {
  type: 'fs.write',
  description: 'Writes text or base64 content to a file, replacing it or appending to it.',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['path', 'content'],
    properties: {
      path: { type: 'string', minLength: 1, description: 'The file, relative to the run directory.' },
      content: { type: 'string', description: 'What to write.' },
      encoding: { enum: ['utf8', 'base64'], default: 'utf8', description: 'How content is encoded: utf8 text, or base64 for any bytes.' },
      append: { type: 'boolean', default: false, description: 'Add to the end of the file instead of replacing it.' },
      mode: { type: 'string', pattern: '^[0-7]{3,4}$', description: 'Permissions as an octal string, e.g. "0644"; set even when the file exists.' },
      mkdirs: { type: 'boolean', default: true, description: 'Create missing parent folders.' },
    },
  },
  output: {
    type: 'object',
    properties: {
      path: { type: 'string', description: 'The absolute path of the file.' },
      size: { type: 'integer', description: 'The file size in bytes after writing.' },
    },
  },
  run: writeStep,
};

async function writeStep(input: FsWriteInput, ctx: StepContext): Promise<{ path: string; size: number }> {
  const { path, content, encoding = 'utf8', append = false, mode, mkdirs = true } = input;
  checkAborted(ctx, 'fs.write');
  const absolute = await confine(path, ctx);
  try {
    if (mkdirs) await mkdir(dirname(absolute), { recursive: true });
    const data = Buffer.from(content, encoding);
    await (append ? appendFile(absolute, data) : writeFile(absolute, data, { signal: ctx.signal }));
    if (mode !== undefined) await chmod(absolute, parseInt(mode, 8));
    return { path: absolute, size: (await stat(absolute)).size };
  } catch (error) {
    checkAborted(ctx, 'fs.write');
    // Without mkdirs, a missing path is its folder's fault: name the folder.
    if (!mkdirs && errorCode(error) === 'ENOENT') throw notFound(dirname(path), dirname(absolute));
    throw toStepError(error, path, absolute);
  }
}
