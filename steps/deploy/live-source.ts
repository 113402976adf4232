/**
 * A stage's real observations: the nginx access log (every request the new revision served,
 * attributed to A or B), B's CPU and memory (its whole process tree, with systeminformation,
 * sampled in the background), and arq's probe traffic when the stage is short of requests.
 *
 * @example
 * const source = await LiveSource.open({ accessLog, who, bPid, probeUrl, watch, signal });
 * try { outcome = await watchStage(source, options); } finally { await source.close(); }
 */
import { stat } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { StepError } from '../contract.js';
import { loadSi, primeSi } from '../system/probe.js';
import { LogTail, parseLogLine, samplesOf, type Attribution, type Sample } from './access-log.js';
import type { ResourceSample } from './judge.js';
import { probeOnce, type ProbeAnswer } from './probe-client.js';
import type { WatchSettings } from './settings.js';
import type { StageSource } from './watch-loop.js';

const MB = 1024 * 1024;
/** Probe requests in flight at once, at most. */
const MAX_PROBES_IN_FLIGHT = 8;

export interface LiveOptions {
  readonly accessLog: string;
  readonly who: Attribution;
  readonly bPid: number;
  readonly probeUrl: URL;
  readonly watch: WatchSettings;
  readonly signal: AbortSignal;
}

/** B's tree: the process and every descendant, from a systeminformation process list. */
export function treeOf(list: readonly { pid: number; parentPid: number }[], root: number): Set<number> {
  const tree = new Set([root]);
  for (let grew = true, rounds = 0; grew && rounds < 64; rounds++) {
    grew = false;
    for (const p of list) {
      if (!tree.has(p.parentPid) || tree.has(p.pid)) continue;
      tree.add(p.pid);
      grew = true;
    }
  }
  return tree;
}

/** One measurement of B's tree; undefined when B's main process is gone. */
async function sampleTree(pid: number): Promise<ResourceSample | undefined> {
  const si = await loadSi();
  const { list } = await si.processes();
  if (!list.some((p) => p.pid === pid)) return undefined;
  const tree = treeOf(list, pid);
  const members = list.filter((p) => tree.has(p.pid));
  const cpu = members.reduce((sum, p) => sum + p.cpu, 0);
  const rss = members.reduce((sum, p) => sum + p.memRss, 0);
  return { at: Date.now(), cpu_percent: Number(cpu.toFixed(1)), rss_mb: Number(((rss * 1024) / MB).toFixed(1)) };
}

export class LiveSource implements StageSource {
  readonly probeAnswers: ProbeAnswer[] = [];
  private readonly tail: LogTail;
  private resources: ResourceSample[] = [];
  private bGone = false;
  private readonly stop = new AbortController();
  private readonly loops: Promise<void>[] = [];
  private probing = false;

  private constructor(private readonly options: LiveOptions) {
    this.tail = new LogTail(options.accessLog);
  }

  /** Starts reading after what the log holds now, and starts sampling B. */
  static async open(options: LiveOptions): Promise<LiveSource> {
    if (!(await stat(options.accessLog).then((s) => s.isFile(), () => false))) {
      throw new StepError('deploy.no_access_log', `The access log ${options.accessLog} does not exist: nginx writes it once the location that proxies to the upstream says \`access_log ${options.accessLog} arq_deploy;\``);
    }
    const source = new LiveSource(options);
    await source.tail.skipToEnd();
    await primeSi();
    source.loops.push(source.sampleResources());
    return source;
  }

  now(): number {
    return Date.now();
  }

  async wait(ms: number): Promise<void> {
    await delay(ms, undefined, { signal: this.options.signal });
  }

  async poll(): Promise<{ samples: Sample[]; resources: ResourceSample[] }> {
    if (this.bGone) throw new StepError('deploy.b_gone', `B is not running any more (pid ${this.options.bPid} exited)`);
    const lines = await this.tail.read();
    const samples = samplesOf(lines.map(parseLogLine), this.options.who);
    const resources = this.resources;
    this.resources = [];
    return { samples, resources };
  }

  startProbes(): void {
    if (this.probing || this.options.watch.probe_rps <= 0) return;
    this.probing = true;
    this.loops.push(this.sendProbes());
  }

  /** Stops sampling and probing, and waits until both have ended. */
  async close(): Promise<void> {
    this.stop.abort();
    await Promise.allSettled(this.loops);
  }

  private get signal(): AbortSignal {
    return AbortSignal.any([this.stop.signal, this.options.signal]);
  }

  private async sampleResources(): Promise<void> {
    const { signal } = this;
    for (let i = 0; i < 1_000_000 && !signal.aborted; i++) {
      const sample = await sampleTree(this.options.bPid);
      if (!sample) {
        this.bGone = true;
        return;
      }
      this.resources.push(sample);
      await delay(this.options.watch.resource_interval_ms, undefined, { signal }).catch(() => undefined);
    }
  }

  private async sendProbes(): Promise<void> {
    const { signal } = this;
    const { probe_rps: rps, max_probe_requests: max } = this.options.watch;
    const inFlight = new Set<Promise<void>>();
    for (let sent = 0; sent < max && !signal.aborted; sent++) {
      if (inFlight.size >= MAX_PROBES_IN_FLIGHT) await Promise.race(inFlight);
      const probe = probeOnce(this.options.probeUrl, 'watch', 5000, signal).then((answer) => void this.probeAnswers.push(answer));
      inFlight.add(probe);
      void probe.finally(() => inFlight.delete(probe));
      await delay(1000 / rps, undefined, { signal }).catch(() => undefined);
    }
    await Promise.allSettled(inFlight);
  }
}
