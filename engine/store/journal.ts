/**
 * The journal: one JSON line per run event (step logs aside, they go to the step's log file),
 * appended as it happens (fsynced right after, in the background), so that a crash loses at most
 * the line being written.
 */
import { closeSync, fstatSync, fsync, fsyncSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import type { RunTrigger } from '../model/schedule.js';
import type { RunEvent } from '../run/events.js';

/** Where a run came from: enough for a later `arq resume` to refuse a changed workflow file. */
export interface RunOrigin {
  /** The journal format, bumped when a reader must tell old journals from new ones. */
  readonly version: 1;
  /** The workflow file, absolute. */
  readonly file: string;
  /** sha256 of the workflow file's text, hex. */
  readonly hash: string;
  readonly workdir: string;
  readonly pid: number;
  readonly hostname: string;
  /** What started the run when it was not a person: a schedule entry (`arq schedule`). */
  readonly trigger?: RunTrigger;
}

export type RunStartedEntry = Extract<RunEvent, { type: 'run.started' }> & RunOrigin;
export type JournalEntry = RunStartedEntry | Exclude<RunEvent, { type: 'run.started' | 'step.log' }>;

/**
 * Appends entries to a journal opened once. Each entry is a step boundary: it is written at once
 * (a killed runner loses nothing: the line is in the OS's cache) and fsynced in the background, so
 * that steps do not wait for the disk. fsyncs coalesce: while one runs, the next waits for it, and
 * covers every line written meanwhile. Closing syncs whatever is left before it returns.
 */
export class JournalWriter {
  private readonly fd: number;
  private syncing = false;
  private dirty = false;
  private closed = false;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'a+');
    // A crash may have left half a line: start on a fresh line so the next entry stays readable.
    if (!endsWithNewline(this.fd)) writeSync(this.fd, '\n');
  }

  append(entry: JournalEntry): void {
    writeSync(this.fd, `${JSON.stringify(entry)}\n`);
    this.sync();
  }

  private sync(): void {
    if (this.syncing) {
      this.dirty = true;
      return;
    }
    this.syncing = true;
    fsync(this.fd, () => {
      this.syncing = false;
      if (this.dirty && !this.closed) {
        this.dirty = false;
        this.sync();
      }
    });
  }

  close(): void {
    this.closed = true;
    fsyncSync(this.fd);
    closeSync(this.fd);
  }
}

function endsWithNewline(fd: number): boolean {
  const size = fstatSync(fd).size;
  if (size === 0) return true;
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  return last[0] === 0x0a;
}

export interface JournalRead {
  readonly entries: JournalEntry[];
  /** Lines that could not be read: the half-written last line of a crash, or damage. */
  readonly skipped: number;
}

/** Reads a journal; a missing file is an empty journal, an unreadable line is skipped, never fatal. */
export function readJournal(path: string): JournalRead {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { entries: [], skipped: 0 };
  }
  return parseJournalLines(text);
}

/** Parses journal text; text after the last newline is a line still (or forever) being written. */
export function parseJournalLines(text: string): JournalRead {
  const lines = text.split('\n');
  const tail = lines.pop() ?? '';
  const entries: JournalEntry[] = [];
  let skipped = tail.length > 0 ? 1 : 0;
  for (const line of lines) {
    if (!line.trim()) continue;
    const entry = parseEntry(line);
    if (entry) entries.push(entry);
    else skipped += 1;
  }
  return { entries, skipped };
}

function parseEntry(line: string): JournalEntry | undefined {
  try {
    const value: unknown = JSON.parse(line);
    const ok = typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
    return ok ? (value as JournalEntry) : undefined;
  } catch {
    return undefined;
  }
}
