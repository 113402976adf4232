/**
 * `arq schedule-run` (hidden): one run started by `arq schedule`, its job read as JSON on stdin.
 * The workflow's text comes with the job, so the run executes the version the scheduler checked,
 * even if the file was edited (or broken) since. It is recorded like any `arq run`, plus its trigger.
 */
import { checkWorkflow } from '../check/workflow.js';
import { UsageError } from '../errors.js';
import { parseWorkflowText } from '../load/load.js';
import type { ScheduledJob } from '../schedule/child.js';
import { exitCodeOf, runAndRecord } from './run.js';

async function readJob(): Promise<ScheduledJob> {
  let text = '';
  for await (const chunk of process.stdin.setEncoding('utf8')) text += chunk;
  try {
    const job = JSON.parse(text) as ScheduledJob;
    if (typeof job.file === 'string' && typeof job.text === 'string' && typeof job.runId === 'string') return job;
  } catch {
    // reported below
  }
  throw new UsageError('schedule.job', 'arq schedule-run is started by arq schedule: it expects a job as JSON on stdin');
}

export async function scheduleRunCommand(): Promise<number> {
  // The scheduler may cancel a run that is still starting (cancel_previous, the end of a shutdown
  // grace): held from the first line, so the run is still recorded, as cancelled, and its finally: runs.
  const early = new AbortController();
  const cancelEarly = () => early.abort();
  process.once('SIGTERM', cancelEarly);
  process.once('SIGINT', cancelEarly);
  const job = await readJob();
  const workflow = await checkWorkflow(parseWorkflowText(job.text, job.file));
  const options = { input: [], stateDir: job.stateDir, workdir: job.workdir, secretsFile: job.secretsFile };
  const result = await runAndRecord(job.file, workflow, { ...job.inputs }, options, { runId: job.runId, trigger: job.trigger, signal: early.signal });
  return exitCodeOf(result.status);
}
