/** `arq logs RUN [STEP] [--follow]`: a step's log, or every step's in the order they started. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { closest } from '../check/closest.js';
import { UsageError } from '../errors.js';
import { findRun, type RunInfo } from '../store/history.js';
import { parseJournalLines, readJournal, type JournalEntry } from '../store/journal.js';
import { isLockHeld } from '../store/lock.js';
import { JOURNAL, LOGS, logFileName, resolveStateDir, stepOfLogFile } from '../store/paths.js';
import { readNewLines } from '../store/tail.js';
import { EXIT } from './exit.js';

export interface LogsCommandOptions {
  follow?: boolean;
  stateDir?: string;
}

/** Bounded: a followed run's lines show up within this, and an idle follower costs next to nothing. */
const POLL_MS = 100;

/** Step ids in the order they first started, then any log file the journal does not mention (it was cut short). */
function stepsOf(dir: string): string[] {
  const steps = new Set(startedSteps(readJournal(join(dir, JOURNAL)).entries));
  let files: string[] = [];
  try {
    files = readdirSync(join(dir, LOGS)).filter((f) => f.endsWith('.log')).sort();
  } catch {
    // no logs folder: no step printed anything
  }
  for (const file of files) steps.add(stepOfLogFile(file));
  return [...steps];
}

const startedSteps = (entries: readonly JournalEntry[]) => entries.flatMap((e) => (e.type === 'step.started' ? [e.step] : []));

function unknownStep(run: RunInfo, step: string, steps: readonly string[]): UsageError {
  const near = closest(step, steps);
  const hint = near ? `; did you mean "${near}"?` : steps.length ? `; its steps: ${steps.join(', ')}` : '; it has no steps yet';
  return new UsageError('step.unknown', `Run ${run.summary.id} has no step "${step}"${hint}`);
}

/** Prints the new lines of each step's log: bare for one step, prefixed by the step for several. */
function printNew(dir: string, steps: readonly string[], offsets: Map<string, number>, prefixed: boolean): void {
  for (const step of steps) {
    const { lines, offset } = readNewLines(join(dir, LOGS, logFileName(step)), offsets.get(step) ?? 0);
    offsets.set(step, offset);
    if (lines.length) process.stdout.write(lines.map((line) => `${prefixed ? `${step} | ` : ''}${line}\n`).join(''));
  }
}

/** Polls until the journal holds run.finished, or the runner is gone without writing it. */
async function follow(run: RunInfo, only: string | undefined): Promise<boolean> {
  const steps: string[] = only === undefined ? [] : [only];
  const offsets = new Map<string, number>();
  let journalOffset = 0;
  for (;;) {
    // Lock first: a runner that ends meanwhile has already written run.finished, which the read below sees.
    const held = isLockHeld(run.dir);
    const tail = readNewLines(join(run.dir, JOURNAL), journalOffset);
    journalOffset = tail.offset;
    const { entries } = parseJournalLines(tail.lines.map((l) => `${l}\n`).join(''));
    if (only === undefined) for (const step of startedSteps(entries)) if (!steps.includes(step)) steps.push(step);
    printNew(run.dir, steps, offsets, only === undefined);
    if (entries.some((e) => e.type === 'run.finished')) return true;
    if (!held) return false;
    await sleep(POLL_MS);
  }
}

export async function logsCommand(runArg: string, step: string | undefined, options: LogsCommandOptions): Promise<number> {
  const run = findRun(resolveStateDir(options.stateDir), runArg);
  const steps = stepsOf(run.dir);
  if (step !== undefined && !steps.includes(step)) {
    // A followed run may not have reached the step yet: only a finished run's step list is final.
    if (!options.follow || run.status !== 'running') throw unknownStep(run, step, steps);
  }
  if (!options.follow) {
    printNew(run.dir, step === undefined ? steps : [step], new Map(), step === undefined);
    return EXIT.ok;
  }
  if (!(await follow(run, step))) {
    process.stderr.write(`arq: run ${run.summary.id} was interrupted (its runner is gone); resume with: arq resume ${run.summary.id}\n`);
  }
  return EXIT.ok;
}
