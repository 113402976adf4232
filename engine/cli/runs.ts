/**
 * `arq runs`: the run history, newest first; a run whose runner died shows as `interrupted`, with how
 * to resume it; a scheduled run shows its trigger (entry and planned time).
 */
import { formatDuration } from '../model/duration.js';
import { listRuns, type RunInfo, type ShownStatus } from '../store/history.js';
import { resolveStateDir } from '../store/paths.js';
import { EXIT } from './exit.js';

export interface RunsCommandOptions {
  workflow?: string;
  status?: ShownStatus;
  limit?: number;
  json?: boolean;
  stateDir?: string;
}

function selectRuns(runs: readonly RunInfo[], options: RunsCommandOptions): RunInfo[] {
  const chosen = runs.filter((r) => (options.workflow === undefined || r.summary.workflow === options.workflow) && (options.status === undefined || r.status === options.status));
  return options.limit === undefined ? chosen : chosen.slice(0, options.limit);
}

/** Local time to the second: what a person compares with their clock. */
function localTime(isoTime: string): string {
  const d = new Date(isoTime);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** Columns padded to their widest cell; the last one is not padded, so lines carry no trailing blanks. */
function table(rows: readonly string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n');
}

/** `schedule #1 2025-03-01 03:00:00` (the planned time), `(catch-up)` when it was missed and run later. */
function triggerCell(run: RunInfo): string {
  const trigger = run.summary.trigger;
  if (!trigger) return 'manual';
  return `schedule #${trigger.entry} ${localTime(trigger.planned_at)}${trigger.reason === 'catch_up' ? ' (catch-up)' : ''}`;
}

function runsTable(runs: readonly RunInfo[]): string {
  // The TRIGGER column appears once a scheduler has recorded runs: a history of runs by hand reads as before.
  const withTrigger = runs.some((r) => r.summary.trigger);
  const header = ['ID', 'WORKFLOW', 'STATUS', 'STARTED', 'DURATION', ...(withTrigger ? ['TRIGGER'] : [])];
  const rows = runs.map((r) => [r.summary.id, r.summary.workflow, r.status, localTime(r.summary.started_at), formatDuration(r.durationMs), ...(withTrigger ? [triggerCell(r)] : [])]);
  return table([header, ...rows]);
}

/** What `--json` prints for a run: its summary, with the status a reader should believe. */
function runJson(run: RunInfo): object {
  return { ...run.summary, status: run.status, duration_ms: run.durationMs };
}

export function runsCommand(options: RunsCommandOptions): number {
  const stateDir = resolveStateDir(options.stateDir);
  const runs = selectRuns(listRuns(stateDir), options);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(runs.map(runJson), null, 2)}\n`);
    return EXIT.ok;
  }
  if (!runs.length) {
    process.stdout.write(`No runs in ${stateDir}\n`);
    return EXIT.ok;
  }
  const hints = runs.filter((r) => r.status === 'interrupted').map((r) => `${r.summary.id} was interrupted (its runner is gone); resume with: arq resume ${r.summary.id}`);
  process.stdout.write(`${[runsTable(runs), ...(hints.length ? ['', ...hints] : [])].join('\n')}\n`);
  return EXIT.ok;
}
