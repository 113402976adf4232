/**
 * The `system.check` step: samples metrics over a window and fails at the first breached threshold.
 *
 * @example
 * - uses: system.check
 *   with:
 *     window_ms: 2000
 *     cpu_percent: { lt: 60 }
 *     memory_used_percent: { lt: 90 }
 *     disk_free_gb: { gt: 2 }
 *     process: { name: node, rss_mb: { lt: 300 } }
 */
import { StepError, type JSONSchema, type StepContext, type StepType } from '../contract.js';
import { processSchema } from './metrics.js';
import { sampleMetrics, type MetricsSample, type ProcessSelector } from './probe.js';

/** Bounds a metric must respect: every one given must hold. */
export interface Threshold {
  readonly lt?: number;
  readonly lte?: number;
  readonly gt?: number;
  readonly gte?: number;
}

export interface ProcessCheck extends ProcessSelector {
  readonly rss_mb?: Threshold;
  readonly cpu_percent?: Threshold;
}

export interface SystemCheckInput {
  readonly window_ms?: number;
  readonly interval_ms?: number;
  readonly cpu_percent?: Threshold;
  readonly memory_used_percent?: Threshold;
  readonly disk_free_gb?: Threshold;
  readonly process?: ProcessCheck;
}

type Totals = Record<string, number>;

export interface SystemCheckOutputs extends Record<string, unknown> {
  readonly ok: true;
  readonly samples: number;
  readonly max: Totals & { process?: Totals };
  readonly min: Totals & { process?: Totals };
}

const MACHINE_METRICS = ['cpu_percent', 'memory_used_percent', 'memory_used_mb', 'disk_free_gb'] as const;
const CHECKED_METRICS = ['cpu_percent', 'memory_used_percent', 'disk_free_gb'] as const;
const PROCESS_METRICS = ['cpu_percent', 'rss_mb'] as const;
/** At most this many samples, whatever window_ms / interval_ms says. */
export const MAX_SAMPLES = 10_000;

const OPERATORS = [
  ['lt', '<', (v: number, t: number) => v < t],
  ['lte', '<=', (v: number, t: number) => v <= t],
  ['gt', '>', (v: number, t: number) => v > t],
  ['gte', '>=', (v: number, t: number) => v >= t],
] as const;

/** The first bound `value` breaks, as "expected < 60", or undefined when all hold. */
export function breach(value: number, threshold: Threshold | undefined): string | undefined {
  if (threshold === undefined) return undefined;
  for (const [key, symbol, holds] of OPERATORS) {
    const bound = threshold[key];
    if (bound !== undefined && !holds(value, bound)) return `expected ${symbol} ${bound}`;
  }
  return undefined;
}

function thresholdSchema(description: string): JSONSchema {
  const bound = (what: string) => ({ type: 'number', description: `The metric must be ${what} this value.` });
  return {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    description,
    properties: { lt: bound('below'), lte: bound('at most'), gt: bound('above'), gte: bound('at least') },
  };
}

function fail(metric: string, value: number, expected: string, sample: number): never {
  throw new StepError('system.threshold', `${metric} is ${value}, ${expected}`, { metric, value, expected, sample });
}

/** Throws system.threshold at the first breach in `sample` (machine metrics first, then the process). */
function checkSample(input: SystemCheckInput, sample: MetricsSample, index: number): void {
  for (const metric of CHECKED_METRICS) {
    const expected = breach(sample[metric], input[metric]);
    if (expected !== undefined) fail(metric, sample[metric], expected, index);
  }
  const proc = input.process;
  if (proc === undefined || sample.process === undefined) return;
  const label = `process ${proc.name ?? proc.pid}`;
  for (const metric of PROCESS_METRICS) {
    const expected = breach(sample.process[metric], proc[metric]);
    if (expected !== undefined) fail(`${label} ${metric}`, sample.process[metric], expected, index);
  }
}

function aborted(): StepError {
  return new StepError('system.aborted', 'system.check was stopped before its window ended');
}

/** Waits `ms`, rejecting at once when the signal fires. */
function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(aborted());
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}

function fold<K extends string>(into: Totals, values: Readonly<Record<K, number>>, keys: readonly K[], pick: (a: number, b: number) => number): void {
  for (const key of keys) {
    const value = values[key];
    const seen = into[key];
    into[key] = seen === undefined ? value : pick(seen, value);
  }
}

async function runCheck(input: SystemCheckInput, ctx: StepContext): Promise<SystemCheckOutputs> {
  const windowMs = input.window_ms ?? 1000;
  const intervalMs = input.interval_ms ?? 250;
  const count = Math.min(MAX_SAMPLES, Math.max(1, Math.ceil(windowMs / intervalMs)));
  const selector: ProcessSelector | undefined =
    input.process === undefined ? undefined : { pid: input.process.pid, name: input.process.name };
  const max: Totals & { process?: Totals } = {};
  const min: Totals & { process?: Totals } = {};
  for (let i = 0; i < count; i += 1) {
    if (ctx.signal.aborted) throw aborted();
    const sample = await sampleMetrics(ctx.workdir, selector);
    if (ctx.signal.aborted) throw aborted();
    checkSample(input, sample, i + 1);
    fold(max, sample, MACHINE_METRICS, Math.max);
    fold(min, sample, MACHINE_METRICS, Math.min);
    if (sample.process !== undefined) {
      fold((max.process ??= {}), sample.process, PROCESS_METRICS, Math.max);
      fold((min.process ??= {}), sample.process, PROCESS_METRICS, Math.min);
    }
    if (i < count - 1) await wait(intervalMs, ctx.signal);
  }
  return { ok: true, samples: count, max, min };
}

export const systemCheck: StepType<SystemCheckInput, SystemCheckOutputs> = {
  type: 'system.check',
  description: 'Samples system metrics over a window and fails, naming the metric, its value and the threshold, at the first breach.',
  input: {
    type: 'object',
    additionalProperties: false,
    properties: {
      window_ms: { type: 'integer', minimum: 0, maximum: 2147483647, default: 1000, description: 'How long to keep sampling, in milliseconds.' },
      interval_ms: { type: 'integer', minimum: 1, maximum: 2147483647, default: 250, description: 'Milliseconds between samples; ceil(window_ms / interval_ms) samples are taken (at least 1).' },
      cpu_percent: thresholdSchema('Bounds for the machine CPU load, 0-100.'),
      memory_used_percent: thresholdSchema('Bounds for the memory in use, 0-100.'),
      disk_free_gb: thresholdSchema('Bounds for the space available (GiB) on the filesystem holding the working directory.'),
      process: processSchema('A process to check, by pid or name, with bounds for its rss_mb and cpu_percent; the step fails when none runs.', {
        rss_mb: thresholdSchema('Bounds for the process resident memory, MiB.'),
        cpu_percent: thresholdSchema('Bounds for the process CPU use, percent.'),
      }),
    },
  },
  output: {
    type: 'object',
    properties: {
      ok: { const: true, description: 'Always true: a breach fails the step.' },
      samples: { type: 'integer', description: 'How many samples were taken.' },
      max: { type: 'object', description: 'The highest value of each metric over the window (process metrics under `process`).' },
      min: { type: 'object', description: 'The lowest value of each metric over the window (process metrics under `process`).' },
    },
  },
  run: runCheck,
};
