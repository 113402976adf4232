/** The scheduler's log: one line per event, with the time, on stdout (journald or a file keeps it). */

/** Writes one event line. */
export type Log = (line: string) => void;

/**
 * A log writing `2026-03-29T01:00:00.012Z message` lines.
 *
 * @example
 * const log = streamLog(process.stdout);
 * log('nightly #1: skipped 2026-03-29T03:00:00+02:00: run 20260329-010000-4be1a0 is still running (overlap: skip)');
 */
export function streamLog(stream: NodeJS.WritableStream): Log {
  return (line) => {
    stream.write(`${new Date().toISOString()} ${line}\n`);
  };
}
