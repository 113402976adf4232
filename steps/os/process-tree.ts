/**
 * Killing whole process trees.
 *
 * A step's command runs as the leader of its own process group (spawned `detached`), so one
 * signal to `-pgid` reaches every descendant that did not leave the group. Killing only the
 * direct child is not enough: backgrounded grandchildren survive it and keep its pipes open.
 * On Windows there are no process groups; `taskkill /T` walks the tree from the pid instead.
 *
 * @example
 * trackGroup(child.pid);
 * await killTree(child.pid, { graceMs: 5000 }); // SIGTERM, then SIGKILL after 5 s
 * untrackGroup(child.pid);
 */
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';

/** Options of {@link killTree}. */
export interface KillTreeOptions {
  /** How long the group may handle SIGTERM before it gets SIGKILL, in milliseconds. */
  readonly graceMs: number;
  /** The first signal (SIGTERM unless a service wants another, e.g. SIGINT or SIGQUIT). */
  readonly signal?: NodeJS.Signals;
}

/** How a tree ended: it was already gone, the first signal was enough, or it took SIGKILL. */
export type KillOutcome = 'gone' | 'terminated' | 'killed';

const POLL_MS = 25;
// SIGKILL cannot be caught, but a process stuck in uninterruptible I/O dies only when the
// I/O ends; waiting for it forever would hang the engine, so the last wait is bounded too.
const AFTER_KILL_WAIT_MS = 5000;

const tracked = new Set<number>();

/** Registers a live process group so {@link killAllTrackedSync} can reach it at exit. */
export function trackGroup(pgid: number): void {
  tracked.add(pgid);
}

/** Forgets a process group whose members are all gone. */
export function untrackGroup(pgid: number): void {
  tracked.delete(pgid);
}

/** The process groups registered and not yet forgotten. */
export function trackedGroups(): number[] {
  return [...tracked];
}

/**
 * Whether any member of the group is still alive. Zombies count as gone: they run nothing,
 * and an init that never reaps them would otherwise keep the group "alive" forever.
 */
export function groupAlive(pgid: number): boolean {
  if (process.platform === 'win32') return signalProcess(pgid, 0);
  // The common case (everyone exited and was reaped) costs one syscall, not a /proc scan.
  if (!signalGroup(pgid, 0)) return false;
  if (process.platform !== 'linux') return true;
  return hasLiveMember(pgid);
}

/**
 * Stops every process of the group: SIGTERM, up to `graceMs` for it to exit, then SIGKILL.
 * Resolves when no member is left alive (or a bounded wait after SIGKILL ran out); never
 * rejects because the group is already gone.
 */
export async function killTree(pgid: number, { graceMs, signal = 'SIGTERM' }: KillTreeOptions): Promise<KillOutcome> {
  if (process.platform === 'win32') return killTreeWindows(pgid);
  if (!groupAlive(pgid)) return 'gone';
  // Children that left the group (setsid) are found while the leader still links to them.
  const escaped = process.platform === 'linux' ? escapedDescendants(pgid) : [];
  const signalAll = (signal: NodeJS.Signals) => {
    signalGroup(pgid, signal);
    for (const pid of escaped) signalProcess(pid, signal);
  };
  const gone = () => !groupAlive(pgid) && !escaped.some(processAlive);
  signalAll(signal);
  // A stopped process (Ctrl-Z, SIGSTOP) only acts on SIGTERM once it runs again.
  signalAll('SIGCONT');
  if (await waitUntil(gone, graceMs)) return 'terminated';
  signalAll('SIGKILL');
  await waitUntil(gone, AFTER_KILL_WAIT_MS);
  return 'killed';
}

/**
 * Stops a process that does not lead a process group (a pid file written by another tool) and
 * every descendant it has: first signal, up to `graceMs`, then SIGKILL. Linux walks /proc parent
 * links; elsewhere only the process itself is reached.
 */
export async function killProcessTree(pid: number, { graceMs, signal = 'SIGTERM' }: KillTreeOptions): Promise<KillOutcome> {
  if (process.platform === 'win32') return killTreeWindows(pid);
  if (!processAlive(pid)) return 'gone';
  const members = [pid, ...(process.platform === 'linux' ? descendants(pid) : [])];
  const gone = () => !members.some(processAlive);
  for (const member of members) signalProcess(member, signal);
  for (const member of members) signalProcess(member, 'SIGCONT');
  if (await waitUntil(gone, graceMs)) return 'terminated';
  for (const member of members) signalProcess(member, 'SIGKILL');
  await waitUntil(gone, AFTER_KILL_WAIT_MS);
  return 'killed';
}

/** A process that exists and is not a zombie (on Windows: one that exists). */
export function processAlive(pid: number): boolean {
  if (process.platform !== 'linux') return signalProcess(pid, 0);
  if (!signalProcess(pid, 0)) return false;
  const stat = readStat(String(pid));
  return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X';
}

/**
 * Descendants of the group's leader that are in another process group (a `setsid` or a shell's
 * job control moved them): signalling the group would miss them. Found through /proc parent links.
 */
export function escapedDescendants(leader: number): number[] {
  return walkDescendants(leader).filter((child) => child.pgrp !== leader).map((child) => child.pid);
}

/** Every live descendant of `pid`, found through /proc parent links (Linux). */
export function descendants(pid: number): number[] {
  return walkDescendants(pid).map((child) => child.pid);
}

