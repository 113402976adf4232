/** run: a checked workflow -> a finished run, reported through events. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { Workflow } from '../model/types.js';
import type { EventSink, RunStatus } from './events.js';
import { createInstance, resolveSecrets, runInstance } from './instance.js';
import { applyInputs } from './inputs.js';
import { Runtime } from './runtime.js';
import type { StepView } from './scope.js';

export interface RunOptions {
  readonly inputs?: Readonly<Record<string, unknown>>;
  /** The run's working directory (default: the current directory). */
  readonly workdir?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly onEvent?: EventSink;
  /** Aborting cancels the run: running steps are stopped, finally: still runs. */
  readonly signal?: AbortSignal;
  readonly runId?: string;
}

export interface RunResult {
  readonly runId: string;
  readonly status: RunStatus;
  readonly outputs: Record<string, unknown>;
  readonly error?: string;
  readonly steps: Readonly<Record<string, StepView>>;
  readonly durationMs: number;
}

/** A sortable, unique run id: time first, then randomness. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, '').replace('T', '-');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
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
  const baseEnv = definedEnv(options.env ?? process.env);
  const inputs = applyInputs(workflow, options.inputs ?? {}, (message) => new UsageError('input.invalid', message));
  const secrets = resolveSecrets(workflow, baseEnv);
  const runId = options.runId ?? newRunId();
  const scratch = mkdtempSync(join(tmpdir(), 'arq-run-'));
  const runtime = new Runtime({ runId, workdir: resolve(options.workdir ?? process.cwd()), tmpdir: scratch, baseEnv, onEvent: options.onEvent, secretValues: Object.values(secrets) });
  const started = Date.now();
  runtime.emit({ type: 'run.started', run: runId, workflow: workflow.name, time: started, inputs });
  try {
    const frame = createInstance(runtime, workflow, inputs, secrets);
    const result = await runInstance(frame, options.signal);
    const durationMs = Date.now() - started;
    runtime.emit({ type: 'run.finished', run: runId, workflow: workflow.name, status: result.status, time: Date.now(), duration_ms: durationMs, outputs: result.outputs, error: result.error });
    return runtime.maskValue({ runId, ...result, steps: { ...frame.scope.steps }, durationMs });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
