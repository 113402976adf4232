/** Reading runs back: the list for `arq runs`, one run for `arq logs`, and whether its runner is alive. */
import { readdirSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { isLockHeld } from './lock.js';
import { runDir, runsDir } from './paths.js';
import { readSummary, type RunSummary, type StoredStatus } from './summary.js';

/** `interrupted`: run.json says running but no live process holds the run's lock. */
export type ShownStatus = StoredStatus | 'interrupted';

export interface RunInfo {
  readonly dir: string;
  readonly summary: RunSummary;
  readonly status: ShownStatus;
  /** Until now for a running run, until its last event for an interrupted one. */
  readonly durationMs: number;
}

/** A run as a reader should show it, or undefined for a folder that holds no run yet. */
export function loadRun(stateDir: string, id: string, now = Date.now()): RunInfo | undefined {
  const dir = runDir(stateDir, id);
  // The lock is checked before the journal is read: a runner that ends in between has already
  // written run.finished, so a live run is never mistaken for an interrupted one.
  const held = isLockHeld(dir);
  const summary = readSummary(dir, id);
  if (!summary) return undefined;
  const status: ShownStatus = summary.status === 'running' && !held ? 'interrupted' : summary.status;
  return { dir, summary, status, durationMs: durationOf(summary, status, now) };
}

function durationOf(summary: RunSummary, status: ShownStatus, now: number): number {
  if (summary.duration_ms !== undefined) return summary.duration_ms;
  const end = status === 'running' ? now : Date.parse(summary.updated_at);
  return Math.max(0, end - Date.parse(summary.started_at));
}

export function runIds(stateDir: string): string[] {
  try {
    return readdirSync(runsDir(stateDir), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    return [];
  }
}

/** Every run, newest first. */
export function listRuns(stateDir: string): RunInfo[] {
  const runs = runIds(stateDir).flatMap((id) => loadRun(stateDir, id) ?? []);
  return runs.sort((a, b) => b.summary.started_at.localeCompare(a.summary.started_at) || b.summary.id.localeCompare(a.summary.id));
}

/** The run whose id is `prefix` or starts with it; none or several is a usage error that says which. */
export function findRun(stateDir: string, prefix: string): RunInfo {
  const ids = runIds(stateDir);
  const matches = ids.includes(prefix) ? [prefix] : ids.filter((id) => id.startsWith(prefix));
  if (matches.length > 1) {
    throw new UsageError('run.ambiguous', `Run id "${prefix}" matches ${matches.length} runs (${matches.sort().slice(0, 5).join(', ')}${matches.length > 5 ? ', ...' : ''}); give more of the id`);
  }
  const run = matches[0] === undefined ? undefined : loadRun(stateDir, matches[0]);
  if (!run) throw new UsageError('run.unknown', `No run "${prefix}" in ${stateDir}; \`arq runs\` lists the runs`);
  return run;
}
