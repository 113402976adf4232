/** Where runs live: the state directory, one folder per run, one log file per step. */
import { join, resolve } from 'node:path';

/**
 * The state directory: `--state-dir`, else `ARQ_HOME`, else `.arq/` in the current directory.
 *
 * @example
 * resolveStateDir(undefined, { ARQ_HOME: '/srv/arq' }); // '/srv/arq'
 */
export function resolveStateDir(option: string | undefined, env: Readonly<Record<string, string | undefined>> = process.env, cwd = process.cwd()): string {
  if (option) return resolve(cwd, option);
  if (env.ARQ_HOME) return resolve(cwd, env.ARQ_HOME);
  return join(cwd, '.arq');
}

export const runsDir = (stateDir: string) => join(stateDir, 'runs');
export const runDir = (stateDir: string, runId: string) => join(runsDir(stateDir), runId);

export const JOURNAL = 'journal.jsonl';
export const SUMMARY = 'run.json';
export const LOCK = 'lock';
export const LOGS = 'logs';
/** Files steps keep (screenshots, reports): StepContext.run.artifactsDir. */
export const ARTIFACTS = 'artifacts';

/**
 * A step's log file name. Step ids are letters, digits, `_` and `-`; a sub-workflow's steps are
 * `call/inner`. `.` can appear in neither, so `call.inner.log` is safe and maps back one to one.
 */
export function logFileName(step: string): string {
  return `${step.replaceAll('/', '.')}.log`;
}

export function stepOfLogFile(name: string): string {
  return name.replace(/\.log$/, '').replaceAll('.', '/');
}
