/**
 * `arq schedule DIR...`: runs the workflows with `on.schedule` under the folders at their times,
 * until SIGTERM or SIGINT; then stops firing, gives running runs `--shutdown-grace` to end, cancels
 * the others cleanly and exits 0. A second signal cancels at once, a third kills. SIGHUP reloads
 * every file. `--list` / `--next N` print the coming firings instead (schedule-list.ts).
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { parseDuration } from '../model/duration.js';
import { cancelAllRuns } from '../schedule/child.js';
import { streamLog } from '../schedule/log.js';
import { Scheduler, type Hurry } from '../schedule/scheduler.js';
import { resolveStateDir } from '../store/paths.js';
import { EXIT } from './exit.js';

export interface ScheduleCommandOptions {
  list?: boolean;
  next?: number;
  from?: string;
  stateDir?: string;
  workdir?: string;
  secretsFile?: string;
  shutdownGrace: string;
}

/** Node's timers hold about 24 days at most. */
const MAX_GRACE_MS = 2 ** 31 - 1;

function graceOf(text: string): number {
  const ms = /^[0-9]+(\.[0-9]+)?(ms|s|m|h)$/.test(text) ? parseDuration(text) : undefined;
  if (ms === undefined || ms > MAX_GRACE_MS) throw new UsageError('schedule.grace', `--shutdown-grace expects a duration like 30s or 5m, at most 24 days; found "${text}"`);
  return ms;
}

interface Stop extends Hurry {
  /** The first SIGTERM/SIGINT. */
  readonly requested: Promise<NodeJS.Signals>;
}

/** SIGTERM/SIGINT: the first stops, the second cancels at once, the third kills; SIGHUP rescans. */
function listenForSignals(onHangUp: () => void): Stop {
  const waiters: ((signal: NodeJS.Signals) => void)[] = [];
  const promises = [0, 1, 2].map(() => new Promise<NodeJS.Signals>((resolve) => waiters.push(resolve)));
  let count = 0;
  const onSignal = (signal: NodeJS.Signals) => waiters[Math.min(count++, 2)]!(signal);
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  process.on('SIGHUP', onHangUp);
  return { requested: promises[0]!, cancelNow: promises[1]!, killNow: promises[2]! };
}

function workdirOf(option: string | undefined): string {
  const dir = resolve(option ?? process.cwd());
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError('workdir.missing', `Working directory ${dir} is not a directory`);
  return dir;
}

export async function scheduleCommand(paths: string[], options: ScheduleCommandOptions): Promise<number> {
  const folders = paths.length ? paths : ['.'];
  if (options.list || options.next !== undefined || options.from !== undefined) return (await import('./schedule-list.js')).listCommand(folders, options);
  const graceMs = graceOf(options.shutdownGrace);
  const scheduler = new Scheduler({
    paths: folders,
    stateDir: resolveStateDir(options.stateDir),
    workdir: workdirOf(options.workdir),
    secretsFile: options.secretsFile && resolve(options.secretsFile),
    cli: process.argv[1]!,
    log: streamLog(process.stdout),
  });
  // A scheduler that dies some other way still cancels its runs (they get a clean cancel).
  process.on('exit', cancelAllRuns);
  const stop = listenForSignals(() => scheduler.rescan());
  await scheduler.start();
  const signal = await stop.requested;
  await scheduler.shutdown(signal, graceMs, stop);
  return EXIT.ok;
}
