/**
 * `arq schedule-check FILE...` (hidden): how `arq schedule` checks files without keeping the
 * checker in its own memory. One JSON line per file: the scheduled workflow, its problems, or
 * nothing but the file when it has no schedule.
 */
import { WorkflowError } from '../errors.js';
import type { Checked } from '../schedule/check-child.js';
import { loadScheduled } from '../schedule/load.js';
import { EXIT } from './exit.js';

async function checkOne(file: string): Promise<Checked> {
  try {
    const workflow = await loadScheduled(file);
    return workflow ? { file, workflow } : { file };
  } catch (error) {
    if (error instanceof WorkflowError) return { file, problems: error.problems };
    return { file, error: error instanceof Error ? error.message : String(error) };
  }
}

export async function scheduleCheckCommand(files: readonly string[]): Promise<number> {
  for (const file of files) process.stdout.write(`${JSON.stringify(await checkOne(file))}\n`);
  return EXIT.ok;
}
