/**
 * Running `arq schedule` as a service would run: a real process, its log read line by line as it
 * comes, stopped with a real signal; what it did is read back from the run history it recorded.
 */
import { expect, onTestFinished } from 'vitest';
import { startCli, type CliResult } from './cli.js';
import { listRuns } from '../../engine/store/history.js';
import type { RunSummary } from '../../engine/store/summary.js';

export interface SchedulerProcess {
  /** Every log line so far, without its timestamp. */
  lines(): string[];
  /** Resolves once `count` lines match (rejects if the scheduler ends first); returns them. */
  waitFor(pattern: RegExp, count?: number): Promise<string[]>;
  signal(signal: NodeJS.Signals): void;
  readonly done: Promise<CliResult>;
}

const withoutTime = (line: string) => line.replace(/^\d{4}-\d\d-\d\dT[\d:.]+Z /, '');

/** Starts `arq schedule ARGS...` in `cwd` (from inside a test: it is killed when the test ends). */
export function startScheduler(args: readonly string[], cwd: string): SchedulerProcess {
  const cli = startCli(['schedule', ...args], cwd);
  // A test that fails halfway leaves no scheduler (nor its runs) behind.
  onTestFinished(() => {
    if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
  });
  let text = '';
  const waiters: (() => void)[] = [];
  cli.child.stdout!.on('data', (chunk: Buffer | string) => {
    text += chunk.toString();
    for (const wake of waiters.splice(0)) wake();
  });
  const lines = () => text.split('\n').filter((l) => l.trim()).map(withoutTime);
  const waitFor = (pattern: RegExp, count = 1) =>
    new Promise<string[]>((resolve, reject) => {
      const check = () => {
        const found = lines().filter((l) => pattern.test(l));
        if (found.length >= count) return resolve(found);
        waiters.push(check);
      };
      check();
      void cli.done.then((end) => reject(new Error(`arq schedule ended (code ${end.code}) before ${count} lines matched ${pattern}:\n${text}\n${end.stderr}`)));
    });
  return { lines, waitFor, signal: (s) => cli.child.kill(s), done: cli.done };
}

/** Stops the scheduler with SIGTERM and expects the clean exit 0 with nothing on stderr. */
export async function stopScheduler(scheduler: SchedulerProcess): Promise<void> {
  scheduler.signal('SIGTERM');
  const end = await scheduler.done;
  expect(end.stderr).toBe('');
  expect(end.code).toBe(0);
}

/** The recorded runs of a workflow, in the order of their planned times. */
export function scheduledRuns(stateDir: string, workflow: string): RunSummary[] {
  const runs = listRuns(stateDir).map((r) => r.summary).filter((s) => s.workflow === workflow && s.trigger);
  return runs.sort((a, b) => a.trigger!.planned_at.localeCompare(b.trigger!.planned_at));
}

/** Asserts that no two runs overlap in time: each starts after the one before it finished. */
export function expectOneAtATime(runs: readonly RunSummary[]): void {
  const byStart = [...runs].sort((a, b) => a.started_at.localeCompare(b.started_at));
  for (let i = 1; i < byStart.length; i++) {
    expect(byStart[i - 1]!.finished_at, `run ${byStart[i - 1]!.id} has finished`).toBeDefined();
    expect(Date.parse(byStart[i]!.started_at)).toBeGreaterThanOrEqual(Date.parse(byStart[i - 1]!.finished_at!));
  }
}

/** Planned times as milliseconds. */
export const plannedTimes = (runs: readonly RunSummary[]) => runs.map((r) => Date.parse(r.trigger!.planned_at));
