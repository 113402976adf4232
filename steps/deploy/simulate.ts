/**
 * The simulated metric streams of a rehearsal: users' requests at a steady rate, split between
 * A and B by the stage's weight as nginx's weighted round robin splits them, with latencies,
 * errors and B's CPU and memory drawn from a seeded generator, so a rehearsal gives the same
 * verdicts every time. Its clock jumps instead of waiting: a 30 s window takes no time.
 *
 * Streams: `healthy` (B like A), `latency_spike` (B answers in ~380-470 ms), `error_burst` (B
 * fails one request in 12), `zero_traffic` (no request reaches the access log, probes included),
 * `failed_reload` (handled by traffic.split: the reload towards B is never applied).
 *
 * @example
 * const source = new SimulatedSource('latency_spike', { weight: 10, index: 1 }, watch);
 * const outcome = await watchStage(source, { windowMs: 30000, thresholds, watch });
 */
import type { Sample, Variant } from './access-log.js';
import type { ResourceSample } from './judge.js';
import type { RehearsalStream, WatchSettings } from './settings.js';
import type { StageSource } from './watch-loop.js';

/** Users' requests per second reaching nginx in the simulation. */
export const SIMULATED_RPS = 40;
/** One B request in this many fails in the `error_burst` stream. */
const ERROR_EVERY = 12;

/** A small seeded generator (mulberry32): the same seed gives the same numbers. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class SimulatedSource implements StageSource {
  private clock: number;
  private polled: number;
  private readonly start: number;
  private readonly random: () => number;
  private requests = 0;
  private bRequests = 0;
  private probing = false;
  private probesSent = 0;
  private nextResource: number;

  constructor(
    private readonly stream: RehearsalStream,
    private readonly stage: { readonly weight: number; readonly index: number },
    private readonly watch: WatchSettings,
    start = Date.now(),
  ) {
    this.start = start;
    this.clock = start;
    this.polled = start;
    this.nextResource = start;
    this.random = seeded(stage.index * 7919);
  }

  now(): number {
    return this.clock;
  }

  async wait(ms: number): Promise<void> {
    this.clock += ms;
  }

  startProbes(): void {
    this.probing = true;
  }

  async poll(): Promise<{ samples: Sample[]; resources: ResourceSample[] }> {
    const samples = this.stream === 'zero_traffic' ? [] : this.arrivals(this.polled, this.clock);
    const resources: ResourceSample[] = [];
    for (; this.nextResource <= this.clock; this.nextResource += this.watch.resource_interval_ms) {
      resources.push({ at: this.nextResource, cpu_percent: Number((4 + this.random() * 6).toFixed(1)), rss_mb: Number((21 + this.random() * 3).toFixed(1)) });
    }
    this.polled = this.clock;
    return { samples, resources };
  }

  /** The times in (from, to] of a steady stream of `rps` that began at the stage's start. */
  private times(from: number, to: number, rps: number): number[] {
    const step = 1000 / rps;
    const times: number[] = [];
    for (let k = Math.floor((from - this.start) / step) + 1; this.start + k * step <= to; k++) times.push(Math.round(this.start + k * step));
    return times;
  }

  /** Users' requests (and probes, once started) arriving in (from, to]. */
  private arrivals(from: number, to: number): Sample[] {
    const samples = this.times(from, to, SIMULATED_RPS).map((at) => this.request(at, false));
    if (!this.probing || this.watch.probe_rps <= 0) return samples;
    const probes = this.times(from, to, this.watch.probe_rps).slice(0, Math.max(0, this.watch.max_probe_requests - this.probesSent));
    this.probesSent += probes.length;
    return [...samples, ...probes.map((at) => this.request(at, true))].sort((x, y) => x.at - y.at);
  }

  /** Weighted round robin as nginx does it: B gets exactly `weight` of every 100 requests, spread out. */
  private request(at: number, probe: boolean): Sample {
    const i = this.requests++;
    const toB = Math.floor(((i + 1) * this.stage.weight) / 100) > Math.floor((i * this.stage.weight) / 100);
    const variant: Variant = toB ? 'B' : 'A';
    const failing = toB && this.stream === 'error_burst' && ++this.bRequests % ERROR_EVERY === 0;
    const ms = Math.round(variant === 'B' && this.stream === 'latency_spike' ? 380 + this.random() * 90 : 12 + this.random() * 24);
    return { at, variant, status: failing ? 500 : 200, ms, error: failing, probe };
  }
}
