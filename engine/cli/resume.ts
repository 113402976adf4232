/** `arq resume RUN`: go on with an interrupted run from its journal; what succeeded is not run again. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import type { RunEvent } from '../run/events.js';
import { replayOf, type ReplayEvent } from '../run/replay.js';
import { readDotenvFile } from '../store/dotenv.js';
import { findRun, type RunInfo } from '../store/history.js';
import { readJournal, type JournalEntry, type RunStartedEntry } from '../store/journal.js';
import { ARTIFACTS, JOURNAL, resolveStateDir } from '../store/paths.js';
import { workflowHash } from '../store/hash.js';
import { RunRecorder } from '../store/recorder.js';
import { EXIT } from './exit.js';
import { loadChecked } from './load.js';
import { createReporter } from './reporter.js';
import { runRecorded, runWithSignals } from './run.js';

export interface ResumeCommandOptions {
  force?: boolean;
  json?: boolean;
  stateDir?: string;
  secretsFile?: string;
}

/** Only a run whose runner is gone can be resumed: a live one is someone else's, an ended one is done. */
function checkResumable(run: RunInfo): void {
  const { id } = run.summary;
  if (run.status === 'running') throw new UsageError('resume.running', `Run ${id} is still running (process ${run.summary.pid}); it can be resumed only once its runner is gone`);
  if (run.status !== 'interrupted') throw new UsageError('resume.ended', `Run ${id} already ended (${run.status}); only an interrupted run can be resumed`);
}

function startOf(run: RunInfo, entries: readonly JournalEntry[]): RunStartedEntry {
  // The latest start: a run resumed with --force recorded the hash of the version it went on with.
  const started = entries.filter((e): e is RunStartedEntry => e.type === 'run.started').at(-1);
  if (!started) throw new UsageError('resume.no_start', `Run ${run.summary.id} has no start in its journal; there is nothing to resume`);
  return started;
}

function checkReadable(file: string, runId: string): void {
  if (!existsSync(file)) throw new UsageError('resume.no_file', `The workflow file of run ${runId}, ${file}, is gone; it is needed to resume the run`);
}

/** A changed workflow may not match the journal: refused unless the user says so. */
function checkHash(started: RunStartedEntry, hash: string, force: boolean | undefined): void {
  if (hash === started.hash || force) return;
  throw new UsageError('resume.changed', `Workflow file ${started.file} (or a sub-workflow it calls) changed since run ${started.run} started; resume with --force to run the current version`);
}

export async function resumeCommand(prefix: string, options: ResumeCommandOptions): Promise<number> {
  const stateDir = resolveStateDir(options.stateDir);
  const run = findRun(stateDir, prefix);
  checkResumable(run);
  const { entries } = readJournal(join(run.dir, JOURNAL));
  const started = startOf(run, entries);
  checkReadable(started.file, started.run);
  const workflow = await loadChecked(started.file);
  const hash = workflowHash(workflow);
  checkHash(started, hash, options.force);
  const recorder = RunRecorder.resume({ stateDir, runId: started.run, workflow: workflow.name, file: started.file, hash, workdir: started.workdir }, entries);
  const report = createReporter(options.json ? 'json' : process.stdout.isTTY ? 'tty' : 'plain');
  const onEvent = (event: RunEvent) => {
    recorder.record(event);
    report(event);
  };
  const secretEnv = options.secretsFile ? readDotenvFile(options.secretsFile) : undefined;
  const replay = replayOf(entries as readonly ReplayEvent[]);
  // The first start of the run: `run.started_at` and the run's duration count from it.
  const startedAt = entries.find((e) => e.type === 'run.started')?.time;
  const result = await runRecorded(recorder, () => runWithSignals(workflow, { inputs: started.inputs, workdir: started.workdir, onEvent, runId: started.run, secretEnv, replay, startedAt, artifactsDir: join(recorder.dir, ARTIFACTS), rehearse: started.rehearse === true }), true);
  if (!options.json && Object.keys(result.outputs).length) process.stdout.write(`outputs: ${JSON.stringify(result.outputs)}\n`);
  return result.status === 'succeeded' ? EXIT.ok : result.status === 'cancelled' ? EXIT.interrupted : EXIT.failed;
}
