/**
 * The `canary.watch` step: watches one canary stage (watch-loop.ts) on real traffic, or on a
 * simulated stream in a rehearsal, and writes its raw samples, B's CPU and memory, the probe
 * answers and the verdict (with the thresholds and the revision) into the evidence. A breach or
 * an inconclusive stage fails the step with the reason, e.g. `stage 10%: B p95 412 ms > 300 ms
 * critical`, and records it as the rollback's trigger.
 *
 * @example
 * - uses: canary.watch
 *   with: { stage: "${{ item }}", revision: "${{ steps.shift.outputs.revision }}", a: ..., b: ..., nginx: ..., thresholds: ..., watch: ... }
 */
import { StepError, type StepContext, type StepType } from '../contract.js';
import { confine } from '../os/fs-paths.js';
import { findService } from '../os/services.js';
import { Evidence, ordinal, slug, type Trigger } from './evidence.js';
import { DEFAULT_THRESHOLDS, type Thresholds } from './judge.js';
import { LiveSource } from './live-source.js';
import { DEFAULT_NGINX, DEFAULT_WATCH, nginxSchema, REHEARSAL_STREAMS, thresholdsSchema, watchSchema, type NginxSettings, type RehearsalStream, type Stage, type WatchSettings } from './settings.js';
import { SimulatedSource } from './simulate.js';
import { watchStage, type StageOutcome, type StageSource } from './watch-loop.js';

export interface WatchInput {
  readonly stage: Stage;
  readonly revision: number;
  readonly a: string;
  readonly b: string;
  /** B's service name (process.start), for its pid. */
  readonly b_service: string;
  readonly nginx?: Partial<NginxSettings>;
  readonly thresholds?: Partial<Thresholds>;
  readonly watch?: Partial<WatchSettings>;
  readonly rehearse?: boolean;
  readonly rehearsal?: RehearsalStream | null;
}

async function liveSource(input: WatchInput, nginx: NginxSettings, watch: WatchSettings, ctx: StepContext): Promise<LiveSource> {
  const found = await findService({ name: input.b_service }, ctx);
  if (!found) throw new StepError('deploy.b_gone', `B (service ${input.b_service}) was never started`);
  if (!found.running) throw new StepError('deploy.b_gone', `B is not running any more (pid ${found.pid} exited)`);
  const accessLog = await confine(nginx.access_log, ctx);
  return LiveSource.open({ accessLog, who: { a: input.a, b: input.b, revision: input.revision }, bPid: found.pid, probeUrl: new URL(nginx.probe_url), watch, signal: ctx.signal });
}

/** Connection failures of probes, by class: resets during a reload are not application errors. */
function connectionFailures(source: StageSource | undefined): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const answer of source instanceof LiveSource ? source.probeAnswers : []) if (answer.failure) counts[answer.failure] = (counts[answer.failure] ?? 0) + 1;
  return counts;
}

/** What the stage's files record beside the outcome. */
interface StageNotes {
  readonly thresholds: Thresholds;
  readonly watch: WatchSettings;
  /** Why the stage ended without a verdict, and whether it was stopped (cancel, timeout) rather than failed. */
  readonly error?: string;
  readonly stopped: boolean;
}

async function writeStage(evidence: Evidence, input: WatchInput, source: StageSource | undefined, outcome: StageOutcome | undefined, notes: StageNotes): Promise<void> {
  const folder = `stages/${ordinal(input.stage.index)}-${slug(input.stage.name)}`;
  await evidence.writeLines(`${folder}/samples.jsonl`, outcome?.samples ?? []);
  await evidence.writeLines(`${folder}/resources.jsonl`, outcome?.resources ?? []);
  if (source instanceof LiveSource) await evidence.writeLines(`${folder}/probes.jsonl`, source.probeAnswers);
  const { samples: _samples, resources: _resources, ...summary } = outcome ?? ({} as Partial<StageOutcome>);
  await evidence.writeJson(`${folder}/verdict.json`, { stage: input.stage, revision: input.revision, rehearsed: input.rehearse === true, ...summary, connection_failures: connectionFailures(source), ...notes });
  const status = outcome?.verdict.status ?? (notes.stopped ? 'stopped' : 'failed');
  await evidence.event({ kind: 'stage', stage: input.stage.name, folder, revision: input.revision, status, reasons: outcome?.verdict.reasons ?? [], error: notes.error });
}

interface Observed {
  readonly outcome?: StageOutcome;
  readonly source?: StageSource;
  /** Why the stage ended without a verdict: stopped (cancel, timeout), B gone, no access log. */
  readonly stopped?: string;
  readonly failed?: { readonly reason: string; readonly source: Trigger['source'] };
}

