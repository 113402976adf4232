/** One log file per step (`logs/<step>.log`): its stdout, stderr and info lines, tagged by stream. */
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { RunEvent } from '../run/events.js';
import { logFileName } from './paths.js';

type LogEvent = Extract<RunEvent, { type: 'step.log' }>;

/** `stdout | text`, `stderr [2] | text` for item 2 of a foreach: each line says where it came from. */
export function formatLogLine(event: LogEvent): string {
  const item = event.item === undefined ? '' : ` [${event.item}]`;
  return event.line.split(/\r?\n/).map((line) => `${event.stream}${item} | ${line}\n`).join('');
}

/**
 * Log files opened on a step's first line and closed when the step finishes: a 1,000-step run
 * would otherwise hold 1,000 descriptors. Not fsynced: the journal carries what a resume needs.
 */
export class StepLogs {
  private readonly open = new Map<string, number>();

  constructor(private readonly dir: string) {}

  write(event: LogEvent): void {
    let fd = this.open.get(event.step);
    if (fd === undefined) {
      fd = openSync(join(this.dir, logFileName(event.step)), 'a');
      this.open.set(event.step, fd);
    }
    writeSync(fd, formatLogLine(event));
  }

  /** A foreach item finishing is not its step finishing: other items may still write. */
  finish(step: string): void {
    const fd = this.open.get(step);
    if (fd === undefined) return;
    closeSync(fd);
    this.open.delete(step);
  }

  closeAll(): void {
    for (const step of [...this.open.keys()]) this.finish(step);
  }
}
