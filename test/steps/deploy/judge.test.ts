import { describe, expect, it } from 'vitest';
import type { Sample } from '../../../steps/deploy/access-log.js';
import { DEFAULT_THRESHOLDS, judge, percentile, variantStats, type ResourceSample } from '../../../steps/deploy/judge.js';
import { DEFAULT_WATCH } from '../../../steps/deploy/settings.js';
import { SimulatedSource } from '../../../steps/deploy/simulate.js';
import { watchStage } from '../../../steps/deploy/watch-loop.js';

const sample = (variant: 'A' | 'B', ms: number, status = 200): Sample => ({ at: 0, variant, status, ms, error: status >= 500, probe: false });
const many = (n: number, variant: 'A' | 'B', ms: number, status = 200) => Array.from({ length: n }, () => sample(variant, ms, status));
const resource = (cpu_percent: number, rss_mb: number): ResourceSample => ({ at: 0, cpu_percent, rss_mb });

describe('the canary verdict', () => {
  it('takes the nearest-rank percentile', () => {
    const values = Array.from({ length: 20 }, (_, i) => i + 1);
    expect([percentile(values, 50), percentile(values, 95), percentile([7], 95), percentile([], 95)]).toEqual([10, 19, 7, null]);
  });

  it('judges B on its own requests: 5% failures at a 10% share is 0.5% overall, yet a breach', () => {
    // 2,000 requests: 1,800 to A (all fine), 200 to B of which 10 fail.
    const samples = [...many(1800, 'A', 10), ...many(190, 'B', 12), ...many(10, 'B', 12, 500)];
    const overall = (10 * 100) / samples.length;
    expect(overall).toBe(0.5);
    const verdict = judge({ samples, resources: [] }, DEFAULT_THRESHOLDS, 20, false);
    expect(verdict.status).toBe('breach');
    expect(verdict.reasons).toEqual(['B error rate 5% > 0.5% critical (10 of 200 requests)']);
    expect(verdict.a).toEqual({ requests: 1800, probe_requests: 0, errors: 0, error_rate_percent: 0, p50_ms: 10, p95_ms: 10, max_ms: 10 });
  });

  it('calls an error breach as soon as no number of good requests up to min_requests could undo it', () => {
    // One error in 3 requests with 20 needed: at best 1 in 20 = 5%, above 0.5%.
    expect(judge({ samples: [...many(2, 'B', 5), sample('B', 5, 502)], resources: [] }, DEFAULT_THRESHOLDS, 20, false).reasons).toEqual([
      'B error rate 33.33% > 0.5% critical (1 of 3 requests)',
    ]);
    // With a 10% limit, one error in 3 may still end as 1 in 20 = 5%: not yet a breach.
    expect(judge({ samples: [...many(2, 'B', 5), sample('B', 5, 502)], resources: [] }, { ...DEFAULT_THRESHOLDS, error_rate_critical_percent: 10 }, 20, false).status).toBe('pending');
  });

  it('judges p95 only once B has min_requests samples', () => {
    expect(judge({ samples: many(19, 'B', 412), resources: [] }, DEFAULT_THRESHOLDS, 20, false).status).toBe('pending');
    const breach = judge({ samples: many(20, 'B', 412), resources: [] }, DEFAULT_THRESHOLDS, 20, false);
    expect(breach.reasons).toEqual(['B p95 412 ms > 300 ms critical']);
  });

  it('breaks on B\'s memory at once, and on its CPU only when two samples in a row average above the limit', () => {
    const fine = many(20, 'B', 10);
    expect(judge({ samples: fine, resources: [resource(5, 31.2)] }, DEFAULT_THRESHOLDS, 20, false).reasons).toEqual(['B memory 31.2 MB > 30 MB critical']);
    expect(judge({ samples: fine, resources: [resource(5, 20), resource(95, 20)] }, DEFAULT_THRESHOLDS, 20, false).status).toBe('pending');
    expect(judge({ samples: fine, resources: [resource(5, 20), resource(95, 20), resource(70, 20)] }, DEFAULT_THRESHOLDS, 20, false).reasons).toEqual(['B CPU 82.5% > 60% critical']);
  });

  it('at the end of the window: too few B requests is inconclusive, never a pass; a p95 above target passes with a warning', () => {
    expect(judge({ samples: [...many(500, 'A', 5), ...many(19, 'B', 5)], resources: [] }, DEFAULT_THRESHOLDS, 20, true)).toMatchObject({
      status: 'inconclusive', reasons: ['inconclusive: B answered 19 of the 20 requests needed'],
    });
    expect(judge({ samples: many(20, 'B', 250), resources: [resource(10, 20), resource(12, 22)] }, DEFAULT_THRESHOLDS, 20, true)).toEqual({
      status: 'warn', reasons: ['B p95 250 ms > 200 ms target'],
      a: variantStats([], 'A'), b: { requests: 20, probe_requests: 0, errors: 0, error_rate_percent: 0, p50_ms: 250, p95_ms: 250, max_ms: 250 },
      b_resources: { max_rss_mb: 22, cpu_percent: 11 },
    });
    expect(judge({ samples: many(20, 'B', 20), resources: [] }, DEFAULT_THRESHOLDS, 20, true).status).toBe('pass');
  });
});

