/** Starting a workflow instance (the run's root workflow, or a sub-workflow) and running its root machine. */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { compileWorkflow, type CompiledWorkflow } from '../compile/compile.js';
import { UsageError } from '../errors.js';
import { evaluateValue, stringifyValue } from '../expr/index.js';
import type { Workflow } from '../model/types.js';
import { Frame, instanceFailure } from './frame.js';
import { Machines } from './machines.js';
import { Control, type Runtime } from './runtime.js';
import { Halt, Scope } from './scope.js';
import { errorMessage } from './record.js';
import { runRoot } from './root.js';
import type { RunStatus } from './events.js';

const compiledCache = new WeakMap<Workflow, { compiled: CompiledWorkflow; machines: Machines }>();

function prepared(workflow: Workflow) {
  let entry = compiledCache.get(workflow);
  if (!entry) {
    const compiled = compileWorkflow(workflow);
    entry = { compiled, machines: new Machines(compiled) };
    compiledCache.set(workflow, entry);
  }
  return entry;
}

/** Reads each secret from its variable or file; a missing required secret stops the run before it starts. */
export function resolveSecrets(workflow: Workflow, env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, spec] of Object.entries(workflow.secrets)) {
    const value = spec.env !== undefined ? env[spec.env] : readSecretFile(workflow, spec.file!);
    if (value === undefined && spec.required) {
      throw new UsageError('secret.missing', `Secret "${name}" is missing: set ${spec.env !== undefined ? `the environment variable ${spec.env}` : `the file ${spec.file}`}`);
    }
    if (value !== undefined) values[name] = value;
  }
  return values;
}

function readSecretFile(workflow: Workflow, file: string): string | undefined {
  try {
    return readFileSync(resolve(dirname(workflow.file), file), 'utf8').replace(/\r?\n$/, '');
  } catch {
    return undefined;
  }
}

export interface InstanceResult {
  readonly status: RunStatus;
  readonly outputs: Record<string, unknown>;
  readonly error?: string;
}

function workflowEnv(workflow: Workflow, frameLike: Frame): Record<string, string> {
  const values = evaluateValue(workflow.env!, frameLike.evalContext({})) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, stringifyValue(v)]));
}

/** Creates an instance whose root frame is ready to run. */
export function createInstance(runtime: Runtime, workflow: Workflow, inputs: Record<string, unknown>, secrets: Record<string, string>, prefix = '', basePath: readonly number[] = []): Frame {
  const { compiled, machines } = prepared(workflow);
  const control = new Control();
  const startedAt = prefix === '' ? (runtime.options.startedAt ?? Date.now()) : Date.now();
  const cancelled = () => control.cancelled;
  // finally: runs on cancel too, and each of its steps whatever the ones before it did.
  const halts = { main: new Halt(undefined, cancelled), on_failure: new Halt(undefined, cancelled), finally: new Halt(undefined, () => false, false) };
  const instance = { runtime, control, compiled, machines, inputs, secrets, prefix, halts, startedAt, env: {} as Readonly<Record<string, string>> };
  const scope = new Scope(undefined, undefined, basePath);
  // The workflow's env: may read inputs, secrets and run, not env itself.
  if (workflow.env) instance.env = workflowEnv(workflow, new Frame(instance, scope, halts.main, {}, 'main'));
  return new Frame(instance, scope, halts.main, instance.env, 'main');
}

function evaluateOutputs(frame: Frame): { outputs: Record<string, unknown>; error?: string } {
  const spec = frame.instance.compiled.workflow.outputs;
  if (!spec) return { outputs: {} };
  try {
    return { outputs: evaluateValue(spec, frame.evalContext()) as Record<string, unknown> };
  } catch (error) {
    return { outputs: {}, error: errorMessage(error) };
  }
}

/** Runs an instance's root machine to its end; `signal` cancels it (finally: still runs). */
export async function runInstance(frame: Frame, signal?: AbortSignal): Promise<InstanceResult> {
  const status = await runRoot(frame, signal);
  await frame.instance.control.settle();
  const { outputs, error } = evaluateOutputs(frame);
  if (error && status === 'succeeded') return { status: 'failed', outputs, error: `Workflow outputs: ${error}` };
  return { status, outputs, error: status === 'failed' ? instanceFailure(frame.instance) : undefined };
}