function walkDescendants(root: number): { pid: number; pgrp: number }[] {
  const children = new Map<number, { pid: number; pgrp: number }[]>();
  for (const entry of procEntries()) {
    const stat = readStat(entry);
    if (!stat || stat.state === 'Z') continue;
    const siblings = children.get(stat.ppid) ?? [];
    siblings.push({ pid: Number(entry), pgrp: stat.pgrp });
    children.set(stat.ppid, siblings);
  }
  const found: { pid: number; pgrp: number }[] = [];
  const queue = [root];
  for (let i = 0; i < queue.length && i < 100_000; i++) {
    for (const child of children.get(queue[i]!) ?? []) {
      queue.push(child.pid);
      found.push(child);
    }
  }
  return found;
}

function procEntries(): string[] {
  try {
    return readdirSync('/proc').filter((entry) => entry.charCodeAt(0) >= 48 && entry.charCodeAt(0) <= 57);
  } catch {
    return [];
  }
}

/**
 * Signals every tracked group at once, synchronously: the only kind of work Node still runs
 * in a `process.on('exit')` handler.
 */
export function killAllTrackedSync(signal: NodeJS.Signals = 'SIGKILL'): void {
  for (const pgid of tracked) {
    if (process.platform === 'win32') {
      spawnSync('taskkill', ['/T', '/F', '/PID', String(pgid)], { stdio: 'ignore', windowsHide: true });
    } else {
      signalGroup(pgid, signal);
    }
  }
  tracked.clear();
}

/** Polls until the group is gone or `timeoutMs` ran out; tells which happened. */
function waitUntilGone(pgid: number, timeoutMs: number): Promise<boolean> {
  return waitUntil(() => !groupAlive(pgid), timeoutMs);
}

async function waitUntil(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (done()) return true;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    await delay(Math.min(POLL_MS, left));
  }
}

/** Sends a signal to a whole group; false when the group no longer exists. */
function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  // kill(0) and kill(-1) would signal our own group or every process we may signal.
  if (!Number.isInteger(pgid) || pgid <= 1) return false;
  return signalProcess(-pgid, signal);
}

// A frozen Error (a hardened runtime) keeps its limit: assigning it would throw in strict code.
const STACK_LIMIT_WRITABLE = Object.getOwnPropertyDescriptor(Error, 'stackTraceLimit')?.writable === true;

function signalProcess(pid: number, signal: NodeJS.Signals | 0): boolean {
  // A gone process is the common answer (every shell step probes its group once its command
  // exits), and the error Node throws for it spends ~25 us on a stack trace nobody reads.
  const stackTraceLimit = Error.stackTraceLimit;
  if (STACK_LIMIT_WRITABLE) Error.stackTraceLimit = 0;
  try {
    process.kill(pid, signal);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else, so it is still alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  } finally {
    if (STACK_LIMIT_WRITABLE) Error.stackTraceLimit = stackTraceLimit;
  }
}

/** Scans /proc for a member of the group that is not a zombie. */
function hasLiveMember(pgid: number): boolean {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return true; // No /proc to tell zombies apart: trust kill(-pgid, 0), which found the group.
  }
  for (const entry of entries) {
    const code = entry.charCodeAt(0);
    if (code < 48 || code > 57) continue;
    const stat = readStat(entry);
    if (stat && stat.pgrp === pgid && stat.state !== 'Z' && stat.state !== 'X') return true;
  }
  return false;
}

/** Reads state, parent, process group and start time (clock ticks after boot) from /proc/PID/stat; undefined if the process just exited. */
export function readStat(pid: string): { state: string; ppid: number; pgrp: number; starttime: number; rssPages: number; cpuTicks: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
  // The command name (field 2) may contain spaces and parentheses: fields restart after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // Fields from `state` (3) on: utime 14, stime 15, starttime 22, rss 24 (man 5 proc).
  return { state: fields[0] ?? '', ppid: Number(fields[1]), pgrp: Number(fields[2]), cpuTicks: Number(fields[11]) + Number(fields[12]), starttime: Number(fields[19]), rssPages: Number(fields[21]) };
}

/** Windows has no process groups: taskkill walks the tree from the pid, forcibly. */
async function killTreeWindows(pid: number): Promise<KillOutcome> {
  if (!signalProcess(pid, 0)) return 'gone';
  const killer = spawn('taskkill', ['/T', '/F', '/PID', String(pid)], { stdio: 'ignore', windowsHide: true });
  await new Promise<void>((resolve) => {
    killer.once('error', () => resolve());
    killer.once('close', () => resolve());
  });
  await waitUntilGone(pid, AFTER_KILL_WAIT_MS);
  return 'killed';
}

/**
 * Live processes (zombies aside) whose command line contains `marker`: how a process that left
 * every group and lost its parent (a browser's crash handler) is still found, by a path that
 * only its run gave it. Linux only (/proc); elsewhere none are found.
 *
 * @example
 * await killProcesses(processesWithArg(profileDir), { graceMs: 1000 });
 */
export function processesWithArg(marker: string): number[] {
  const found: number[] = [];
  for (const entry of procEntries()) {
    if (Number(entry) === process.pid) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'latin1');
    } catch {
      continue;
    }
    if (cmdline.includes(marker) && processAlive(Number(entry))) found.push(Number(entry));
  }
  return found;
}

/** Stops single processes the way {@link killTree} stops a group: SIGTERM, then SIGKILL after `graceMs`. */
export async function killProcesses(pids: readonly number[], { graceMs }: KillTreeOptions): Promise<void> {
  const gone = () => !pids.some(processAlive);
  if (gone()) return;
  for (const pid of pids) signalProcess(pid, 'SIGTERM');
  if (await waitUntil(gone, graceMs)) return;
  for (const pid of pids) signalProcess(pid, 'SIGKILL');
  await waitUntil(gone, AFTER_KILL_WAIT_MS);
}
