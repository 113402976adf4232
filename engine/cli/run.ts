/** `arq run FILE`: check, then run with progress; SIGINT/SIGTERM cancel cleanly, a second SIGINT kills at once. */
import { rmSync } from 'node:fs';
import { UsageError, WorkflowError } from '../errors.js';
import { loadWorkflowFile } from '../load/load.js';
import type { Workflow } from '../model/types.js';
import { parseInputText } from '../run/inputs.js';
import { runWorkflow, scratchDirs } from '../run/run.js';
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

export async function runCommand(file: string, options: RunCommandOptions): Promise<number> {
  const workflow = await loadChecked(file);
  const inputs = await gatherInputs(workflow, options);
  if (options.dryRun) {
    printPlan(workflow, inputs);
    return EXIT.ok;
  }
  process.on('exit', () => {
    killAllTrackedSync('SIGKILL');
    for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
  });
  const controller = new AbortController();
  const release = handleSignals(controller);
  const mode = options.json ? 'json' : process.stdout.isTTY ? 'tty' : 'plain';
  const stalled = () => {
    process.stderr.write('arq: internal error: the run stopped making progress before it ended\n');
    process.exitCode = EXIT.failed;
  };
  process.once('beforeExit', stalled);
  const result = await runWorkflow(workflow, { inputs, workdir: options.workdir, onEvent: createReporter(mode), signal: controller.signal });
  release();
  process.off('beforeExit', stalled);
  if (!options.json && Object.keys(result.outputs).length) process.stdout.write(`outputs: ${JSON.stringify(result.outputs)}\n`);
  return result.status === 'succeeded' ? EXIT.ok : result.status === 'cancelled' ? EXIT.interrupted : EXIT.failed;
}
