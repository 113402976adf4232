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

function collect(command, args, { cwd = repoDir, timeoutMs = 120_000, env = { ...process.env, ARQ_HOME: benchStateDir } } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/**
 * Runs `task` of the peer module `peer` (a path under bench/) in a fresh node process:
 * `warmup` unmeasured runs, then `runs` measured ones. Resolves to the child's report:
 * { runs: ms[], warmups: ms[], cpu: ms[], phases: { name: ms[] }, maxRssKb, counts }.
 */
export async function measureInChild({ peer, task, params = {}, warmup = 1, runs = 5, timeoutMs = 180_000 }) {
  const spec = JSON.stringify({ peer: join(benchDir, peer), task, params, warmup, runs });
  const { code, signal, stdout, stderr } = await collect(process.execPath, [childScript, spec], { timeoutMs });
  const line = stdout.trim().split('\n').at(-1) ?? '';
  if (code !== 0 || !line.startsWith('{')) {
    throw new Error(`${peer} ${task} failed (exit ${code ?? signal}): ${(stderr || stdout).trim().slice(-2000)}`);
  }
  return { ...JSON.parse(line), stderr: stderr.trim() || undefined };
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
