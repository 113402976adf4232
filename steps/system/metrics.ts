/**
 * The `system.metrics` step: one sample of CPU load, memory, disk, network and, optionally, one process.
 *
 * @example
 * - id: m
 *   uses: system.metrics
 *   with: { process: { name: node } }
 * - run: echo "cpu ${{ steps.m.outputs.cpu_percent }}% node rss ${{ steps.m.outputs.process.rss_mb }} MiB"
 */
import type { JSONSchema, StepType } from '../contract.js';
import { sampleMetrics, type MetricsSample, type ProcessSelector } from './probe.js';

export interface SystemMetricsInput {
  readonly process?: ProcessSelector;
}

export type SystemMetricsOutputs = MetricsSample & Record<string, unknown>;

/** The schema of a process selector; `extra` adds properties (system.check's thresholds). */
export function processSchema(description: string, extra: Record<string, JSONSchema> = {}): JSONSchema {
  return {
    type: 'object',
    additionalProperties: false,
    anyOf: [{ required: ['pid'] }, { required: ['name'] }],
    description,
    properties: {
      pid: { type: 'integer', minimum: 1, description: 'The process id.' },
      name: { type: 'string', minLength: 1, description: 'The process name (e.g. node); the first process with it is used.' },
      ...extra,
    },
  };
}

export const systemMetrics: StepType<SystemMetricsInput, SystemMetricsOutputs> = {
  type: 'system.metrics',
  description: 'Samples CPU load, memory, free disk space of the working directory, network rates and, optionally, one process.',
  input: {
    type: 'object',
    additionalProperties: false,
    properties: {
      process: processSchema('A process to measure (CPU % and RSS), by pid or name; the step fails when none runs.'),
    },
  },
  output: {
    type: 'object',
    properties: {
      cpu_percent: { type: 'number', description: 'Machine CPU load, 0-100.' },
      memory_used_percent: { type: 'number', description: 'Memory in use (total - available), 0-100.' },
      memory_used_mb: { type: 'number', description: 'Memory in use, MiB.' },
      disk_free_gb: { type: 'number', description: 'Space available on the filesystem holding the working directory, GiB.' },
      network: { type: 'object', description: 'rx_bytes_per_s and tx_bytes_per_s of the default interface (0 on the first sample).' },
      process: { type: 'object', description: 'pid, name, cpu_percent and rss_mb (MiB) of the chosen process.' },
    },
  },
  run: async (input, ctx) => (await sampleMetrics(ctx.workdir, input.process)) as SystemMetricsOutputs,
};
