/**
 * `arq run FILE`: check, then run with progress, recorded in the state directory; SIGINT/SIGTERM
 * cancel cleanly, a second SIGINT kills at once.
 */
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError, WorkflowError } from '../errors.js';
import { loadWorkflowFile } from '../load/load.js';
import type { Workflow } from '../model/types.js';
import { parseInputText } from '../run/inputs.js';
import type { EventSink, RunEvent, RunStatus } from '../run/events.js';
import type { RunTrigger } from '../model/schedule.js';
import { newRunId, runWorkflow, scratchDirs, type RunOptions, type RunResult } from '../run/run.js';
import { readDotenvFile } from '../store/dotenv.js';
import { ARTIFACTS, resolveStateDir } from '../store/paths.js';
import { RunRecorder } from '../store/recorder.js';
import { workflowHash } from '../store/hash.js';
import { killAllTrackedSync } from '../../steps/os/process-tree.js';
import { EXIT } from './exit.js';
import { loadChecked } from './load.js';
import { printPlan } from './plan.js';
import { createReporter } from './reporter.js';

export interface RunCommandOptions {
  input: string[];
  inputsFile?: string;
  dryRun?: boolean;
  json?: boolean;
  workdir?: string;
  stateDir?: string;
  secretsFile?: string;
  rehearse?: boolean;
}

/** Inputs from a YAML or JSON file, read by the workflow loader: the same limits and file:line:col errors. */
async function readInputsFile(file: string): Promise<Record<string, unknown>> {
  try {
    return (await loadWorkflowFile(file, { displayPath: file })).data as Record<string, unknown>;
  } catch (error) {
    if (!(error instanceof WorkflowError)) throw error;
    const notMapping = 'An inputs file must be a mapping of input names to values';
    throw new WorkflowError(error.problems.map((p) => (p.code === 'load.not_mapping' ? { ...p, message: `${notMapping}; ${p.message.replace(/^.*; /, '')}` } : p)));
  }
}

async function gatherInputs(workflow: Workflow, options: RunCommandOptions): Promise<Record<string, unknown>> {
  const inputs = options.inputsFile ? await readInputsFile(options.inputsFile) : {};
  const makeError = (message: string) => new UsageError('input.invalid', message);
  for (const pair of options.input) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError('input.syntax', `--input expects name=value; found "${pair}"`);
    const name = pair.slice(0, eq);
    inputs[name] = parseInputText(workflow, name, pair.slice(eq + 1), makeError);
  }
  return inputs;
}

/** The first signal cancels; a second SIGINT kills every process group at once and exits 130. */
function handleSignals(controller: AbortController): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted && signal === 'SIGINT') {
      killAllTrackedSync('SIGKILL');
      process.exit(EXIT.interrupted);
    }
    process.stderr.write(`\narq: ${signal} received, cancelling (press Ctrl-C again to kill at once)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // A closed terminal or a dropped ssh session: the steps are detached, so they would outlive arq.
  process.on('SIGHUP', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
  };
}

/** Creates the run's folder (and takes its lock) before anything runs. */
function openRecorder(file: string, workflow: Workflow, runId: string, options: RunCommandOptions, trigger?: RunTrigger): RunRecorder {
  return RunRecorder.create({
    stateDir: resolveStateDir(options.stateDir),
    runId,
    workflow: workflow.name,
    file: resolve(file),
    hash: workflowHash(workflow),
    workdir: resolve(options.workdir ?? process.cwd()),
    trigger,
    onError: (error) => process.stderr.write(`arq: cannot write the run's record (${error instanceof Error ? error.message : String(error)}); the run goes on without it\n`),
  });
}

/** Runs with a record; a run refused before it started (a missing secret) leaves no folder behind. */
export async function runRecorded(recorder: RunRecorder, run: () => Promise<RunResult>, resumed = false): Promise<RunResult> {
  try {
    const result = await run();
    recorder.close();
    return result;
  } catch (error) {
    // A resume refused before it started leaves the interrupted run as it was: never delete it.
    if (recorder.started || resumed) recorder.close();
    else recorder.discard();
    throw error;
  }
}

/** Runs with cancel on SIGINT/SIGTERM/SIGHUP, and no process of the run left behind when arq exits. */
export async function runWithSignals(workflow: Workflow, options: RunOptions): Promise<RunResult> {
  process.on('exit', () => {
    killAllTrackedSync('SIGKILL');
    for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
  });
  const controller = new AbortController();
  // A cancel that came before these handlers (a runner still starting) cancels the run at once.
  if (options.signal?.aborted) controller.abort();
  else options.signal?.addEventListener('abort', () => controller.abort(), { once: true });
  const release = handleSignals(controller);
  const stalled = () => {
    process.stderr.write('arq: internal error: the run stopped making progress before it ended\n');
    process.exitCode = EXIT.failed;
  };
  process.once('beforeExit', stalled);
  const result = await runWorkflow(workflow, { ...options, signal: controller.signal });
  release();
  process.off('beforeExit', stalled);
  return result;
}

export async function runCommand(file: string, options: RunCommandOptions): Promise<number> {
  const workflow = await loadChecked(file);
  const inputs = await gatherInputs(workflow, options);
  if (options.dryRun) {
    printPlan(workflow, inputs);
    return EXIT.ok;
  }
  const report = createReporter(options.json ? 'json' : process.stdout.isTTY ? 'tty' : 'plain');
  const result = await runAndRecord(file, workflow, inputs, options, { report });
  if (!options.json && Object.keys(result.outputs).length) process.stdout.write(`outputs: ${JSON.stringify(result.outputs)}\n`);
  return exitCodeOf(result.status);
}

/** What a run started by `arq schedule` adds to one started by hand. */
export interface RunStart {
  readonly runId?: string;
  readonly trigger?: RunTrigger;
  /** Told every event, after it is recorded. */
  readonly report?: EventSink;
  /** A cancel asked for before the run's own signal handlers were in place (arq schedule-run). */
  readonly signal?: AbortSignal;
}

/**
 * Runs a checked workflow recorded in the state directory, cancelled cleanly by SIGINT/SIGTERM:
 * what `arq run` does, and what each run of `arq schedule` does.
 *
 * @example
 * const result = await runAndRecord('wf.yaml', workflow, { name: 'Ann' }, { input: [], stateDir: '/srv/arq' });
 */
export async function runAndRecord(file: string, workflow: Workflow, inputs: Record<string, unknown>, options: RunCommandOptions, start: RunStart = {}): Promise<RunResult> {
  const secretEnv = options.secretsFile ? readDotenvFile(options.secretsFile) : undefined;
  const runId = start.runId ?? newRunId();
  const recorder = openRecorder(file, workflow, runId, options, start.trigger);
  // The record first: what a user saw on screen is already on disk.
  const onEvent = (event: RunEvent) => {
    recorder.record(event);
    start.report?.(event);
  };
  return runRecorded(recorder, () => runWithSignals(workflow, { inputs, workdir: options.workdir, onEvent, runId, secretEnv, artifactsDir: join(recorder.dir, ARTIFACTS), rehearse: options.rehearse === true, signal: start.signal }));
}

/** 0 succeeded, 1 failed, 130 cancelled. */
export function exitCodeOf(status: RunStatus): number {
  return status === 'succeeded' ? EXIT.ok : status === 'cancelled' ? EXIT.interrupted : EXIT.failed;
}
