/**
 * Measuring, parent side: every in-process measurement runs in a fresh `node` child
 * (bench/lib/child.mjs), so one measurement's JIT and GC state never biases another; whole
 * programs (the CLI) are spawned and timed from here.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const benchDir = dirname(dirname(fileURLToPath(import.meta.url)));
export const repoDir = dirname(benchDir);
/** The arq build measured: dist/ of this checkout, or ARQ_BENCH_DIST (e.g. a build of another commit). */
export const arqDist = resolve(process.env.ARQ_BENCH_DIST ?? join(repoDir, 'dist'));
const childScript = join(benchDir, 'lib', 'child.mjs');

/** Median, min and max of a list of numbers (undefined for an empty list). */
export function stats(values) {
  if (!values || values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted.at(-1), n: sorted.length };
}

// The CLI rows record their runs somewhere that goes away, never in the repository's .arq/.
const benchStateDir = mkdtempSync(join(tmpdir(), 'arq-bench-state-'));
process.on('exit', () => rmSync(benchStateDir, { recursive: true, force: true }));

// Children run in process groups of their own (see collect): a bench stopped with Ctrl-C kills them.
const live = new Set();
process.on('exit', () => live.forEach(killGroup));
process.once('SIGINT', () => process.exit(130));

function collect(command, args, { cwd = repoDir, timeoutMs = 120_000, env = { ...process.env, ARQ_HOME: benchStateDir } } = {}) {
  return new Promise((resolve, reject) => {
    // Its own process group: a peer that hangs is killed with whatever it started.
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    live.add(child.pid);
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      killGroup(child.pid);
      live.delete(child.pid);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

function killGroup(pid) {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** A row that did not finish: what a reader should know, in a few words. */
export class RowFailure extends Error {
  constructor(reason, detail) {
    super(detail ? `${reason}: ${detail}` : reason);
    this.reason = reason;
  }
}

/** Why a child failed, from how it ended and its stderr (the first match wins). */
function failureOf({ code, signal, stderr, stdout, timedOut }, timeoutMs, progress) {
  const done = progress.length ? ` (${describeProgress(progress)})` : ' (its first run had not ended)';
  if (timedOut) return new RowFailure(`timed out after ${seconds(timeoutMs)} s${done}`);
  const text = `${stderr}\n${stdout}`;
  if (/Maximum call stack size exceeded/.test(text)) return new RowFailure('stack overflow', 'RangeError: Maximum call stack size exceeded');
  if (/heap out of memory|Allocation failed/.test(text)) return new RowFailure('out of memory', lastLine(stderr));
  // Node exits 13 when a top-level await never settles: nothing was left to run, and the run had not ended.
  if (code === 13) return new RowFailure('never ended', `the run stalled: no work left, and its end never came${done}`);
  return new RowFailure(`failed (exit ${code ?? signal})`, text.trim().slice(-2000));
}

const seconds = (ms) => (ms / 1000).toFixed(ms % 1000 ? 1 : 0);
const lastLine = (text) => text.trim().split('\n').filter((l) => !/^\s+at /.test(l)).at(-1) ?? '';
const describeProgress = (progress) => `${progress.length} run${progress.length > 1 ? 's' : ''} had ended: ${progress.map((p) => `${(p.ms / 1000).toFixed(1)} s`).join(', ')}`;

/** The child's JSON lines (progress, then the report); a peer's own output is skipped. */
function jsonLines(stdout) {
  return stdout.split('\n').flatMap((line) => {
    try {
      return line.startsWith('{') ? [JSON.parse(line)] : [];
    } catch {
      return [];
    }
  });
}

/**
 * Runs `task` of the peer module `peer` (a path under bench/) in a fresh node process:
 * `warmup` unmeasured runs, then `runs` measured ones. Resolves to the child's report:
 * { runs: ms[], warmups: ms[], cpu: ms[], phases: { name: ms[] }, maxRssKb, counts }.
 * Rejects with a RowFailure saying why when the child fails, overflows its stack, stalls or
 * takes more than timeoutMs in all (it is then killed with its process group).
 */
export async function measureInChild({ peer, task, params = {}, warmup = 1, runs = 5, timeoutMs = 180_000 }) {
  const spec = JSON.stringify({ peer: join(benchDir, peer), task, params, warmup, runs });
  const ended = await collect(process.execPath, [childScript, spec], { timeoutMs });
  const lines = jsonLines(ended.stdout);
  const progress = lines.filter((l) => l.progress).map((l) => l.progress);
  const report = lines.find((l) => l.runs);
  if (ended.code !== 0 || !report) throw failureOf(ended, timeoutMs, progress);
  return { ...report, stderr: ended.stderr.trim() || undefined };
}

const timeBin = ['/usr/bin/time', '/bin/time'].find((p) => existsSync(p));

/**
 * Times a whole program, spawned `runs` times after `warmup` unmeasured runs (wall clock from
 * spawn to exit). Peak RSS comes from one extra run under /usr/bin/time, when it exists.
 */
export async function measureProcess({ command, args = [], cwd = repoDir, warmup = 2, runs = 10, expectCode = 0 }) {
  const times = [];
  for (let i = 0; i < warmup + runs; i++) {
    const t0 = process.hrtime.bigint();
    const { code, stdout, stderr } = await collect(command, args, { cwd });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (code !== expectCode) throw new Error(`${command} ${args.join(' ')} exited ${code}: ${(stderr || stdout).trim().slice(-1000)}`);
    if (i >= warmup) times.push(ms);
  }
  let maxRssKb;
  if (timeBin) {
    const { stderr } = await collect(timeBin, ['-f', 'maxrss=%M', command, ...args], { cwd });
    const match = /maxrss=(\d+)/.exec(stderr);
    if (match) maxRssKb = Number(match[1]);
  }
  return { runs: times, warmups: [], cpu: [], phases: {}, maxRssKb };
}
