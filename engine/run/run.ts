/** run: a checked workflow -> a finished run, reported through events. */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { Workflow } from '../model/types.js';
import type { EventSink, RunStatus } from './events.js';
import { createInstance, resolveSecrets, runInstance, type InstanceResult } from './instance.js';
import { errorMessage } from './record.js';
import { applyInputs } from './inputs.js';
import type { Replay } from './replay.js';
import { newRunId } from './run-id.js';
import { Runtime } from './runtime.js';
import { ScratchDir } from './scratch.js';
import type { StepView } from './scope.js';

export interface RunOptions {
  readonly inputs?: Readonly<Record<string, unknown>>;
  /** The run's working directory (default: the current directory). */
  readonly workdir?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly onEvent?: EventSink;
  /** An interrupted run's journal, read back: its succeeded steps are not run again (arq resume). */
  readonly replay?: Replay;
  /** When the run first started (a resumed run keeps it for `run.started_at` and its duration). */
  readonly startedAt?: number;
  /** Where steps keep files that outlive the run (default `<workdir>/.arq-artifacts/<run id>`). */
  readonly artifactsDir?: string;
  /** Aborting cancels the run: running steps are stopped, finally: still runs. */
  readonly signal?: AbortSignal;
  readonly runId?: string;
  /**
   * Extra variables for `secrets: { X: { env: NAME } }` lookups only (a `--secrets-file`): they
   * win over `env` and never reach a step's environment. Sub-workflows do not see them yet.
   */
  readonly secretEnv?: Readonly<Record<string, string>>;
  /**
   * A rehearsal (`arq run --rehearse`): expressions see `run.rehearse` true and processes get
   * ARQ_REHEARSE=1. arq itself runs every step as usual: a workflow decides what a rehearsal
   * simulates (workflows/deploy.yaml simulates nginx, the services and the metrics).
   */
  readonly rehearse?: boolean;
}

export interface RunResult {
  readonly runId: string;
  readonly status: RunStatus;
  readonly outputs: Record<string, unknown>;
  readonly error?: string;
  readonly steps: Readonly<Record<string, StepView>>;
  readonly durationMs: number;
}

export { scratchDirs } from './scratch.js';

function checkWorkdir(dir: string): void {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new UsageError('workdir.missing', `Working directory ${dir} does not exist`);
  }
  if (!isDir) throw new UsageError('workdir.not_dir', `Working directory ${dir} is not a directory`);
}

/** Every sub-workflow a run may call, each once, however deep. */
function subworkflowsOf(workflow: Workflow, seen = new Set<Workflow>()): Set<Workflow> {
  // forEach, not for-of: an iterator's result object per step, until the loop is optimised.
  workflow.stepsById.forEach((node) => {
    if (!node.workflow || seen.has(node.workflow)) return;
    seen.add(node.workflow);
    subworkflowsOf(node.workflow, seen);
  });
  return seen;
}

export { newRunId } from './run-id.js';

function hasSecrets(workflow: Workflow): boolean {
  for (const _ in workflow.secrets) return true;
  return false;
}

function definedEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}

/**
 * Runs a checked workflow to its end.
 *
 * @example
 * const result = await runWorkflow(await checkWorkflow(await loadWorkflowFile('hello.yaml')), { inputs: { name: 'ann' } });
 * result.status; // 'succeeded'
 */
export async function runWorkflow(workflow: Workflow, options: RunOptions = {}): Promise<RunResult> {
  // Copied from process.env when first needed (a child's env, a secret): a copy costs ~0.1 ms.
  const envSource = options.env ?? process.env;
  let baseEnvCopy: Record<string, string> | undefined;
  const baseEnv = (): Record<string, string> => {
    if (!baseEnvCopy) {
      baseEnvCopy = definedEnv(envSource);
      if (options.rehearse) baseEnvCopy.ARQ_REHEARSE = '1';
    }
    return baseEnvCopy;
  };
  const inputs = applyInputs(workflow, options.inputs ?? {}, (message) => new UsageError('input.invalid', message));
  // Secrets may also come from --secrets-file: looked up there, never handed to steps.
  let secretEnvCopy: Record<string, string> | undefined;
  const secretEnv = () => (secretEnvCopy ??= { ...baseEnv(), ...options.secretEnv });
  const secrets = hasSecrets(workflow) ? resolveSecrets(workflow, secretEnv()) : {};
  const workdir = resolve(options.workdir ?? process.cwd());
  checkWorkdir(workdir);
  // A sub-workflow's missing secret is found now, not when its step is reached halfway through.
  for (const sub of subworkflowsOf(workflow)) if (hasSecrets(sub)) resolveSecrets(sub, secretEnv());
  const runId = options.runId ?? newRunId();
  const scratch = new ScratchDir();
  const started = options.startedAt ?? Date.now();
  const runtime = new Runtime({
    runId, workdir, scratch,
    get baseEnv() {
      return baseEnv();
    },
    get secretEnv() {
      return secretEnv();
    },
    replay: options.replay, startedAt: started, onEvent: options.onEvent, secretValues: Object.values(secrets), artifactsDir: options.artifactsDir, settings: workflow.settings, rehearse: options.rehearse === true });
  runtime.emit({ type: 'run.started', run: runId, workflow: workflow.name, time: Date.now(), inputs, resumed: options.replay ? true : undefined, rehearse: options.rehearse ? true : undefined });
  try {
    let outcome;
    try {
      outcome = await startAndRun(runtime, workflow, inputs, secrets, options.signal);
    } finally {
      // Browser sessions and the like end with the run, however it ended.
      await runtime.scope.releaseAll();
    }
    const { result, steps } = outcome;
    const durationMs = Date.now() - started;
    runtime.emit({ type: 'run.finished', run: runId, workflow: workflow.name, status: result.status, time: Date.now(), duration_ms: durationMs, outputs: result.outputs, error: result.error });
    return { runId, ...maskResult(runtime, result), steps: maskSteps(runtime, steps), durationMs };
  } finally {
    scratch.remove();
  }
}

/** Runs the instance; a workflow `env:` that cannot be evaluated fails the run before any step. */
async function startAndRun(runtime: Runtime, workflow: Workflow, inputs: Record<string, unknown>, secrets: Record<string, string>, signal?: AbortSignal) {
  let frame;
  try {
    frame = createInstance(runtime, workflow, inputs, secrets);
  } catch (error) {
    const result: InstanceResult = { status: 'failed', outputs: {}, error: `Workflow env: ${errorMessage(error)}` };
    return { result, steps: {} };
  }
  return { result: await runInstance(frame, signal), steps: frame.scope.steps };
}

function maskResult(runtime: Runtime, result: InstanceResult): InstanceResult {
  return { status: result.status, outputs: runtime.maskValue(result.outputs), error: result.error === undefined ? undefined : runtime.mask(result.error) };
}

function maskSteps(runtime: Runtime, steps: Readonly<Record<string, StepView>>): Readonly<Record<string, StepView>> {
  if (!runtime.masking) return steps;
  const masked = (view: StepView): StepView => ({ ...view, outputs: runtime.maskValue(view.outputs), error: view.error === undefined ? undefined : runtime.mask(view.error) });
  return Object.fromEntries(Object.entries(steps).map(([id, view]) => [id, masked(view)]));
}
