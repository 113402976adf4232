/**
 * The scheduler checks workflow files in a child process (`arq schedule-check FILE...`, one JSON
 * line per file on stdout). Checking loads the whole checker and leaves garbage behind; done in a
 * child, none of it stays in the scheduler, which idles with its schedules and nothing else.
 */
import { spawn } from 'node:child_process';
import type { Problem } from '../errors.js';
import type { ScheduledWorkflow } from './catalog.js';

/** What checking one file found: a scheduled workflow, no schedule (neither), problems, or an error. */
export interface Checked {
  readonly file: string;
  readonly workflow?: ScheduledWorkflow;
  readonly problems?: readonly Problem[];
  /** The file could not be checked at all (an internal error). */
  readonly error?: string;
}

function parseLines(stdout: string): Map<string, Checked> {
  const found = new Map<string, Checked>();
  for (const line of stdout.split('\n')) {
    if (!line.trim()) continue;
    const checked = JSON.parse(line) as Checked;
    found.set(checked.file, checked);
  }
  return found;
}

/**
 * Checks `files` (absolute) in `node CLI schedule-check`; every file gets a result, in order.
 *
 * @example
 * const [checked] = await checkInChild(process.argv[1], ['/srv/pipelines/nightly.yaml']);
 * checked.workflow?.schedules; // [{ entry: 1, cron: '0 3 * * *', ... }]
 */
export function checkInChild(cli: string, files: readonly string[]): Promise<Checked[]> {
  if (!files.length) return Promise.resolve([]);
  const child = spawn(process.execPath, [cli, 'schedule-check', ...files], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => {
    const finish = (why: string) => {
      let found = new Map<string, Checked>();
      try {
        found = parseLines(stdout);
      } catch {
        // a damaged answer: every file is reported with the reason below
      }
      resolve(files.map((file) => found.get(file) ?? { file, error: stderr.trim().split('\n')[0] || why }));
    };
    child.on('error', (error) => finish(error.message));
    child.on('close', (code, signal) => finish(signal ? `the checker was killed by ${signal}` : `the checker ended with exit code ${code}`));
  });
}
