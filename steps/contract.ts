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

/**
 * What a workflow may grant its steps beyond files, each with `permissions: { NAME: true }`:
 * `browser_eval` lets steps run the workflow's JavaScript in a browser page.
 */
export type Permission = 'browser_eval';

/** Where a log line came from. */
export type LogStream = 'stdout' | 'stderr' | 'info';

/** What the engine gives a running step. */
export interface StepContext {
  /** Fires when the step must stop (timeout, cancel, engine exit). The step must then release everything it holds. */
  readonly signal: AbortSignal;
  /** The step's id in the workflow. */
  readonly stepId: string;
  /**
   * The step as events and logs show it, unique in the run: `call/inner` inside a sub-workflow or
   * team, `step[2]` for a foreach item. Absent in contexts built by hand (tests): use stepId then.
   */
  readonly path?: string;
  /** 1 for the first attempt, 2 for the first retry, ... */
  readonly attempt: number;
  /** The run's working directory: relative paths are resolved against it. */
  readonly workdir: string;
  /**
   * Folders a step may touch: the run's working directory and the workflow's `permissions.paths`
   * (absolute). A file step refuses any other path, however it is spelt (../, symlinks).
   */
  readonly allowedPaths: readonly string[];
  /** The permissions the workflow grants (`permissions: { browser_eval: true }`); absent means none. */
  readonly permissions?: readonly Permission[];
  /** A scratch directory private to this run, removed when the run ends. */
  readonly tmpdir: string;
  /** The full environment for child processes (process env + workflow, block and step env). */
  readonly env: Readonly<Record<string, string>>;
  /** Records one line of the step's log (secrets are masked by the engine). */
  log(stream: LogStream, line: string): void;
  /** The run this step belongs to (a sub-workflow's steps share their caller's run). */
  readonly run: RunScope;
  /**
   * Masks `value` as *** from now on in every log line, event, error and record of the run: for a
   * secret the step found by itself (an API key read from the environment). The engine always
   * provides it; it is optional so that contexts built by hand (tests) stay valid.
   *
   * @example
   * ctx.maskSecret?.(apiKey);
   */
  maskSecret?(value: string): void;
  /**
   * Runs another step type as part of this step (an LLM's tool call), as the engine runs a step:
   * `input` is validated against the type's schema (a bad input throws a StepError naming the
   * problem), and the type gets this step's signal, working directory, allowed paths, env, run and
   * log (its lines prefixed `[TYPE] `). Built-in and custom types may run; `workflow` and
   * `agents.*` may not (they are run by the engine, not by a step). Provided by the engine.
   *
   * @example
   * const { content } = await ctx.runStep!('fs.read', { path: 'notes.txt' });
   */
  runStep?(uses: string, input: Record<string, unknown>): Promise<StepOutputs>;
  /**
   * The description and input schema of a step type `runStep` would run, or undefined for a type
   * that does not exist or may not run nested (used to describe tools to a model). Provided by the engine.
   */
  describeStep?(uses: string): { readonly description: string; readonly input: JSONSchema } | undefined;
}

/**
 * What lives as long as the run: files a step keeps (screenshots, reports) and resources shared
 * by the steps of one run (a browser session, a budget). Every resource is disposed when the run
 * ends, whether it succeeded, failed, timed out or was cancelled.
 */
export interface RunScope {
  readonly id: string;
  /**
   * A folder for files that outlive the run: the run record's `artifacts/` folder when the run is
   * recorded (arq run), else `<workdir>/.arq-artifacts/<run id>`. Created on first use by the step.
   */
  readonly artifactsDir: string;
  /**
   * The resource under `key`, created on first use (concurrent callers share one creation).
   * `dispose` runs once at the end of the run, newest resource first; its errors are logged, never thrown.
   */
  resource<T>(key: string, create: () => Promise<T>, dispose: (value: T) => Promise<void>): Promise<T>;
  /** Disposes one resource now (a `browser.close` step); a key never created is a no-op. */
  release(key: string): Promise<void>;
  /**
   * Workflow-level settings of step families, as written in the workflow `arq run` runs: `llm`
   * holds its `llm:` block (default model and server, the run's budget, prices). Absent in
   * contexts built by hand.
   */
  readonly settings?: Readonly<Record<string, unknown>>;
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
  /**
   * Inputs holding code run somewhere else (JavaScript in a page): they must be written as
   * constants, since a `${{ }}` value pasted into code could change what it does. `arq validate`
   * reports an expression there; values reach such code through other inputs (`args`).
   */
  readonly constantInputs?: readonly string[];
  /**
   * A permission the workflow must grant for this step to run; with `when`, only when one of
   * those inputs is given. `arq validate` reports a step whose workflow does not grant it.
   */
  readonly permission?: { readonly name: Permission; readonly when?: readonly string[] };
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
