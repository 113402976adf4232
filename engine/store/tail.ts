/** Reading what was appended to a file since last time, whole lines only: a line still being written waits for the next read. */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export interface Tail {
  readonly lines: string[];
  /** The byte offset to read from next time. */
  readonly offset: number;
}

/** The complete lines after byte `offset`; a missing file has none yet. */
export function readNewLines(path: string, offset: number): Tail {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return { lines: [], offset };
  }
  try {
    const size = fstatSync(fd).size;
    if (size <= offset) return { lines: [], offset };
    const buffer = Buffer.alloc(size - offset);
    const read = readSync(fd, buffer, 0, buffer.length, offset);
    const end = buffer.subarray(0, read).lastIndexOf(0x0a) + 1;
    const lines = end ? buffer.toString('utf8', 0, end - 1).split('\n') : [];
    return { lines, offset: offset + end };
  } finally {
    closeSync(fd);
  }
}
