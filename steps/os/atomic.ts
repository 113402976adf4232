/**
 * Writing a file whole or not at all: a reader (nginx, a later step, `process.stop`) never sees
 * half of it. The text goes to a temporary file next to it, renamed over it.
 *
 * @example
 * await writeAtomic('.arq/services/api.pid', '4242\n');
 */
import { rename, writeFile } from 'node:fs/promises';

export async function writeAtomic(path: string, text: string): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, text);
  await rename(temp, path);
}
