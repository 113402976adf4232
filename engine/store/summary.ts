/** run.json: a run's summary, folded from its journal and written atomically (temp file + rename). */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { RunTrigger } from '../model/schedule.js';
import type { RunStatus } from '../run/events.js';
import type { StepStatus } from '../run/scope.js';
import { readJournal, type JournalEntry } from './journal.js';
import { JOURNAL, SUMMARY } from './paths.js';

/** What run.json says; `running` until the runner writes the end (readers turn a dead runner's run into `interrupted`). */
export type StoredStatus = RunStatus | 'running';

export interface StepSummary {
  status: StepStatus | 'running';
  attempts: number;
  started_at?: string;
  finished_at?: string;
  duration_ms?: number;
  error?: string;
}

export interface RunSummary {
  id: string;
  workflow: string;
  file: string;
  hash: string;
  status: StoredStatus;
  started_at: string;
  finished_at?: string;
  /** The time of the last event: how far an interrupted run got. */
  updated_at: string;
  duration_ms?: number;
  pid: number;
  hostname: string;
  error?: string;
  outputs?: unknown;
  /** The schedule entry and planned time that started the run; absent for a run started by hand. */
  trigger?: RunTrigger;
  /** Keyed by step id, `id[index]` for a foreach item, `call/inner` for a sub-workflow's step. */
  steps: Record<string, StepSummary>;
}

const iso = (time: number) => new Date(time).toISOString();
/** `deploy`, `fe[2]`, `call/inner[0.1]`: one entry per step and foreach item, however nested. */
const stepKey = (event: { step: string; item?: number; items?: readonly number[] }) => {
  const path = event.items ?? (event.item === undefined ? [] : [event.item]);
  return path.length ? `${event.step}[${path.join('.')}]` : event.step;
};

/** Brings a summary up to date with one journal entry. */
export function applyEntry(summary: RunSummary, entry: JournalEntry): void {
  summary.updated_at = iso(entry.time);
  switch (entry.type) {
    case 'run.started':
      Object.assign(summary, { id: entry.run, workflow: entry.workflow, file: entry.file, hash: entry.hash, pid: entry.pid, hostname: entry.hostname, status: 'running' });
      // A resumed run keeps the time it first started at, and what started it.
      if (!entry.resumed) summary.started_at = iso(entry.time);
      if (entry.trigger) summary.trigger = entry.trigger;
      return;
    case 'step.started':
      summary.steps[stepKey(entry)] = { status: 'running', attempts: entry.attempt, started_at: iso(entry.time) };
      return;
    case 'step.retrying':
      Object.assign(summary.steps[stepKey(entry)] ?? {}, { attempts: entry.attempt, error: entry.error });
      return;
    case 'step.finished':
      summary.steps[stepKey(entry)] = { ...summary.steps[stepKey(entry)], status: entry.status, attempts: entry.attempts, finished_at: iso(entry.time), duration_ms: entry.duration_ms, error: entry.error };
      return;
    case 'run.finished':
      Object.assign(summary, { status: entry.status, finished_at: iso(entry.time), duration_ms: entry.duration_ms, error: entry.error, outputs: entry.outputs });
  }
}

/** A summary before any event: what the runner knows when it creates the run's folder. */
export function emptySummary(id: string, fields: Partial<RunSummary> = {}): RunSummary {
  const now = new Date().toISOString();
  return { id, workflow: '', file: '', hash: '', status: 'running', started_at: now, updated_at: now, pid: 0, hostname: '', steps: {}, ...fields };
}

/** The summary a journal tells: used when run.json is missing, damaged, or older than the journal. */
export function foldJournal(id: string, entries: readonly JournalEntry[]): RunSummary {
  const summary = emptySummary(id);
  for (const entry of entries) applyEntry(summary, entry);
  return summary;
}

/** Writes run.json so that a reader sees the old summary or the new one, never half of one. */
export function writeSummary(dir: string, summary: RunSummary): void {
  const temp = join(dir, `${SUMMARY}.${process.pid}.tmp`);
  const fd = openSync(temp, 'w');
  try {
    writeSync(fd, `${JSON.stringify(summary, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, join(dir, SUMMARY));
  syncDir(dir);
}

/** The rename itself is durable only once the folder is synced (best effort: not every OS allows it). */
function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    fsyncSync(fd);
    closeSync(fd);
  } catch {
    // a folder that cannot be fsynced: the rename is still atomic, only its durability is weaker
  }
}

function readSummaryFile(dir: string): RunSummary | undefined {
  try {
    const value: unknown = JSON.parse(readFileSync(join(dir, SUMMARY), 'utf8'));
    return typeof value === 'object' && value !== null && typeof (value as RunSummary).status === 'string' ? (value as RunSummary) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A run's summary. run.json is trusted once it says the run ended; while it says `running` the
 * journal is newer (it is written first), so the summary is rebuilt from it.
 */
export function readSummary(dir: string, id: string): RunSummary | undefined {
  const stored = readSummaryFile(dir);
  if (stored && stored.status !== 'running') return stored;
  const { entries } = readJournal(join(dir, JOURNAL));
  if (!entries.length) return stored;
  return foldJournal(id, entries);
}
