/**
 * One stage's watch as a loop over ticks, the same for real traffic and for a rehearsal: only the
 * clock and the source of samples differ (the rehearsal's clock jumps instead of waiting). At
 * each tick the new samples are judged (judge.ts); a breach ends the stage at once; at the end
 * of the window a stage without enough B requests is extended, with probe traffic, up to
 * `max_extensions` times, and is inconclusive after that.
 *
 * @example
 * const outcome = await watchStage(source, { windowMs: 30000, thresholds, watch });
 * if (outcome.verdict.status === 'breach') rollback(outcome.verdict.reasons);
 */
import type { Sample } from './access-log.js';
import { judge, type ResourceSample, type Thresholds, type Verdict } from './judge.js';
import type { WatchSettings } from './settings.js';

/** Where a stage's observations come from, and its clock. */
export interface StageSource {
  /** Epoch milliseconds, real or simulated. */
  now(): number;
  /** Waits `ms` (a rehearsal's clock just moves on); rejects when the step is stopped. */
  wait(ms: number): Promise<void>;
  /** What arrived since the last call. */
  poll(): Promise<{ samples: Sample[]; resources: ResourceSample[] }>;
  /** Starts probe traffic (an extension needs requests). */
  startProbes(): void;
}

export interface WatchOptions {
  readonly windowMs: number;
  readonly thresholds: Thresholds;
  readonly watch: WatchSettings;
}

/** How a stage ended, with everything it saw. */
export interface StageOutcome {
  readonly verdict: Verdict;
  readonly started_at: number;
  readonly ended_at: number;
  readonly extensions: number;
  readonly ticks: number;
  readonly samples: readonly Sample[];
  readonly resources: readonly ResourceSample[];
}

/** Watches until a verdict other than pending; the tick count is bounded by the longest window. */
export async function watchStage(source: StageSource, options: WatchOptions): Promise<StageOutcome> {
  const { windowMs, thresholds, watch } = options;
  const started = source.now();
  const samples: Sample[] = [];
  const resources: ResourceSample[] = [];
  let end = started + windowMs;
  let extensions = 0;
  const maxTicks = Math.ceil((windowMs * (watch.max_extensions + 1)) / watch.interval_ms) + 2;
  for (let ticks = 1; ; ticks++) {
    const fresh = await source.poll();
    samples.push(...fresh.samples);
    resources.push(...fresh.resources);
    const final = source.now() >= end || ticks >= maxTicks;
    const verdict = judge({ samples, resources }, thresholds, watch.min_requests, final);
    const outcome = { verdict, started_at: started, ended_at: source.now(), extensions, ticks, samples, resources };
    if (verdict.status === 'breach') return outcome;
    if (final && verdict.status === 'inconclusive' && extensions < watch.max_extensions) {
      extensions += 1;
      end += windowMs;
      source.startProbes();
    } else if (final) {
      return outcome;
    }
    await source.wait(Math.max(1, Math.min(watch.interval_ms, end - source.now())));
  }
}
