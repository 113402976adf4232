/**
 * Reads this machine's metrics with `systeminformation`, loaded lazily on first use so that
 * `arq validate` and `arq steps` never pay for it.
 */
import { StepError } from '../contract.js';

type Si = typeof import('systeminformation');

let siPromise: Promise<Si> | undefined;
let primed: Promise<void> | undefined;

/** The systeminformation module, imported once. */
export function loadSi(): Promise<Si> {
  siPromise ??= import('systeminformation').then((mod) => ((mod as { default?: Si }).default ?? mod) as Si);
  return siPromise;
}

/**
 * systeminformation measures CPU load (and network rates) as the change since its previous call;
 * its very first currentLoad() waits 500 ms to get a baseline. This runs that first call once per
 * process, so every later sample is fast.
 */
export function primeSi(): Promise<Si> {
  primed ??= loadSi().then(async (si) => {
    await Promise.all([si.currentLoad(), si.networkStats()]);
  });
  return primed.then(loadSi);
}

/** Rounds to one decimal, the precision of every metric output. */
export function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

const MB = 1024 * 1024;
const GB = 1024 * MB;

/** Which process to measure: by pid, or the first one with that name. */
export interface ProcessSelector {
  readonly pid?: number;
  readonly name?: string;
}

export interface ProcessSample {
  readonly pid: number;
  readonly name: string;
  readonly cpu_percent: number;
  readonly rss_mb: number;
}

export interface MetricsSample {
  readonly cpu_percent: number;
  readonly memory_used_percent: number;
  readonly memory_used_mb: number;
  readonly disk_free_gb: number;
  readonly network: { readonly rx_bytes_per_s: number; readonly tx_bytes_per_s: number };
  readonly process?: ProcessSample;
}

/** The fsSize entry whose mount is the longest prefix of `path` (the filesystem holding it). */
export function fsFor<T extends { mount: string }>(entries: readonly T[], path: string): T | undefined {
  const norm = (p: string) => p.replace(/\\/g, '/').toLowerCase();
  const target = norm(path);
  let best: T | undefined;
  for (const entry of entries) {
    const mount = norm(entry.mount);
    if (mount === '') continue;
    const withSlash = mount.endsWith('/') ? mount : `${mount}/`;
    const holds = target === mount || target.startsWith(withSlash);
    if (holds && (best === undefined || mount.length > norm(best.mount).length)) best = entry;
  }
  return best;
}

function rate(value: number | null | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.round(value) : 0;
}

function describeSelector(selector: ProcessSelector): string {
  if (selector.pid !== undefined && selector.name !== undefined) return `with pid ${selector.pid} named ${selector.name}`;
  return selector.pid !== undefined ? `with pid ${selector.pid}` : `named ${selector.name}`;
}

async function sampleProcess(si: Si, selector: ProcessSelector): Promise<ProcessSample> {
  if (selector.pid === undefined && selector.name === undefined) {
    throw new StepError('system.bad_input', 'process needs a `pid` or a `name`');
  }
  const { list } = await si.processes();
  const found = list.find(
    (p) => (selector.pid === undefined || p.pid === selector.pid) && (selector.name === undefined || p.name === selector.name),
  );
  if (found === undefined) {
    throw new StepError('system.no_process', `No running process ${describeSelector(selector)}`, { ...selector });
  }
  return { pid: found.pid, name: found.name, cpu_percent: round1(found.cpu), rss_mb: round1((found.memRss * 1024) / MB) };
}

/** One sample of the machine's metrics; `workdir` chooses the filesystem of disk_free_gb. */
export async function sampleMetrics(workdir: string, selector?: ProcessSelector): Promise<MetricsSample> {
  const si = await primeSi();
  const [load, mem, disks, net] = await Promise.all([si.currentLoad(), si.mem(), si.fsSize(), si.networkStats()]);
  const disk = fsFor(disks, workdir);
  const usedBytes = mem.total - mem.available;
  const sample: MetricsSample = {
    cpu_percent: round1(load.currentLoad),
    memory_used_percent: mem.total > 0 ? round1((usedBytes / mem.total) * 100) : 0,
    memory_used_mb: round1(usedBytes / MB),
    disk_free_gb: disk === undefined ? 0 : round1(disk.available / GB),
    network: {
      rx_bytes_per_s: net.reduce((sum, n) => sum + rate(n.rx_sec), 0),
      tx_bytes_per_s: net.reduce((sum, n) => sum + rate(n.tx_sec), 0),
    },
  };
  if (selector === undefined) return sample;
  return { ...sample, process: await sampleProcess(si, selector) };
}

export { GB, MB };
