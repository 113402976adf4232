/** Reads a workflow file as UTF-8 text, never more than the size limit. */
import { open, type FileHandle } from 'node:fs/promises';

import { WorkflowError, type SourceLocation } from '../errors.js';
import { describeStreamTooLarge, describeTooLarge } from './limits.js';
import { startOf } from './position.js';

const CHUNK_BYTES = 64 * 1024;

/**
 * Reads `path` (reported as `file`). Stops one byte past `maxBytes`, so a pipe or a device
 * such as /dev/zero cannot make arq read without end.
 */
export async function readWorkflowBytes(path: string, file: string, maxBytes: number): Promise<Uint8Array> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw unreadable(error, file);
  }
  try {
    return await readBounded(handle, file, maxBytes);
  } catch (error) {
    throw error instanceof WorkflowError ? error : unreadable(error, file);
  } finally {
    await handle.close();
  }
}

async function readBounded(handle: FileHandle, file: string, maxBytes: number): Promise<Uint8Array> {
  const info = await handle.stat();
  if (info.isDirectory()) throw unreadable({ code: 'EISDIR' }, file);
  if (info.isFile() && info.size > maxBytes) throw tooLarge(describeTooLarge(info.size, maxBytes), file);
  const chunks: Uint8Array[] = [];
  let total = 0;
  while (total <= maxBytes) {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(CHUNK_BYTES), 0, CHUNK_BYTES, null);
    if (bytesRead === 0) return Buffer.concat(chunks, total);
    chunks.push(buffer.subarray(0, bytesRead));
    total += bytesRead;
  }
  throw tooLarge(describeStreamTooLarge(maxBytes), file);
}

function tooLarge(message: string, file: string): WorkflowError {
  return new WorkflowError([{ code: 'load.too_large', message, location: startOf(file) }]);
}

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EISDIR: 'is a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of the path is not a directory',
};

function unreadable(error: unknown, file: string): WorkflowError {
  const code = (error as { code?: unknown } | null)?.code;
  const reason = (typeof code === 'string' && REASONS[code]) || describeSystemError(error);
  return new WorkflowError([{ code: 'load.unreadable', message: `Cannot read file: ${reason}`, location: startOf(file) }]);
}

/** Node's messages read `EIO: i/o error, read`: keep the words between the code and the call. */
function describeSystemError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return /^[A-Z0-9]+: ([^,]+)/.exec(message)?.[1] ?? message;
}

/** Decodes UTF-8 strictly: a wrong encoding is reported at the first byte that is not UTF-8. */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw encodingError('File is UTF-16 text; a workflow file must be UTF-8 text', startOf(file));
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const bad = firstInvalidByte(bytes);
    const hex = (bytes[bad] ?? 0).toString(16).toUpperCase().padStart(2, '0');
    throw encodingError(`Invalid UTF-8 byte 0x${hex}; a workflow file must be UTF-8 text`, locateByte(bytes, bad, file));
  }
}

/** Re-encoding the lenient decoding reproduces every valid byte, so the first difference is the bad one. */
function firstInvalidByte(bytes: Uint8Array): number {
  const lenient = Buffer.from(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes), 'utf8');
  let i = 0;
  while (i < bytes.length && bytes[i] === lenient[i]) i += 1;
  return i;
}

function locateByte(bytes: Uint8Array, offset: number, file: string): SourceLocation {
  const before = new TextDecoder('utf-8').decode(bytes.subarray(0, offset));
  const lineStart = before.lastIndexOf('\n') + 1;
  const line = before.split('\n').length;
  return { file, line, column: before.length - lineStart + 1 };
}

function encodingError(message: string, location: SourceLocation): WorkflowError {
  return new WorkflowError([{ code: 'load.encoding', message, location }]);
}
