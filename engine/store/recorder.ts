/** Writes a run to its folder as it goes: the journal, run.json, the step logs and the lock. */
import { mkdirSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { RunTrigger } from '../model/schedule.js';
import type { RunEvent } from '../run/events.js';
import { JournalWriter, type JournalEntry, type RunOrigin } from './journal.js';
import { acquireLock, releaseLock } from './lock.js';
import { JOURNAL, LOGS, runDir } from './paths.js';
import { StepLogs } from './step-logs.js';
import { applyEntry, emptySummary, writeSummary, type RunSummary } from './summary.js';

export interface RecorderOptions {
  readonly stateDir: string;
  readonly runId: string;
  readonly workflow: string;
  /** The workflow file (absolute) and the sha256 of its text. */
  readonly file: string;
  readonly hash: string;
  readonly workdir: string;
  /** What started the run, for a scheduled one. */
  readonly trigger?: RunTrigger;
  /** Told once when writing fails: the run goes on without its record rather than die halfway. */
  readonly onError?: (error: unknown) => void;
}

/**
 * The recording of one run.
 *
 * @example
 * const recorder = RunRecorder.create({ stateDir: '.arq', runId, workflow: 'hello', file, hash, workdir });
 * await runWorkflow(workflow, { runId, onEvent: (e) => recorder.record(e) });
 * recorder.close();
 */
export class RunRecorder {
  private readonly journal: JournalWriter;
  private readonly logs: StepLogs;
  private readonly summary: RunSummary;
  private readonly origin: RunOrigin;
  private failed = false;
  /** Whether the run got as far as starting (a run refused before its first event leaves nothing behind). */
  started = false;

  private constructor(readonly dir: string, private readonly options: RecorderOptions, earlier: readonly JournalEntry[] = []) {
    this.origin = { version: 1, file: options.file, hash: options.hash, workdir: options.workdir, pid: process.pid, hostname: hostname(), trigger: options.trigger };
    this.summary = emptySummary(options.runId, { workflow: options.workflow, file: options.file, hash: options.hash, pid: process.pid, hostname: this.origin.hostname });
    for (const entry of earlier) applyEntry(this.summary, entry);
    this.journal = new JournalWriter(join(dir, JOURNAL));
    this.logs = new StepLogs(join(dir, LOGS));
  }

  /** Creates the run's folder and takes its lock before anything runs. */
  static create(options: RecorderOptions): RunRecorder {
    const dir = runDir(options.stateDir, options.runId);
    mkdirSync(join(dir, LOGS), { recursive: true });
    acquireLock(dir, options.runId);
    return new RunRecorder(dir, options);
  }

  /**
   * Reopens an interrupted run's folder to go on writing it (arq resume): the lock of a dead runner
   * is taken over, the journal is appended to, the summary continues from the journal's entries.
   */
  static resume(options: RecorderOptions, earlier: readonly JournalEntry[]): RunRecorder {
    const dir = runDir(options.stateDir, options.runId);
    mkdirSync(join(dir, LOGS), { recursive: true });
    acquireLock(dir, options.runId);
    return new RunRecorder(dir, options, earlier);
  }

  record(event: RunEvent): void {
    if (this.failed) return;
    try {
      this.write(event);
    } catch (error) {
      this.failed = true;
      this.options.onError?.(error);
    }
  }

  private write(event: RunEvent): void {
    if (event.type === 'step.log') return this.logs.write(event);
    const entry: JournalEntry = event.type === 'run.started' ? { ...event, ...this.origin } : event;
    this.journal.append(entry);
    applyEntry(this.summary, entry);
    if (event.type === 'step.finished' && event.item === undefined) this.logs.finish(event.step);
    if (event.type === 'run.started') this.started = true;
    if (event.type === 'run.started' || event.type === 'run.finished') writeSummary(this.dir, this.summary);
  }

  /** Closes the files and gives the lock up; a run without `run.finished` is then read as interrupted. */
  close(): void {
    this.logs.closeAll();
    this.journal.close();
    releaseLock(this.dir);
  }

  /** Removes the folder of a run that never started (bad input, a missing secret). */
  discard(): void {
    this.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
