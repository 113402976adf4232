/** How the CLI ends: exit codes 0/1/2/130, and no stack trace for anything a user caused. */
import { ArqError, UsageError, WorkflowError } from '../errors.js';

export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

interface CommanderLike {
  code?: string;
  exitCode?: number;
}

function isCommanderExit(error: unknown): error is CommanderLike {
  return typeof error === 'object' && error !== null && typeof (error as CommanderLike).code === 'string' && (error as CommanderLike).code!.startsWith('commander.');
}

/**
 * Exits once stdout and stderr have handed everything to the OS: on a pipe they are asynchronous,
 * and a bare process.exit() would cut the output of `arq run ... | tail` short.
 */
export function exitAfterFlush(code: number): void {
  process.exitCode = code;
  let pending = 2;
  const done = () => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

/** Prints what went wrong and exits with the code that says what kind of wrong it was. */
export function exitWithError(error: unknown): void {
  if (isCommanderExit(error)) {
    const code = error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? 0 : EXIT.usage;
    return exitAfterFlush(code);
  }
  if (error instanceof WorkflowError || error instanceof UsageError) {
    process.stderr.write(`${error.message}\n`);
    return exitAfterFlush(EXIT.usage);
  }
  if (error instanceof ArqError) {
    process.stderr.write(`arq: ${error.message}\n`);
    return exitAfterFlush(EXIT.failed);
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`arq: internal error: ${message}\n`);
  if (process.env.ARQ_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  exitAfterFlush(EXIT.failed);
}