/** Watches the stage from its source, which is closed however the watch ends. */
async function observe(input: WatchInput, options: Parameters<typeof watchStage>[1], ctx: StepContext): Promise<Observed> {
  let source: StageSource | undefined;
  try {
    source = input.rehearse ? new SimulatedSource(input.rehearsal ?? 'healthy', input.stage, options.watch) : await liveSource(input, { ...DEFAULT_NGINX, ...input.nginx }, options.watch, ctx);
    return { source, outcome: await watchStage(source, options) };
  } catch (error) {
    if (ctx.signal.aborted) return { source, stopped: `${input.stage.label}: the watch was stopped (cancel or timeout)` };
    if (!(error instanceof StepError)) throw error;
    return { source, failed: { reason: `${input.stage.label}: ${error.message}`, source: error.code === 'deploy.b_gone' ? 'breach' : 'failure' } };
  } finally {
    if (source instanceof LiveSource) await source.close();
  }
}

async function watch(input: WatchInput, ctx: StepContext): Promise<Record<string, unknown>> {
  const settings = { ...DEFAULT_WATCH, ...input.watch };
  const thresholds = { ...DEFAULT_THRESHOLDS, ...input.thresholds };
  const evidence = await Evidence.open(ctx);
  const result = await observe(input, { windowMs: input.stage.watch_ms, thresholds, watch: settings }, ctx);
  const { outcome, source } = result;
  await writeStage(evidence, input, source, outcome, { thresholds, watch: settings, error: result.stopped ?? result.failed?.reason, stopped: result.stopped !== undefined });
  const trigger = triggerOf(input, result);
  if (trigger === undefined) return { status: outcome!.verdict.status, reasons: outcome!.verdict.reasons, a: outcome!.verdict.a, b: outcome!.verdict.b, extensions: outcome!.extensions };
  await evidence.trigger(trigger);
  throw new StepError(result.stopped ? 'deploy.stopped' : 'deploy.breach', trigger.reason);
}

/** The rollback's trigger when the stage did not pass; undefined when it did. */
function triggerOf(input: WatchInput, { outcome, stopped, failed }: Observed): Trigger | undefined {
  const at = input.rehearse ? Date.now() : (outcome?.ended_at ?? Date.now());
  if (stopped) return { at, source: 'cancel', reason: stopped };
  if (failed) return { at, ...failed };
  const reason = failureOf(input, outcome!);
  return reason === undefined ? undefined : { at, source: outcome!.verdict.status === 'inconclusive' ? 'inconclusive' : 'breach', reason };
}

function failureOf(input: WatchInput, outcome: StageOutcome): string | undefined {
  const { status, reasons } = outcome.verdict;
  if (status === 'breach') return `${input.stage.label}: ${reasons.join('; ')}`;
  if (status !== 'inconclusive') return undefined;
  const seconds = Math.round((outcome.ended_at - outcome.started_at) / 1000);
  return `${input.stage.label}: ${reasons.join('; ')} in ${seconds} s (${outcome.extensions} extension${outcome.extensions === 1 ? '' : 's'})`;
}

const stageSchema = {
  type: 'object', required: ['index', 'name', 'label', 'weight', 'watch_ms'],
  description: 'A stage as deploy.plan lists it.',
  properties: { index: { type: 'integer', minimum: 1 }, name: { type: 'string' }, label: { type: 'string' }, weight: { type: 'integer', minimum: 1, maximum: 100 }, watch_ms: { type: 'integer', minimum: 1 } },
} as const;

export const canaryWatch: StepType<WatchInput> = {
  type: 'canary.watch',
  description: 'Watches a canary stage: B\'s error rate, p95 latency, CPU and memory against the thresholds (A as the baseline); fails at once on a breach.',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['stage', 'revision', 'a', 'b', 'b_service'],
    properties: {
      stage: stageSchema,
      revision: { type: 'integer', minimum: 1, description: 'The revision traffic.split made live: only requests it served count.' },
      a: { type: 'string', description: 'A\'s host:port.' },
      b: { type: 'string', description: 'B\'s host:port.' },
      b_service: { type: 'string', description: 'B\'s service name (process.start), whose process tree is measured.' },
      nginx: nginxSchema, thresholds: thresholdsSchema, watch: watchSchema,
      rehearse: { type: 'boolean', default: false, description: 'A rehearsal: watch a simulated stream.' },
      rehearsal: { enum: [...REHEARSAL_STREAMS, null], description: 'The simulated stream.' },
    },
  },
  output: {
    type: 'object',
    properties: {
      status: { enum: ['pass', 'warn'], description: 'warn: B\'s p95 was above its target, not its critical limit.' },
      reasons: { type: 'array', items: { type: 'string' } },
      a: { type: 'object', description: 'A\'s figures (requests, errors, error_rate_percent, p50_ms, p95_ms, max_ms).' },
      b: { type: 'object', description: 'B\'s figures.' },
      extensions: { type: 'integer' },
    },
  },
  run: watch,
};
