import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock, isAlive, isLockHeld, lockOwner, releaseLock } from '../../../engine/store/lock.js';
import { tempDir } from '../../helpers/workflow.js';

const root = tempDir('arq-lock-');
let count = 0;
const runFolder = () => {
  const dir = join(root, `run-${++count}`);
  mkdirSync(dir);
  return dir;
};

/** The pid of a process that has exited: `true`, waited for. */
function deadPid(): number {
  const child = spawnSync('true');
  expect(child.status).toBe(0);
  return child.pid!;
}

describe('the run lock', () => {
  it('holds the owner pid and is released by its owner', () => {
    const dir = runFolder();
    acquireLock(dir, 'r1');
    const start = readFileSync(`/proc/${process.pid}/stat`, 'latin1').split(') ')[1]!.split(' ')[19];
    expect(readFileSync(join(dir, 'lock'), 'utf8')).toBe(`${process.pid} ${start}\n`);
    expect(isLockHeld(dir)).toBe(true);
    releaseLock(dir);
    expect(lockOwner(dir)).toBeUndefined();
    expect(isLockHeld(dir)).toBe(false);
  });

  it('refuses a second owner while the first is alive', () => {
    const dir = runFolder();
    acquireLock(dir, 'r1');
    expect(() => acquireLock(dir, 'r1', 12345)).toThrow(`Run r1 is in use by process ${process.pid}; wait for it to end or stop it`);
    expect(lockOwner(dir)).toBe(process.pid);
  });

  it('sees a lock whose owner died as not held, and lets a new owner take it over', () => {
    const dir = runFolder();
    const dead = deadPid();
    expect(isAlive(dead)).toBe(false);
    writeFileSync(join(dir, 'lock'), `${dead}\n`);
    expect(isLockHeld(dir)).toBe(false);
    acquireLock(dir, 'r1');
    expect(lockOwner(dir)).toBe(process.pid);
  });

  it('does not remove a lock another process holds', () => {
    const dir = runFolder();
    writeFileSync(join(dir, 'lock'), `${process.ppid}\n`);
    releaseLock(dir);
    expect(lockOwner(dir)).toBe(process.ppid);
  });

  it('sees a lock whose pid now belongs to another process (a reused pid) as not held', () => {
    const dir = runFolder();
    writeFileSync(join(dir, 'lock'), `${process.pid} 1\n`);
    expect(isLockHeld(dir)).toBe(false);
    acquireLock(dir, 'r-reused');
    expect(isLockHeld(dir)).toBe(true);
    releaseLock(dir);
  });

  it('lets only one of two takeovers of a stale lock win', () => {
    const dir = runFolder();
    writeFileSync(join(dir, 'lock'), `${deadPid()}\n`);
    writeFileSync(join(dir, 'lock.takeover'), `${process.pid}\n`);
    expect(() => acquireLock(dir, 'r-race', 999_999)).toThrow('Run r-race is being taken over by another process');
  });

  it('treats a damaged lock file as not held', () => {
    const dir = runFolder();
    writeFileSync(join(dir, 'lock'), 'garbage');
    expect(isLockHeld(dir)).toBe(false);
  });
});
