/** The run's lock: a file holding the owner's pid, created exclusively, so two runners never write one run. */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ArqError } from '../errors.js';
import { LOCK } from './paths.js';

/**
 * Whether a process with this pid exists and runs (EPERM: it does, it is just someone else's). A
 * zombie is a runner that died: an init that never reaps it would otherwise keep the run "running".
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.charAt(stat.lastIndexOf(')') + 2) === 'Z';
  } catch {
    return false;
  }
}

/** The pid in a run's lock, if there is a readable one. */
export function lockOwner(dir: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(join(dir, LOCK), 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a live process holds the run: false when there is no lock or its owner is gone. */
export function isLockHeld(dir: string): boolean {
  const pid = lockOwner(dir);
  return pid !== undefined && isAlive(pid);
}

function createLock(path: string, pid: number): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  writeSync(fd, `${pid}\n`);
  closeSync(fd);
  return true;
}

/**
 * Takes the run's lock for `pid`. A lock whose owner is dead is stale and taken over; one whose
 * owner lives is an error naming it.
 */
export function acquireLock(dir: string, runId: string, pid = process.pid): void {
  const path = join(dir, LOCK);
  if (createLock(path, pid)) return;
  const owner = lockOwner(dir);
  if (owner !== undefined && isAlive(owner)) {
    throw new ArqError('run.locked', `Run ${runId} is in use by process ${owner}; wait for it to end or stop it`);
  }
  rmSync(path, { force: true });
  if (!createLock(path, pid)) throw new ArqError('run.locked', `Run ${runId} was just taken by another process`);
}

/** Gives the lock up, only if it is still ours. */
export function releaseLock(dir: string, pid = process.pid): void {
  if (lockOwner(dir) === pid) rmSync(join(dir, LOCK), { force: true });
}
