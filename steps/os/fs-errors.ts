/**
 * Errors shared by the fs.* steps: each Node error code becomes a stable arq code and a message
 * that names the path as the user wrote it.
 */
import type { StepContext } from '../contract.js';
import { StepError } from '../contract.js';

/** Throws `fs.aborted` when the step must stop: called before starting and between files. */
export function checkAborted(ctx: StepContext, type: string): void {
  if (ctx.signal.aborted) throw new StepError('fs.aborted', `${type} was stopped`);
}

export function notFound(userPath: string, absolute: string): StepError {
  return new StepError('fs.not_found', `Path "${userPath}" does not exist (resolved to ${absolute})`, { path: userPath, resolved: absolute });
}

export function alreadyExists(userPath: string): StepError {
  return new StepError('fs.exists', `Path "${userPath}" already exists; set overwrite: true to replace it`, { path: userPath });
}

export function notEmpty(userPath: string): StepError {
  return new StepError('fs.not_empty', `Folder "${userPath}" is not empty; set recursive: true to delete it with its contents`, { path: userPath });
}

/** The error code Node put on a failed call, if any. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Turns a Node fs error into a StepError about `userPath`; a StepError passes through. */
export function toStepError(error: unknown, userPath: string, absolute: string): StepError {
  if (error instanceof StepError) return error;
  const code = errorCode(error);
  const details = { path: userPath, resolved: absolute, errno: code };
  const cause = { cause: error };
  switch (code) {
    case 'ENOENT':
      return notFound(userPath, absolute);
    case 'EEXIST':
      return alreadyExists(userPath);
    case 'ENOTEMPTY':
      return notEmpty(userPath);
    case 'EISDIR':
      return new StepError('fs.is_directory', `Path "${userPath}" is a folder, not a file`, details, cause);
    case 'ENOTDIR':
      return new StepError('fs.not_a_directory', `Path "${userPath}" goes through a file as if it were a folder`, details, cause);
    case 'EACCES':
    case 'EPERM':
      return new StepError('fs.permission', `Permission denied on "${userPath}" (${absolute})`, details, cause);
    default:
      return new StepError('fs.io', `Could not access "${userPath}": ${(error as Error).message}`, details, cause);
  }
}
