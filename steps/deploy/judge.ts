/**
 * The canary verdict: B is judged against the thresholds on its own samples (never on the
 * aggregate, where a B failing 5% of its 10% share shows as 0.5%), with A's figures alongside as
 * the baseline. Pure, so the real watch and the rehearsal judge with the very same code.
 *
 * Rules, checked at every tick of a stage:
 * - memory: any sample of B's resident memory above `memory_critical_mb` is a breach;
 * - CPU: the mean of B's last two CPU samples above `cpu_critical_percent` (one spike is not);
 * - errors: a breach as soon as it is certain: B's errors over max(requests, min_requests) are
 *   above `error_rate_critical_percent`, so more successful requests could not bring it back;
 * - latency: once B has `min_requests` samples, p95 above `latency_p95_critical_ms`;
 * - at the end of the window: fewer than `min_requests` B requests is inconclusive (never a
 *   pass); a p95 above `latency_p95_target_ms` passes with a warning.
 *
 * @example
 * judge({ samples, resources: [] }, DEFAULT_THRESHOLDS, 20, true).status // 'pass'
 */
import type { Sample, Variant } from './access-log.js';

/** Limits B is held to; every one can be overridden in the workflow's inputs. */
export interface Thresholds {
  readonly latency_p95_target_ms: number;
  readonly latency_p95_critical_ms: number;
  readonly error_rate_critical_percent: number;
  readonly memory_critical_mb: number;
  readonly cpu_critical_percent: number;
}

/** The seed's monitoring table. */
export const DEFAULT_THRESHOLDS: Thresholds = {
  latency_p95_target_ms: 200,
  latency_p95_critical_ms: 300,
  error_rate_critical_percent: 0.5,
  memory_critical_mb: 30,
  cpu_critical_percent: 60,
};

/** B's process tree, measured once. */
export interface ResourceSample {
  readonly at: number;
  readonly cpu_percent: number;
  readonly rss_mb: number;
}

/** One side's figures over a stage so far. */
export interface VariantStats {
  readonly requests: number;
  readonly probe_requests: number;
  readonly errors: number;
  readonly error_rate_percent: number;
  readonly p50_ms: number | null;
  readonly p95_ms: number | null;
  readonly max_ms: number | null;
}

export type VerdictStatus = 'pending' | 'pass' | 'warn' | 'breach' | 'inconclusive';

export interface Verdict {
  readonly status: VerdictStatus;
  /** Why, in the words of the failure message: `B p95 412 ms > 300 ms critical`. */
  readonly reasons: readonly string[];
  readonly a: VariantStats;
  readonly b: VariantStats;
  /** B's highest resident memory and its latest CPU mean, when sampled. */
  readonly b_resources: { readonly max_rss_mb: number | null; readonly cpu_percent: number | null };
}

/** What has been observed in a stage so far. */
export interface StageObservations {
  readonly samples: readonly Sample[];
  readonly resources: readonly ResourceSample[];
}

/** A number as messages show it: at most `digits` decimals, no trailing zeros. */
export function shown(value: number, digits = 1): string {
  return String(Number(value.toFixed(digits)));
}

/** The nearest-rank percentile of sorted values (the value below which `p` percent fall). */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** One side's figures. */
export function variantStats(samples: readonly Sample[], variant: Variant): VariantStats {
  const own = samples.filter((s) => s.variant === variant);
  const errors = own.filter((s) => s.error).length;
  const latencies = own.flatMap((s) => (s.ms === null ? [] : [s.ms])).sort((x, y) => x - y);
  return {
    requests: own.length,
    probe_requests: own.filter((s) => s.probe).length,
    errors,
    error_rate_percent: own.length ? Number(((errors * 100) / own.length).toFixed(2)) : 0,
    p50_ms: percentile(latencies, 50),
    p95_ms: percentile(latencies, 95),
    max_ms: latencies.at(-1) ?? null,
  };
}

function memoryBreach(resources: readonly ResourceSample[], limits: Thresholds): string | undefined {
  const max = Math.max(...resources.map((r) => r.rss_mb));
  return max > limits.memory_critical_mb ? `B memory ${shown(max)} MB > ${shown(limits.memory_critical_mb)} MB critical` : undefined;
}

function cpuMean(resources: readonly ResourceSample[]): number | null {
  const last = resources.slice(-2);
  return last.length < 2 ? null : (last[0]!.cpu_percent + last[1]!.cpu_percent) / 2;
}

function cpuBreach(resources: readonly ResourceSample[], limits: Thresholds): string | undefined {
  const mean = cpuMean(resources);
  return mean !== null && mean > limits.cpu_critical_percent ? `B CPU ${shown(mean)}% > ${shown(limits.cpu_critical_percent)}% critical` : undefined;
}

function errorBreach(b: VariantStats, limits: Thresholds, minRequests: number): string | undefined {
  const bestCase = (b.errors * 100) / Math.max(b.requests, minRequests);
  if (b.errors === 0 || bestCase <= limits.error_rate_critical_percent) return undefined;
  return `B error rate ${shown(b.error_rate_percent, 2)}% > ${shown(limits.error_rate_critical_percent, 2)}% critical (${b.errors} of ${b.requests} requests)`;
}

function latencyBreach(b: VariantStats, limits: Thresholds, minRequests: number): string | undefined {
  if (b.requests < minRequests || b.p95_ms === null || b.p95_ms <= limits.latency_p95_critical_ms) return undefined;
  return `B p95 ${b.p95_ms} ms > ${limits.latency_p95_critical_ms} ms critical`;
}

/**
 * The verdict on a stage so far. `final` is true at the end of its window: only then can it pass
 * (or be inconclusive); before, it is `pending` unless a breach is already certain.
 */
export function judge(seen: StageObservations, limits: Thresholds, minRequests: number, final: boolean): Verdict {
  const a = variantStats(seen.samples, 'A');
  const b = variantStats(seen.samples, 'B');
  const cpu = cpuMean(seen.resources);
  const b_resources = { max_rss_mb: seen.resources.length ? Math.max(...seen.resources.map((r) => r.rss_mb)) : null, cpu_percent: cpu === null ? null : Number(cpu.toFixed(1)) };
  const verdict = (status: VerdictStatus, reasons: string[] = []): Verdict => ({ status, reasons, a, b, b_resources });
  const breaches = [memoryBreach(seen.resources, limits), cpuBreach(seen.resources, limits), errorBreach(b, limits, minRequests), latencyBreach(b, limits, minRequests)];
  const reasons = breaches.filter((r): r is string => r !== undefined);
  if (reasons.length) return verdict('breach', reasons);
  if (!final) return verdict('pending');
  if (b.requests < minRequests) return verdict('inconclusive', [`inconclusive: B answered ${b.requests} of the ${minRequests} requests needed`]);
  if (b.p95_ms !== null && b.p95_ms > limits.latency_p95_target_ms) return verdict('warn', [`B p95 ${b.p95_ms} ms > ${limits.latency_p95_target_ms} ms target`]);
  return verdict('pass');
}
