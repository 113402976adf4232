import { stepContext } from '../../helpers/context.js';
import { readdir, readFile, mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StepContext } from '../../../steps/contract.js';
import { StepError } from '../../../steps/contract.js';
import { breach, systemCheck, type SystemCheckInput } from '../../../steps/system/check.js';
import { systemSteps } from '../../../steps/system/index.js';
import { systemInfo } from '../../../steps/system/info.js';
import { systemMetrics } from '../../../steps/system/metrics.js';
import { fsFor } from '../../../steps/system/probe.js';

let dir: string;

beforeAll(async () => {
  dir = await realpath(await mkdtemp(join(tmpdir(), 'arq-system-')));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function fakeContext(controller = new AbortController()): StepContext {
  return stepContext(dir, { signal: controller.signal, tmpdir: dir, env: { ...(process.env as Record<string, string>) } });
}

async function stepError(promise: Promise<unknown>): Promise<StepError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(StepError);
  return error as StepError;
}

const check = (input: SystemCheckInput, ctx = fakeContext()) => systemCheck.run({ window_ms: 40, interval_ms: 20, ...input }, ctx);

/** Every property of every object schema, however deep, has a description and additionalProperties is false. */
function schemaProblems(schema: Record<string, unknown>, path: string): string[] {
  const problems: string[] = [];
  const properties = schema.properties as Record<string, Record<string, unknown>> | undefined;
  if (properties !== undefined) {
    if (schema.additionalProperties !== false) problems.push(`${path}: additionalProperties is not false`);
    for (const [name, sub] of Object.entries(properties)) {
      if (typeof sub.description !== 'string') problems.push(`${path}.${name}: no description`);
      problems.push(...schemaProblems(sub, `${path}.${name}`));
    }
  }
  return problems;
}

describe('system steps', () => {
  it('exports the three types with strict, described input schemas', () => {
    expect(systemSteps.map((s) => s.type)).toEqual(['system.info', 'system.metrics', 'system.check']);
    for (const step of systemSteps) expect(schemaProblems(step.input, step.type)).toEqual([]);
  });

  it('never imports systeminformation statically (arq validate must not load it)', async () => {
    const folder = join(import.meta.dirname, '../../../steps/system');
    for (const file of await readdir(folder)) {
      const text = await readFile(join(folder, file), 'utf8');
      expect(text, file).not.toMatch(/(from|require\()\s*['"]systeminformation['"]/);
      expect(text, file).not.toMatch(/^import\s+['"]systeminformation['"]/m);
    }
  });

  it('system.info describes the machine', async () => {
    const info = await systemInfo.run({}, fakeContext());
    expect(info.os.platform).toBe(process.platform);
    expect(info.os.hostname.length).toBeGreaterThan(0);
    expect(info.cpu.cores).toBeGreaterThan(0);
    expect(info.memory.total_mb).toBeGreaterThan(0);
    expect(info.disks.length).toBeGreaterThan(0);
    for (const disk of info.disks) expect(disk.size_gb).toBeGreaterThanOrEqual(disk.used_gb);
  });

  it('system.metrics samples the machine and this process', async () => {
    const first = await systemMetrics.run({}, fakeContext());
    expect(first.cpu_percent).toBeGreaterThanOrEqual(0);
    expect(first.cpu_percent).toBeLessThanOrEqual(100);
    expect(first.memory_used_percent).toBeGreaterThan(0);
    expect(first.memory_used_mb).toBeGreaterThan(0);
    expect(first.disk_free_gb).toBeGreaterThan(0);
    expect(first.network.rx_bytes_per_s).toBeGreaterThanOrEqual(0);
    expect(first.process).toBeUndefined();
    const again = await systemMetrics.run({ process: { pid: process.pid } }, fakeContext());
    expect(again.process).toMatchObject({ pid: process.pid });
    expect(again.process?.rss_mb).toBeGreaterThan(1);
    const byName = await systemMetrics.run({ process: { name: again.process?.name ?? '' } }, fakeContext());
    expect(byName.process?.name).toBe(again.process?.name);
  });

  it('system.metrics fails with system.no_process for a missing process', async () => {
    const error = await stepError(systemMetrics.run({ process: { pid: 999999 } }, fakeContext()));
    expect(error.code).toBe('system.no_process');
    expect(error.message).toBe('No running process with pid 999999');
    const byName = await stepError(systemMetrics.run({ process: { name: 'no-such-arq-process' } }, fakeContext()));
    expect(byName.message).toBe('No running process named no-such-arq-process');
  });

  it('system.check passes within the thresholds and reports the window', async () => {
    const out = await check({
      disk_free_gb: { gt: 0 },
      memory_used_percent: { lt: 100 },
      cpu_percent: { gte: 0, lte: 100 },
      process: { pid: process.pid, rss_mb: { gt: 1 } },
    });
    expect(out.ok).toBe(true);
    expect(out.samples).toBe(2);
    expect(out.max.disk_free_gb).toBeGreaterThan(0);
    expect(out.max.memory_used_percent).toBeLessThan(100);
    expect(out.max.process?.rss_mb).toBeGreaterThan(1);
  });

  it('system.check names the metric, its value and the threshold on a breach', async () => {
    const disk = await stepError(check({ disk_free_gb: { gt: 1e9 } }));
    expect(disk.code).toBe('system.threshold');
    expect(disk.message).toMatch(/^disk_free_gb is \d+(\.\d)?, expected > 1000000000$/);
    const memory = await stepError(check({ memory_used_percent: { lt: 0 } }));
    expect(memory.message).toMatch(/^memory_used_percent is \d+(\.\d)?, expected < 0$/);
    const rss = await stepError(check({ process: { pid: process.pid, rss_mb: { lt: 1 } } }));
    expect(rss.message).toMatch(new RegExp(`^process ${process.pid} rss_mb is \\d+(\\.\\d)?, expected < 1$`));
    expect(rss.details).toMatchObject({ metric: `process ${process.pid} rss_mb`, expected: 'expected < 1', sample: 1 });
  });

  it('system.check fails with system.no_process for a missing process', async () => {
    const error = await stepError(check({ process: { pid: 999999, rss_mb: { lt: 1 } } }));
    expect(error.code).toBe('system.no_process');
  });

  it('system.check stops when the step is aborted', async () => {
    const controller = new AbortController();
    // A 60 s window: only the abort can end it before the test's own timeout.
    const running = check({ window_ms: 60_000, interval_ms: 50, memory_used_percent: { lt: 100 } }, fakeContext(controller));
    setImmediate(() => controller.abort());
    const error = await stepError(running);
    expect(error.code).toBe('system.aborted');
  });

  it('breach and fsFor follow their rules', () => {
    expect(breach(5, { lt: 5 })).toBe('expected < 5');
    expect(breach(5, { lte: 5, gte: 5 })).toBeUndefined();
    expect(breach(5, { gt: 5 })).toBe('expected > 5');
    const mounts = [{ mount: '/' }, { mount: '/home' }, { mount: '/home/a' }, { mount: 'C:\\' }];
    expect(fsFor(mounts, '/home/a/b')?.mount).toBe('/home/a');
    expect(fsFor(mounts, '/home/ab')?.mount).toBe('/home');
    expect(fsFor(mounts, '/var')?.mount).toBe('/');
    expect(fsFor(mounts, 'c:\\work')?.mount).toBe('C:\\');
  });
});
