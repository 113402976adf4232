/**
 * The run's lock: a file holding the owner's pid and the time it started, created atomically, so
 * that two runners never write one run. The start time tells a live owner from a new process that
 * happens to have the dead owner's pid (pids are reused, after a reboot especially).
 */
import { linkSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArqError } from '../errors.js';
import { LOCK } from './paths.js';

interface Owner {
  readonly pid: number;
  /** Clock ticks after boot when the process started (/proc/PID/stat field 22); absent elsewhere. */
  readonly start?: string;
}

function procStat(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** When a process started, if the system says (Linux). */
function startOf(pid: number): string | undefined {
  return procStat(pid)?.[19];
}

/**
 * Whether a process with this pid exists and runs (EPERM: it does, it is just someone else's), and
 * is the one that started at `start`. A zombie is a runner that died: an init that never reaps it
 * would otherwise keep the run "running".
 */
export function isAlive(pid: number, start?: string): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = procStat(pid);
  if (!stat) return true;
  return stat[0] !== 'Z' && (start === undefined || stat[19] === start);
}

function readOwner(path: string): Owner | undefined {
  try {
    const [pid, start] = readFileSync(path, 'utf8').trim().split(' ');
    const n = Number.parseInt(pid ?? '', 10);
    return Number.isInteger(n) && n > 0 ? { pid: n, start } : undefined;
  } catch {
    return undefined;
  }
}

/** The pid in a run's lock, if there is a readable one. */
export function lockOwner(dir: string): number | undefined {
  return readOwner(join(dir, LOCK))?.pid;
}

/** Whether a live process holds the run: false when there is no lock or its owner is gone. */
export function isLockHeld(dir: string): boolean {
  const owner = readOwner(join(dir, LOCK));
  return owner !== undefined && isAlive(owner.pid, owner.start);
}

/** Writes the owner to a file of its own first: a lock is never seen half-written. */
function ownerFile(path: string, pid: number): string {
  const temp = `${path}.${pid}.tmp`;
  writeFileSync(temp, `${pid} ${startOf(pid) ?? ''}`.trim() + '\n');
  return temp;
}

/** Creates `path` holding the owner, atomically; false when it exists already. */
function createOwned(path: string, pid: number): boolean {
  const temp = ownerFile(path, pid);
  try {
    linkSync(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    rmSync(temp, { force: true });
  }
}

function heldBy(path: string): Owner | undefined {
  const owner = readOwner(path);
  return owner && isAlive(owner.pid, owner.start) ? owner : undefined;
}

/**
 * Takes the run's lock for `pid`. A lock whose owner is dead is stale and taken over, by one
 * process only: the takeover itself is claimed with a second lock file created the same way.
 */
export function acquireLock(dir: string, runId: string, pid = process.pid): void {
  const path = join(dir, LOCK);
  if (createOwned(path, pid)) return;
  const owner = heldBy(path);
  if (owner) throw new ArqError('run.locked', `Run ${runId} is in use by process ${owner.pid}; wait for it to end or stop it`);
  const takeover = `${path}.takeover`;
  if (!heldBy(takeover)) rmSync(takeover, { force: true });
  if (!createOwned(takeover, pid)) throw new ArqError('run.locked', `Run ${runId} is being taken over by another process`);
  try {
    if (heldBy(path)) throw new ArqError('run.locked', `Run ${runId} was just taken by another process`);
    renameSync(ownerFile(path, pid), path);
  } finally {
    rmSync(takeover, { force: true });
  }
}

/** Gives the lock up, only if it is still ours. */
export function releaseLock(dir: string, pid = process.pid): void {
  if (lockOwner(dir) === pid) rmSync(join(dir, LOCK), { force: true });
}
