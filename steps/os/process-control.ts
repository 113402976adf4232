/**
 * `process.stop` and `process.signal`: act on a service started by `process.start` (by name), or
 * on any process named by a pid file or a pid, and on its whole process tree.
 *
 * @example
 * - uses: process.signal
 *   with: { name: api, signal: SIGHUP }
 * - uses: process.stop
 *   with: { name: api, grace_ms: 10000 }
 */
import type { StepContext, StepType } from '../contract.js';
import { StepError } from '../contract.js';
import { readStat } from './process-tree.js';
import { findService, forgetService, serviceRefProperties, stopService, type FoundService, type ServiceRef } from './services.js';

export type ProcessStopInput = ServiceRef & { readonly grace_ms?: number; readonly signal?: NodeJS.Signals };
export type ProcessSignalInput = ServiceRef & { readonly signal: NodeJS.Signals; readonly tree?: boolean };

/** Signals a step may send: the ones services act on. */
export const SIGNALS = ['SIGTERM', 'SIGKILL', 'SIGINT', 'SIGQUIT', 'SIGHUP', 'SIGUSR1', 'SIGUSR2', 'SIGSTOP', 'SIGCONT'] as const;

const refSchema = {
  oneOf: [{ required: ['name'] }, { required: ['pid_file'] }, { required: ['pid'] }],
};

/** How a service is named in messages. */
export function describeRef(ref: ServiceRef): string {
  if (ref.name !== undefined) return `service ${ref.name}`;
  if (ref.pid_file !== undefined) return `the process in ${ref.pid_file}`;
  return `process ${ref.pid}`;
}

/**
 * How `signal` is delivered on `platform`: to the process group (or the process alone), or by
 * taskkill on Windows, which has no signals: only SIGTERM and SIGKILL (both forcible) are possible.
 */
export function signalDelivery(signal: NodeJS.Signals, platform: NodeJS.Platform): 'signal' | 'taskkill' {
  if (platform !== 'win32') return 'signal';
  if (signal === 'SIGTERM' || signal === 'SIGKILL') return 'taskkill';
  throw new StepError('process.signal_unsupported', `${signal} cannot be sent on Windows: it has no signals; use process.stop (taskkill /T /F) instead`);
}

async function stop(input: ProcessStopInput, ctx: StepContext): Promise<Record<string, unknown>> {
  signalDelivery(input.signal ?? 'SIGTERM', process.platform);
  const found = await findService(input, ctx);
  if (!found?.running) {
    if (found?.recycled) ctx.log('info', `pid ${found.pid} now belongs to another process: ${describeRef(input)} is not running, nothing was signalled`);
    if (found?.record) await forgetService(found.record);
    return { was_running: false, pid: found?.pid ?? null, outcome: 'gone' };
  }
  const outcome = await stopService(found, { graceMs: input.grace_ms ?? 5000, signal: input.signal });
  ctx.log('info', `${describeRef(input)} (pid ${found.pid}) ${outcome === 'killed' ? `did not exit within ${input.grace_ms ?? 5000} ms and was killed` : 'stopped'}`);
  return { was_running: true, pid: found.pid, outcome };
}

function sendSignal(found: FoundService, signal: NodeJS.Signals, tree: boolean): void {
  const group = found.record?.pgid ?? (process.platform === 'linux' && readStat(String(found.pid))?.pgrp === found.pid ? found.pid : undefined);
  process.kill(tree && group !== undefined ? -group : found.pid, signal);
}

async function signalProcess(input: ProcessSignalInput, ctx: StepContext): Promise<Record<string, unknown>> {
  const delivery = signalDelivery(input.signal, process.platform);
  const found = await findService(input, ctx);
  if (!found?.running) {
    throw new StepError('process.not_running', `Cannot send ${input.signal}: ${describeRef(input)} is not running${found?.recycled ? ` (pid ${found.pid} now belongs to another process)` : ''}`);
  }
  if (delivery === 'taskkill') await stopService(found, { graceMs: 0 });
  else sendSignal(found, input.signal, input.tree ?? true);
  return { pid: found.pid, signal: input.signal };
}

export const processStop: StepType<ProcessStopInput> = {
  type: 'process.stop',
  description: 'Stops a service and its whole process tree: SIGTERM, then SIGKILL after a grace period.',
  input: {
    type: 'object',
    additionalProperties: false,
    ...refSchema,
    properties: {
      ...serviceRefProperties,
      grace_ms: { type: 'integer', minimum: 0, maximum: 2147483647, default: 5000, description: 'Milliseconds the tree has to exit after the first signal before SIGKILL.' },
      signal: { enum: ['SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP'], default: 'SIGTERM', description: 'The first signal.' },
    },
  },
  output: {
    type: 'object',
    properties: {
      was_running: { type: 'boolean', description: 'False when there was nothing to stop (not an error).' },
      pid: { type: ['integer', 'null'] },
      outcome: { enum: ['gone', 'terminated', 'killed'], description: 'gone: was not running; terminated: exited on the first signal; killed: needed SIGKILL.' },
    },
  },
  run: stop,
};

export const processSignal: StepType<ProcessSignalInput> = {
  type: 'process.signal',
  description: 'Sends a signal to a service\'s process group (or only to the process with tree: false).',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['signal'],
    ...refSchema,
    properties: {
      ...serviceRefProperties,
      signal: { enum: [...SIGNALS], description: 'The signal to send, e.g. SIGHUP to make a service reload.' },
      tree: { type: 'boolean', default: true, description: 'Signal the whole process group the service leads, not only its main process.' },
    },
  },
  output: { type: 'object', properties: { pid: { type: 'integer' }, signal: { type: 'string' } } },
  run: signalProcess,
};
