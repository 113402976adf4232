/**
 * `process.status` and `process.list`: whether services run, with their pid, uptime, memory and
 * CPU time. Both are queries: a service that is not running is an answer, not a failure.
 *
 * @example
 * - id: api
 *   uses: process.status
 *   with: { name: api }
 * - if: ${{ !steps.api.outputs.running }}
 *   run: echo "api is down"
 */
import { readFileSync } from 'node:fs';
import type { StepContext, StepType } from '../contract.js';
import { confine } from './fs-paths.js';
import { processAlive, readStat } from './process-tree.js';
import { findService, isSameProcess, listRecords, SERVICES_DIR, serviceRefProperties, type ServiceRef } from './services.js';

export type ProcessStatusInput = ServiceRef;
export type ProcessListInput = { readonly dir?: string };

/** Linux's clock ticks per second for /proc times (USER_HZ, 100 on every mainstream build). */
const TICKS_PER_SECOND = 100;

/** Resident memory (MiB) and CPU time (s) of a live process, from /proc; null elsewhere. */
export function usageOf(pid: number): { rss_mb: number | null; cpu_seconds: number | null } {
  if (process.platform !== 'linux') return { rss_mb: null, cpu_seconds: null };
  const stat = readStat(String(pid));
  let rssKb: number | undefined;
  try {
    rssKb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'))?.[1]);
  } catch {
    rssKb = undefined;
  }
  return {
    rss_mb: rssKb === undefined || Number.isNaN(rssKb) ? null : Math.round((rssKb / 1024) * 10) / 10,
    cpu_seconds: stat ? stat.cpuTicks / TICKS_PER_SECOND : null,
  };
}

async function status(input: ProcessStatusInput, ctx: StepContext): Promise<Record<string, unknown>> {
  const found = await findService(input, ctx);
  if (!found?.running) return { running: false, pid: found?.pid ?? null, name: found?.name ?? input.name ?? null, started_at: found?.record?.started_at ?? null, uptime_ms: null, rss_mb: null, cpu_seconds: null };
  const startedAt = found.record?.started_at ?? null;
  return {
    running: true, pid: found.pid, name: found.name ?? input.name ?? null, started_at: startedAt,
    uptime_ms: startedAt === null ? null : Date.now() - Date.parse(startedAt),
    ...usageOf(found.pid),
  };
}

async function list(input: ProcessListInput, ctx: StepContext): Promise<Record<string, unknown>> {
  const folder = await confine(input.dir ?? SERVICES_DIR, ctx);
  const services = (await listRecords(folder)).map((record) => {
    const running = processAlive(record.pid) && isSameProcess(record.pid, record.starttime);
    return { name: record.name, pid: record.pid, running, started_at: record.started_at, log_file: record.log_file, ...(running ? usageOf(record.pid) : { rss_mb: null, cpu_seconds: null }) };
  });
  return { services, count: services.length, running: services.filter((s) => s.running).length };
}


const usageOutputs = {
  rss_mb: { type: ['number', 'null'], description: 'Resident memory in MiB (Linux; null elsewhere or when not running).' },
  cpu_seconds: { type: ['number', 'null'], description: 'CPU time used so far, in seconds (Linux).' },
} as const;

export const processStatus: StepType<ProcessStatusInput> = {
  type: 'process.status',
  description: 'Tells whether a service runs, with its pid, uptime, memory and CPU time.',
  input: {
    type: 'object',
    additionalProperties: false,
    oneOf: [{ required: ['name'] }, { required: ['pid_file'] }, { required: ['pid'] }],
    properties: { ...serviceRefProperties },
  },
  output: {
    type: 'object',
    properties: {
      running: { type: 'boolean' },
      pid: { type: ['integer', 'null'] },
      name: { type: ['string', 'null'] },
      started_at: { type: ['string', 'null'] },
      uptime_ms: { type: ['integer', 'null'] },
      ...usageOutputs,
    },
  },
  run: status,
};

export const processList: StepType<ProcessListInput> = {
  type: 'process.list',
  description: 'Lists the services started with process.start (running or not) and what each uses.',
  input: {
    type: 'object',
    additionalProperties: false,
    properties: { dir: { type: 'string', minLength: 1, description: 'The services folder (default .arq/services).' } },
  },
  output: {
    type: 'object',
    properties: {
      services: { type: 'array', description: 'One entry per service, by name: name, pid, running, started_at, log_file, rss_mb, cpu_seconds.' },
      count: { type: 'integer' },
      running: { type: 'integer' },
    },
  },
  run: list,
};
