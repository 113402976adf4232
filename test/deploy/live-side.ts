/**
 * The live side of a real deployment test: the demo's variant A and a real nginx in front of it
 * (examples/deploy-demo/up.yaml, run for real in a private folder on free ports), a steady client
 * sending traffic through nginx, and a check that nothing of it survives the test.
 */
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { expect } from 'vitest';
import { checkWorkflow } from '../../engine/check/workflow.js';
import { loadWorkflowFile } from '../../engine/load/load.js';
import { runWorkflow, type RunOptions } from '../../engine/run/run.js';
import { freePorts } from '../helpers/net.js';
import { killLeftovers, liveProcesses } from '../helpers/processes.js';
import { tempDir, type RunEvent } from '../helpers/workflow.js';

const ROOT = join(import.meta.dirname, '..', '..');
export const DEPLOY = join(ROOT, 'workflows', 'deploy.yaml');
const DEMO = join(ROOT, 'examples', 'deploy-demo');

/** Runs a workflow file for real in `workdir`, keeping its events. */
export async function runFile(file: string, workdir: string, options: RunOptions = {}) {
  const events: RunEvent[] = [];
  const onEvent = (event: RunEvent) => {
    events.push(event);
    options.onEvent?.(event);
  };
  const result = await runWorkflow(await checkWorkflow(await loadWorkflowFile(file)), { workdir, env: process.env, ...options, onEvent });
  return { result, events, evidence: join(workdir, '.arq-artifacts', result.runId, 'deploy') };
}

/** Processes in a process group (nginx's workers carry no path in their command line). */
function groupMembers(pgid: number): number[] {
  return readdirSync('/proc').filter((e) => /^\d+$/.test(e)).filter((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(fields[2]) === pgid && fields[0] !== 'Z';
    } catch {
      return false;
    }
  }).map(Number);
}

export interface LiveSide {
  readonly workdir: string;
  readonly ports: { readonly nginx: number; readonly a: number; readonly b: number };
  readonly url: string;
  readonly a: string;
  readonly b: string;
  readonly upstreamFile: string;
  readonly accessLog: string;
  /** The deploy inputs for this live side; `b` runs the demo service as variant B. */
  inputs(overrides?: { b_env?: Record<string, string>; [key: string]: unknown }): Record<string, unknown>;
  /** Stops nginx, A and B (down.yaml) and checks that none of their processes is left. */
  down(): Promise<void>;
}

/** Starts A and nginx with the demo's up.yaml, in a private folder (mode 0700, as mkdtemp makes it). */
export async function startLiveSide(): Promise<LiveSide> {
  const workdir = tempDir('arq-deploy-');
  const service = join(workdir, 'service.mjs');
  copyFileSync(join(DEMO, 'service.mjs'), service);
  const [nginx, a, b] = (await freePorts(3)) as [number, number, number];
  const prefix = join(workdir, 'demo', 'nginx');
  const up = await runFile(join(DEMO, 'up.yaml'), workdir, { inputs: { dir: join(workdir, 'demo'), service, nginx_port: nginx, a_port: a, b_port: b } });
  expect(up.result.error).toBeUndefined();
  const nginxPid = up.result.outputs['nginx_pid'] as number;
  const nginxArgs = (...args: string[]) => ['nginx', '-p', prefix, '-c', 'nginx.conf', '-e', 'logs/error.log', ...args];
  const side: LiveSide = {
    workdir, ports: { nginx, a, b }, url: `http://127.0.0.1:${nginx}/`, a: `127.0.0.1:${a}`, b: `127.0.0.1:${b}`,
    upstreamFile: join(prefix, 'arq-upstream.conf'), accessLog: join(prefix, 'logs', 'arq-access.log'),
    inputs: ({ b_env = {}, ...overrides } = {}) => ({
      a: { address: `127.0.0.1:${a}` },
      b: { command: [process.execPath, service, 'variant-b'], port: b, env: { VARIANT: 'B', ...b_env }, stop_grace_ms: 2000 },
      nginx: {
        upstream_file: join(prefix, 'arq-upstream.conf'), access_log: join(prefix, 'logs', 'arq-access.log'), probe_url: `http://127.0.0.1:${nginx}/`,
        test_command: nginxArgs('-t'), reload_command: nginxArgs('-s', 'reload'),
      },
      stages: [{ weight: 10, watch: '1500ms' }, { weight: 50, watch: '1500ms' }, { weight: 100, watch: '1500ms' }],
      // Latency, CPU and memory are not what these tests are about (the machine is shared and busy): generous limits.
      thresholds: { latency_p95_target_ms: 2000, latency_p95_critical_ms: 2000, memory_critical_mb: 400, cpu_critical_percent: 100 },
      watch: { min_requests: 5, probe_rps: 40, max_extensions: 4, interval_ms: 100 },
      ...overrides,
    }),
    down: async () => {
      const down = await runFile(join(DEMO, 'down.yaml'), workdir);
      killLeftovers(workdir);
      expect(down.result.status).toBe('succeeded');
      expect(liveProcesses(workdir)).toEqual([]);
      expect(groupMembers(nginxPid)).toEqual([]);
    },
  };
  return side;
}

/** What the steady client got for one request. */
export interface ClientAnswer {
  readonly status: number | null;
  readonly upstream: string | null;
  readonly revision: string | null;
  readonly failure?: string;
}

function get(url: string, slowRead = false): Promise<ClientAnswer & { bytes: number }> {
  return new Promise((resolve) => {
    const failed = (error: NodeJS.ErrnoException) => resolve({ status: null, upstream: null, revision: null, failure: error.code ?? error.message, bytes: 0 });
    const req = request(url, { agent: false, signal: AbortSignal.timeout(20_000) }, async (res) => {
      let bytes = 0;
      try {
        for await (const chunk of res) {
          bytes += (chunk as Buffer).length;
          if (slowRead) await delay(5);
        }
      } catch (error) {
        return failed(error as NodeJS.ErrnoException);
      }
      resolve({ status: res.statusCode ?? null, upstream: (res.headers['x-arq-upstream'] as string) ?? null, revision: (res.headers['x-arq-revision'] as string) ?? null, bytes });
    });
    req.once('error', failed);
    req.end();
  });
}

/** One request through nginx, read at once or slowly. */
export const fetchOnce = get;

/** A user sending `rps` requests per second through nginx (new connection each), until stopped. */
export function steadyClient(url: string, rps: number): { stop(): Promise<ClientAnswer[]> } {
  const answers: ClientAnswer[] = [];
  const pending = new Set<Promise<void>>();
  let running = true;
  const loop = (async () => {
    for (let i = 0; running && i < 100_000; i++) {
      const one = get(url).then(({ bytes: _bytes, ...answer }) => void answers.push(answer));
      pending.add(one);
      void one.finally(() => pending.delete(one));
      await delay(1000 / rps);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      await Promise.all(pending);
      return answers;
    },
  };
}

/** `n` requests through nginx, one after the other: who answers now, with which revision. */
export async function whoAnswers(url: string, n = 10): Promise<string[]> {
  const answers: string[] = [];
  for (let i = 0; i < n; i++) {
    const answer = await get(url);
    answers.push(`${answer.status} ${answer.upstream} rev ${answer.revision}`);
  }
  return answers;
}
