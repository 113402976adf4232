import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { escapedDescendants, groupAlive, killAllTrackedSync, killProcesses, killTree, processesWithArg, trackGroup, trackedGroups } from '../../../steps/os/process-tree.js';

/** Starts `sh -c script` as the leader of its own process group; resolves once it printed "ready". */
async function startGroup(script: string): Promise<{ child: ChildProcess; pgid: number }> {
  const child = spawn('sh', ['-c', script], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
  started.push(child.pid!);
  const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
  expect(chunk.toString()).toBe('ready\n');
  return { child, pgid: child.pid! };
}

const started: number[] = [];

// A failed test must not leave its sleeps behind.
afterEach(() => {
  for (const pgid of started.splice(0)) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // Already gone: the test passed.
    }
  }
});

/** The state letter of a process (R, S, Z, ...), or undefined once it is reaped. */
function processState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.charAt(stat.lastIndexOf(')') + 2);
  } catch {
    return undefined;
  }
}

describe('killTree', () => {
  it('stops every member of the group with SIGTERM', async () => {
    const { child, pgid } = await startGroup('sleep 101.1 & sleep 101.1 & echo ready; wait');
    const exited = once(child, 'exit');
    await killTree(pgid, { graceMs: 5000 });
    expect(groupAlive(pgid)).toBe(false);
    expect(await exited).toEqual([null, 'SIGTERM']);
  });

  it('sends SIGKILL once the grace period is over', async () => {
    const { child, pgid } = await startGroup('trap "" TERM; sleep 101.2 & echo ready; wait');
    const exited = once(child, 'exit');
    const started = Date.now();
    await killTree(pgid, { graceMs: 150 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(groupAlive(pgid)).toBe(false);
    expect(await exited).toEqual([null, 'SIGKILL']);
  });

  it('resolves at once for a group that no longer exists', async () => {
    const child = spawn('true', [], { detached: true, stdio: 'ignore' });
    await once(child, 'exit');
    await expect(killTree(child.pid!, { graceMs: 5000 })).resolves.toBe('gone');
  });
});

describe('groupAlive', () => {
  it('counts a group left with only zombies as gone', async () => {
    // The leader execs into sleep, which never waits: its killed child stays a zombie. The
    // child speaks only once its parent is sleep, so the shell cannot have reaped it.
    const grandchildScript = 'while [ "$(cat /proc/$PPID/comm)" != sleep ]; do :; done; echo $$; exec sleep 101.31';
    const child = spawn('sh', ['-c', `sh -c '${grandchildScript}' & exec sleep 101.3`], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
    const pgid = child.pid!;
    started.push(pgid);
    const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
    const grandchild = Number(chunk.toString());
    process.kill(grandchild, 'SIGKILL');
    await vi.waitFor(() => expect(processState(grandchild)).toBe('Z'), { timeout: 5000, interval: 10 });
    expect(groupAlive(pgid)).toBe(true);
    process.kill(pgid, 'SIGKILL');
    await once(child, 'exit');
    expect(groupAlive(pgid)).toBe(false);
  });

  it('answers for a group that is gone without changing Error.stackTraceLimit', async () => {
    const child = spawn('true', [], { detached: true, stdio: 'ignore' });
    await once(child, 'exit');
    const limit = Error.stackTraceLimit;
    expect(groupAlive(child.pid!)).toBe(false);
    expect(Error.stackTraceLimit).toBe(limit);
  });

  it('is false for pids that must never be signalled as groups', () => {
    expect(groupAlive(0)).toBe(false);
    expect(groupAlive(1)).toBe(false);
  });
});

describe('killAllTrackedSync', () => {
  it('signals every tracked group and forgets them', async () => {
    const { child, pgid } = await startGroup('echo ready; exec sleep 101.4');
    trackGroup(pgid);
    const exited = once(child, 'exit');
    killAllTrackedSync();
    expect(await exited).toEqual([null, 'SIGKILL']);
    expect(trackedGroups()).toEqual([]);
  });
});

describe('killTree and children that left the group', () => {
  it('finds a setsid child through /proc parent links and stops it with the group', async () => {
    const marker = `101.${process.pid}`;
    const { pgid } = await startGroup(`setsid sleep ${marker} & echo ready; wait`);
    // Until setsid has exec'd sleep, the escaped process is still named setsid.
    const escaped = await vi.waitFor(() => {
      const found = escapedDescendants(pgid);
      expect(found).toHaveLength(1);
      expect(readFileSync(`/proc/${found[0]}/cmdline`, 'latin1').split('\0')).toEqual(['sleep', marker, '']);
      return found;
    });
    started.push(escaped[0]!);
    await killTree(pgid, { graceMs: 5000 });
    expect(processState(escaped[0]!) ?? 'Z').toBe('Z');
  });
});

describe('processes found by an argument only they were given', () => {
  it('finds a process that left every group and lost its parent, and stops it (SIGKILL when it ignores SIGTERM)', async () => {
    const marker = `/tmp/arq-marker-${process.pid}-${Date.now()}/`;
    // The shell ignores SIGTERM and exits only on SIGKILL; setsid and the exit of its parent leave it orphaned in a group of its own.
    const { pgid } = await startGroup(`setsid sh -c 'trap "" TERM; while :; do sleep 0.05; done' "${marker}" & echo ready`);
    const found = await vi.waitFor(() => {
      const pids = processesWithArg(marker);
      expect(pids).toHaveLength(1);
      return pids;
    });
    started.push(found[0]!);
    expect(found[0]).not.toBe(pgid);
    await killProcesses(found, { graceMs: 200 });
    expect(processState(found[0]!) ?? 'Z').toBe('Z');
    expect(processesWithArg(marker)).toEqual([]);
  });
});
