/**
 * The idle scheduler (issue 7): `arq schedule` on a folder of 50 scheduled workflows (100 cron
 * entries in two zones; shell, HTTP and system steps), its RSS once it is up and idle. This file
 * is the scenario and its own peer: the `idle` task starts the bundled CLI, waits for its "watching"
 * line, samples /proc/PID/status after a second of idling, and stops it with SIGTERM.
 *
 * Median = start to ready + 1 s idle + stop; phases: ready (ms from spawn to the "watching" line)
 * and idle_rss_mib (the scheduler's VmRSS, MiB). The Peak RSS column is the bench child's own.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as wait } from 'node:timers/promises';
import { arqDist, repoDir } from '../lib/measure.mjs';

const WORKFLOWS = 50;
const LIMIT_MIB = 80;

function workflowText(i) {
  return `name: w${i}
on:
  schedule:
    - { cron: "${i % 60} ${i % 24} * * *", timezone: Europe/Berlin }
    - { cron: "*/15 * * * *", timezone: America/New_York, overlap: queue, catch_up: last }
inputs:
  n: { type: number, default: ${i} }
steps:
  - run: echo "\${{ inputs.n }}"
  - uses: http.check
    with: { url: "http://127.0.0.1:9/health" }
  - uses: system.info
`;
}

function rssMiB(pid) {
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
  return kb / 1024;
}

/** Resolves once the scheduler printed its "watching" line. */
function ready(child) {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      out += chunk;
      if (out.includes('arq schedule: watching')) resolve();
    });
    child.on('close', (code) => reject(new Error(`arq schedule ended (${code}) before it was ready:\n${out}`)));
  });
}

export async function idle({ workflows = WORKFLOWS, idleMs = 1000 }) {
  const dir = mkdtempSync(join(tmpdir(), 'arq-bench-schedule-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'flows'));
  for (let i = 1; i <= workflows; i++) writeFileSync(join(dir, 'flows', `w${i}.yaml`), workflowText(i));
  const cli = join(arqDist, JSON.parse(readFileSync(join(repoDir, 'package.json'), 'utf8')).bin.arq.replace(/^(\.\/)?dist\//, ''));
  return async () => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [cli, 'schedule', 'flows', '--state-dir', 'state'], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] });
    await ready(child);
    const readyMs = performance.now() - t0;
    await wait(idleMs);
    const idleRss = rssMiB(child.pid);
    const closed = new Promise((resolve) => child.on('close', resolve));
    child.kill('SIGTERM');
    if ((await closed) !== 0) throw new Error('arq schedule did not exit 0 on SIGTERM');
    return { count: workflows, phases: { ready: readyMs, idle_rss_mib: idleRss } };
  };
}

export default {
  id: 'schedule',
  title: 'idle scheduler',
  rows: [
    { id: 'idle', impl: `arq schedule: ${WORKFLOWS} workflows (${WORKFLOWS * 2} cron entries), start, 1 s idle, SIGTERM`, peer: 'scenarios/schedule.mjs', task: 'idle', params: { expect: WORKFLOWS }, warmup: 1 },
  ],
  targets: [
    (rows) => {
      const name = `idle arq schedule with ${WORKFLOWS} scheduled workflows under ${LIMIT_MIB} MB RSS`;
      const row = rows['schedule/idle'];
      if (!row) return { name, limit: `< ${LIMIT_MIB} MiB`, skipped: true };
      const rss = row.phases.idle_rss_mib;
      return {
        name, value: rss.median, shown: `${rss.median.toFixed(1)} MiB`, limit: `< ${LIMIT_MIB} MiB`, pass: rss.max < LIMIT_MIB,
        detail: `VmRSS 1 s after the "watching" line, median of ${rss.n} (max ${rss.max.toFixed(1)}); ready in ${Math.round(row.phases.ready.median)} ms; files are checked in a child, runs are children`,
      };
    },
  ],
};
