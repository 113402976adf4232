/** Errors a user sees: each has a stable code, and a place in a file where one applies. */

/** A place in a workflow file (1-based line and column). */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** One thing wrong with a workflow: what is wrong, where, and what was expected. */
export interface Problem {
  readonly code: string;
  readonly message: string;
  readonly location: SourceLocation;
}

/** Formats a problem as `file:line:col: message [code]`, the form editors and CI annotate. */
export function formatProblem(problem: Problem): string {
  const { file, line, column } = problem.location;
  return `${file}:${line}:${column}: ${problem.message} [${problem.code}]`;
}

/** Orders problems by file, then line, then column. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) =>
      a.location.file.localeCompare(b.location.file) ||
      a.location.line - b.location.line ||
      a.location.column - b.location.column,
  );
}

/** Base class of every error arq reports without a stack trace. */
export class ArqError extends Error {
  override readonly name: string = 'ArqError';
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A workflow that cannot be run: carries every problem found, not just the first. */
export class WorkflowError extends ArqError {
  override readonly name = 'WorkflowError';
  constructor(readonly problems: readonly Problem[]) {
    super(problems[0]?.code ?? 'invalid', sortProblems(problems).map(formatProblem).join('\n'));
  }
}

/** Bad command-line usage or input values (exit code 2). */
export class UsageError extends ArqError {
  override readonly name = 'UsageError';
}