describe('a stage watched on a simulated stream', () => {
  const watch = { ...DEFAULT_WATCH };
  const stage = { weight: 10, index: 1 };

  it('passes a healthy B after its whole window, B getting exactly its share', async () => {
    const source = new SimulatedSource('healthy', stage, watch, 1_000_000);
    const outcome = await watchStage(source, { windowMs: 30_000, thresholds: DEFAULT_THRESHOLDS, watch });
    expect(outcome.verdict.status).toBe('pass');
    expect([outcome.verdict.a.requests, outcome.verdict.b.requests, outcome.ended_at - outcome.started_at, outcome.ticks]).toEqual([1080, 120, 30_000, 121]);
  });

  it('stops at the first tick where B\'s p95 breaks the limit, with the same figures every time', async () => {
    const run = () => watchStage(new SimulatedSource('latency_spike', stage, watch, 1_000_000), { windowMs: 30_000, thresholds: DEFAULT_THRESHOLDS, watch });
    const [first, second] = [await run(), await run()];
    expect(first.verdict.reasons).toEqual(second.verdict.reasons);
    expect(first.verdict.status).toBe('breach');
    expect(first.verdict.b.requests).toBe(20);
    expect(first.ended_at - first.started_at).toBe(5000);
    expect(first.verdict.reasons).toEqual(['B p95 461 ms > 300 ms critical']);
  });

  it('fails B at its first error in the error_burst stream: one in 12', async () => {
    const outcome = await watchStage(new SimulatedSource('error_burst', stage, watch, 1_000_000), { windowMs: 30_000, thresholds: DEFAULT_THRESHOLDS, watch });
    expect([outcome.verdict.reasons, outcome.ended_at - outcome.started_at]).toEqual([['B error rate 8.33% > 0.5% critical (1 of 12 requests)'], 3000]);
  });

  it('extends a window without traffic twice, then gives up as inconclusive', async () => {
    const outcome = await watchStage(new SimulatedSource('zero_traffic', stage, watch, 1_000_000), { windowMs: 10_000, thresholds: DEFAULT_THRESHOLDS, watch });
    expect([outcome.verdict.status, outcome.extensions, outcome.ended_at - outcome.started_at]).toEqual(['inconclusive', 2, 30_000]);
  });

  it('reaches min_requests with probe traffic when users are too few', async () => {
    const short = { ...watch, probe_rps: 50 };
    // 40 user requests per second for 0.2 s: 0.8 B requests at 10%, then 5 B probes per second.
    const outcome = await watchStage(new SimulatedSource('healthy', stage, short, 1_000_000), { windowMs: 200, thresholds: DEFAULT_THRESHOLDS, watch: { ...short, max_extensions: 30 } });
    expect(outcome.verdict.status).toBe('pass');
    expect([outcome.verdict.b.requests, outcome.verdict.b.probe_requests, outcome.extensions, outcome.ended_at - outcome.started_at]).toEqual([20, 11, 11, 2400]);
  });
});
