/** Looking for processes by a marker in their command line, the way a user would with `ps`. */
import { readdirSync, readFileSync } from 'node:fs';

let counter = 0;

/**
 * A number no other test (file, worker or run) uses, written as a sleep duration: `sleep MARKER`
 * sleeps for about 100 s and is easy to find in /proc.
 */
export function uniqueSleep(): string {
  counter += 1;
  return `100.${process.pid}${String(counter).padStart(3, '0')}${Math.floor(Math.random() * 1000)}`;
}

function readProc(pid: string, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'latin1');
  } catch {
    return undefined;
  }
}

/** Pids of live processes whose command line contains `marker`; zombies (state Z or X) are dead. */
export function liveProcesses(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const cmdline = readProc(entry, 'cmdline');
    if (!cmdline || !cmdline.split('\0').join(' ').includes(marker)) continue;
    const stat = readProc(entry, 'stat');
    const state = stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
    if (stat && state !== 'Z' && state !== 'X') pids.push(Number(entry));
  }
  return pids;
}

/** Kills what a failed test left behind, so one failure does not leave 100-second sleeps around. */
export function killLeftovers(marker: string): void {
  for (const pid of liveProcesses(marker)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** A live process's parent, process group and command line (arguments joined by spaces); undefined once it is gone or a zombie. */
export function processInfo(pid: number): { ppid: number; pgrp: number; cmdline: string } | undefined {
  const stat = readProc(String(pid), 'stat');
  const cmdline = readProc(String(pid), 'cmdline');
  if (!stat || cmdline === undefined) return undefined;
  const [state, ppid, pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (state === 'Z' || state === 'X') return undefined;
  return { ppid: Number(ppid), pgrp: Number(pgrp), cmdline: cmdline.split('\0').join(' ').trim() };
}

/** Pids of the live members of a process group. */
export function groupMembers(pgid: number): number[] {
  return readdirSync('/proc').filter((e) => /^\d+$/.test(e)).map(Number).filter((pid) => processInfo(pid)?.pgrp === pgid);
}
