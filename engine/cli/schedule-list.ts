/**
 * `arq schedule --list [DIR...]` and `arq schedule --next N FILE`: each schedule with its next
 * firings in its time zone, worked out exactly as the scheduler will (DST changes included and
 * explained), from now or from `--from`, so a cron line can be checked before it is deployed.
 */
import { WorkflowError, UsageError, formatProblem, sortProblems } from '../errors.js';
import { formatDuration } from '../model/duration.js';
import type { ScheduleSpec } from '../model/schedule.js';
import { findWorkflowFiles, type ScheduledWorkflow } from '../schedule/catalog.js';
import { loadScheduled } from '../schedule/load.js';
import { firingsOf } from '../schedule/firings.js';
import { EXIT } from './exit.js';

export interface ListOptions {
  next?: number;
  from?: string;
}

const DEFAULT_COUNT = 5;

function startOf(from: string | undefined): number {
  if (from === undefined) return Date.now();
  const time = Date.parse(from);
  if (Number.isNaN(time)) throw new UsageError('schedule.from', `--from expects a date and time like 2026-10-24T00:00:00Z (without an offset: the machine's time); found "${from}"`);
  return time;
}

/** `overlap: skip, catch_up: last within 6h, jitter 30s, inputs {"version":"nightly"}`. */
function policies(spec: ScheduleSpec): string {
  const window = spec.catchUpWindowMs === undefined ? '' : ` within ${formatDuration(spec.catchUpWindowMs)}`;
  const parts = [`overlap: ${spec.overlap}`, `catch_up: ${spec.catchUp}${window}`];
  if (spec.jitterMs) parts.push(`jitter: ${formatDuration(spec.jitterMs)}`);
  if (Object.keys(spec.inputs).length) parts.push(`inputs: ${JSON.stringify(spec.inputs)}`);
  return parts.join(', ');
}

function describeEntry(spec: ScheduleSpec, from: number, count: number): string[] {
  const firings = firingsOf(spec);
  const lines = [`  #${spec.entry}  "${spec.cron}" in ${firings.zone.name}  (${policies(spec)})`];
  const coming = firings.upcoming(from, count);
  if (!coming.length) lines.push('      never fires again');
  for (const instant of coming) {
    const note = firings.dstNote(instant);
    lines.push(`      ${firings.zone.describe(instant / 1000)}${note ? `  (${note})` : ''}`);
  }
  return lines;
}

function describeWorkflow(workflow: ScheduledWorkflow, from: number, count: number): string {
  const entries = workflow.schedules.flatMap((spec) => describeEntry(spec, from, count));
  return [`${workflow.name}  ${workflow.shown}`, ...entries].join('\n');
}

/** Loads each file: its block of firings, or its problems on stderr. */
async function describeFiles(files: readonly string[], from: number, count: number): Promise<{ blocks: string[]; problems: number }> {
  const blocks: string[] = [];
  let problems = 0;
  for (const file of files) {
    try {
      const workflow = await loadScheduled(file);
      if (workflow) blocks.push(describeWorkflow(workflow, from, count));
    } catch (error) {
      if (!(error instanceof WorkflowError)) throw error;
      problems += error.problems.length;
      process.stderr.write(`${sortProblems(error.problems).map(formatProblem).join('\n')}\n`);
    }
  }
  return { blocks, problems };
}

export async function listCommand(paths: readonly string[], options: ListOptions): Promise<number> {
  const from = startOf(options.from);
  const { blocks, problems } = await describeFiles(findWorkflowFiles(paths), from, options.next ?? DEFAULT_COUNT);
  if (blocks.length) process.stdout.write(`${blocks.join('\n\n')}\n`);
  else if (!problems) process.stdout.write(`No workflow with on.schedule in ${paths.join(', ')}\n`);
  if (problems) process.stderr.write(`${problems} problem${problems === 1 ? '' : 's'} found\n`);
  return problems ? EXIT.usage : EXIT.ok;
}
