/**
 * Starting a firing's run (a child process with its job: the workflow's text, the entry's inputs,
 * the trigger the history keeps) and logging how it ended, from its record.
 */
import { formatDuration } from '../model/duration.js';
import type { RunTrigger } from '../model/schedule.js';
import { newRunId } from '../run/run-id.js';
import { loadRun } from '../store/history.js';
import { ChildRun, type ChildEnd } from './child.js';
import { firingsOf } from './firings.js';
import type { Firing, LaneHost } from './lane.js';
import type { Log } from './log.js';

export interface StarterOptions {
  /** Absolute: where runs are recorded and the history is read. */
  readonly stateDir: string;
  /** Absolute: the runs' working directory. */
  readonly workdir: string;
  readonly secretsFile?: string;
  /** The arq CLI script; each run is `node CLI schedule-run`. */
  readonly cli: string;
  readonly log: Log;
}

/** Why a child that left no record ended: the first line it wrote to stderr, else its exit. */
function refusal(end: ChildEnd): string {
  const line = end.stderr.split('\n').find((l) => l.trim());
  return line?.trim() ?? (end.signal ? `killed by ${end.signal}` : `exit code ${end.code}`);
}

export class RunStarter implements LaneHost {
  constructor(private readonly options: StarterOptions) {}

  /** `nightly #1: message`. */
  note(firing: Firing, message: string): void {
    this.options.log(`${firing.workflow.name} #${firing.spec.entry}: ${message}`);
  }

  /** The planned time in the entry's zone: `2026-03-29T03:00:00+02:00`. */
  when(firing: Firing): string {
    return firingsOf(firing.spec).zone.iso(firing.planned / 1000);
  }

  start(firing: Firing): ChildRun {
    const { workflow, spec } = firing;
    const trigger: RunTrigger = {
      type: 'schedule', entry: spec.entry, cron: spec.cron, timezone: firingsOf(spec).zone.name,
      planned_at: new Date(firing.planned).toISOString(), reason: firing.reason,
    };
    const { stateDir, workdir, secretsFile } = this.options;
    const job = { file: workflow.file, text: workflow.text, inputs: spec.inputs, trigger, runId: newRunId(), stateDir, workdir, secretsFile };
    const run = new ChildRun(this.options.cli, job);
    this.note(firing, `started run ${job.runId} for ${this.when(firing)}${firing.reason === 'catch_up' ? ' (catch-up)' : ''}`);
    return run;
  }

  finished(firing: Firing, run: ChildRun, end: ChildEnd): void {
    const info = loadRun(this.options.stateDir, run.job.runId);
    if (!info) return this.note(firing, `run ${run.job.runId} did not start: ${refusal(end)}`);
    const error = info.summary.error ? `: ${info.summary.error}` : '';
    this.note(firing, `run ${run.job.runId} ${info.status} after ${formatDuration(info.durationMs)}${error}`);
  }
}
