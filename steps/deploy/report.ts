/**
 * The `deploy.report` step: reads the evidence of the run and writes `summary.md`, a report a
 * person reads to learn what happened: the outcome and its reason, the plan and thresholds, the
 * timeline, each stage's figures for B and A, and the rollback with its timing. It runs in
 * `finally:`, whatever happened.
 *
 * @example
 * - uses: deploy.report
 *   with: { status: "${{ run.status }}", error: "${{ run.error }}" }
 */
import type { StepContext, StepType } from '../contract.js';
import { Evidence, type TimelineEvent, type Trigger } from './evidence.js';
import type { Plan } from './plan.js';
import { stageTable, timelineRows, type StageRow } from './report-tables.js';

export interface ReportInput {
  readonly status: string;
  readonly error?: string | null;
  /** process.stop's outputs for B, when it ran. */
  readonly b_stop?: Record<string, unknown> | null;
}

export type Outcome = 'promoted' | 'rolled back' | 'rollback failed' | 'failed' | 'cancelled';

interface Rollback {
  readonly breach_to_a_ms: number;
  readonly revision: number;
  readonly trigger: Trigger;
}

/** What the deployment came to. */
export function outcomeOf(status: string, rollback: Rollback | undefined, timeline: readonly TimelineEvent[]): Outcome {
  if (status === 'succeeded') return 'promoted';
  if (rollback) return 'rolled back';
  if (timeline.some((e) => e.kind === 'split.failed' && e['label'] === 'rollback')) return 'rollback failed';
  return status === 'cancelled' ? 'cancelled' : 'failed';
}

function planLines(plan: Plan | undefined): string[] {
  if (!plan) return ['No plan: the inputs were refused before anything ran.'];
  const t = plan.thresholds;
  return [
    `- A: ${plan.a}; B: ${plan.b.address} (service ${plan.b.name})`,
    `- Phases: ${plan.phases.length ? plan.phases.map((p) => p.name).join(', ') : 'none'}`,
    `- Stages: ${plan.stages.map((s) => `${s.name} for ${s.watch_ms / 1000} s`).join(' -> ')}`,
    `- Thresholds for B: p95 target ${t.latency_p95_target_ms} ms, critical ${t.latency_p95_critical_ms} ms; error rate critical ${t.error_rate_critical_percent}%; memory critical ${t.memory_critical_mb} MB; CPU critical ${t.cpu_critical_percent}%`,
    `- Watch: at least ${plan.watch.min_requests} B requests per stage, judged every ${plan.watch.interval_ms} ms, up to ${plan.watch.max_extensions} extensions with ${plan.watch.probe_rps} probe requests/s`,
  ];
}

function rollbackLines(rollback: Rollback | undefined, outcome: Outcome, bStop: ReportInput['b_stop']): string[] {
  if (outcome === 'promoted') return [];
  const lines = ['', '## Rollback', ''];
  if (rollback) {
    lines.push(`- Trigger (${rollback.trigger.source}) at ${new Date(rollback.trigger.at).toISOString()}: ${rollback.trigger.reason}`);
    lines.push(`- Traffic back on A: revision ${rollback.revision} proven live ${rollback.breach_to_a_ms} ms after the trigger`);
  } else {
    lines.push(outcome === 'rollback failed' ? '- **The rollback failed: traffic may still reach B. See the timeline and splits/.**' : '- No rollback was needed: no traffic had been moved, or nothing ran.');
  }
  if (bStop?.['outcome']) lines.push(`- B stopped: ${bStop['outcome']}${bStop['pid'] ? ` (pid ${bStop['pid']})` : ''}`);
  return lines;
}

async function writeSummary(input: ReportInput, ctx: StepContext): Promise<Record<string, unknown>> {
  const evidence = await Evidence.open(ctx);
  const [plan, rollback, trigger, timeline] = await Promise.all([
    evidence.readJson<Plan>('plan.json'), evidence.readJson<Rollback>('rollback.json'), evidence.readJson<Trigger>('trigger.json'), evidence.timeline(),
  ]);
  const outcome = outcomeOf(input.status, rollback, timeline);
  const reason = outcome === 'promoted' ? null : (trigger?.reason ?? input.error ?? null);
  const stages = await Promise.all(timeline.filter((e) => e.kind === 'stage').map((e) => stageVerdict(evidence, e)));
  const rehearsal = plan?.rehearse ? ` (rehearsal, simulated stream "${plan.rehearsal}": nginx was not touched, nothing was started)` : '';
  const text = [
    `# Deployment ${ctx.run.id}: ${outcome}${rehearsal}`, '',
    reason ? `Reason: ${reason}` : 'B was promoted: it serves 100% of the traffic; A gets none and can be retired.', '',
    '## Plan', '', ...planLines(plan), '',
    '## Stages', '', ...stageTable(stages), '',
    '## Timeline (UTC)', '', ...timelineRows(timeline),
    ...rollbackLines(rollback, outcome, input.b_stop), '',
    `Evidence: ${evidence.dir} (plan.json, timeline.jsonl, splits/, stages/*/samples.jsonl and verdict.json, trigger.json, rollback.json).`, '',
  ].join('\n');
  const summary = await evidence.writeText('summary.md', text);
  await evidence.event({ kind: 'report', outcome });
  ctx.log('info', `${outcome}${reason ? `: ${reason}` : ''}; summary: ${summary}`);
  return { outcome, reason, summary, evidence_dir: evidence.dir, breach_to_a_ms: rollback?.breach_to_a_ms ?? null, rehearsed: plan?.rehearse === true };
}

/** A stage's figures, from the verdict file the timeline points at. */
async function stageVerdict(evidence: Evidence, event: TimelineEvent): Promise<StageRow> {
  const file = await evidence.readJson<{ verdict?: StageRow['verdict']; extensions?: number }>(`${String(event['folder'])}/verdict.json`);
  return { name: String(event['stage']), revision: Number(event['revision']), status: String(event['status']), verdict: file?.verdict, extensions: file?.extensions ?? 0 };
}

export const deployReport: StepType<ReportInput> = {
  type: 'deploy.report',
  description: 'Writes the deployment\'s summary report (markdown) from its evidence: outcome, reason, stages, timeline, rollback.',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['status'],
    properties: {
      status: { type: 'string', description: 'The run\'s status so far (pass ${{ run.status }}).' },
      error: { type: ['string', 'null'], description: 'The run\'s error, if any (pass ${{ run.error }}).' },
      b_stop: { type: ['object', 'null'], description: 'The outputs of the process.stop that stopped B.' },
    },
  },
  output: {
    type: 'object',
    properties: {
      outcome: { enum: ['promoted', 'rolled back', 'rollback failed', 'failed', 'cancelled'] },
      reason: { type: ['string', 'null'], description: 'Why it did not promote, e.g. `stage 10%: B p95 412 ms > 300 ms critical`.' },
      summary: { type: 'string', description: 'The summary.md file.' },
      evidence_dir: { type: 'string' },
      breach_to_a_ms: { type: ['integer', 'null'], description: 'Milliseconds from the trigger to traffic proven back on A.' },
      rehearsed: { type: 'boolean' },
    },
  },
  run: writeSummary,
};
