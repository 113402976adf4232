/**
 * The step contract: the only module a step type may import from arq.
 *
 * A step type is a module exporting a {@link StepType}. The engine validates `with:` against
 * `input` before `run` is called, resolves every `${{ }}` expression, and hands the step an
 * AbortSignal that fires on timeout, cancel or engine exit.
 *
 * @example
 * export const noop: StepType = {
 *   type: 'noop', description: 'Does nothing.', input: { type: 'object' },
 *   run: async (input) => input,
 * };
 */

/** A JSON Schema (draft 2020-12 subset understood by ajv). */
export type JSONSchema = Record<string, unknown>;

/** Where a log line came from. */
export type LogStream = 'stdout' | 'stderr' | 'info';

/** What the engine gives a running step. */
export interface StepContext {
  /** Fires when the step must stop (timeout, cancel, engine exit). The step must then release everything it holds. */
  readonly signal: AbortSignal;
  /** The step's id in the workflow. */
  readonly stepId: string;
  /** 1 for the first attempt, 2 for the first retry, ... */
  readonly attempt: number;
  /** The run's working directory: relative paths are resolved against it. */
  readonly workdir: string;
  /**
   * Folders a step may touch: the run's working directory and the workflow's `permissions.paths`
   * (absolute). A file step refuses any other path, however it is spelt (../, symlinks).
   */
  readonly allowedPaths: readonly string[];
  /** A scratch directory private to this run, removed when the run ends. */
  readonly tmpdir: string;
  /** The full environment for child processes (process env + workflow, block and step env). */
  readonly env: Readonly<Record<string, string>>;
  /** Records one line of the step's log (secrets are masked by the engine). */
  log(stream: LogStream, line: string): void;
}

/** A step's outputs: read by later steps as `${{ steps.ID.outputs.NAME }}`. */
export type StepOutputs = Record<string, unknown>;

/** A step type: its input schema next to its `run`. */
export interface StepType<I = Record<string, unknown>, O extends StepOutputs = StepOutputs> {
  /** The name used in `uses:` (e.g. `shell`, `fs.read`). */
  readonly type: string;
  /** One sentence shown by `arq steps`. */
  readonly description: string;
  /** JSON Schema of `with:`; checked by `arq validate` before anything runs. */
  readonly input: JSONSchema;
  /** JSON Schema of the outputs, for documentation. */
  readonly output?: JSONSchema;
  /**
   * Inputs holding script text: an expression in them is never spliced into the text; its value
   * is handed to the step in `env` and the text refers to that variable instead.
   */
  readonly scriptInputs?: readonly string[];
  run(input: I, ctx: StepContext): Promise<O>;
}

/** A step failure with a stable code and a message a user can act on. */
export class StepError extends Error {
  override readonly name = 'StepError';
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
