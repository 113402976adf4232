/**
 * The `traffic.split` step: gives B `weight` percent of the traffic. It renders the include
 * (nginx-config.ts) with a new revision, writes it atomically, checks it with the test command
 * (restoring the previous file if nginx rejects it), reloads, and proves the revision live
 * (proof.ts) before it returns: only then does a stage's watch start. With `rollback: true` it
 * also measures the time from the rollback's trigger to the moment traffic was proven back on A.
 *
 * In a rehearsal nothing is written outside the evidence and no command runs: the rendered
 * config is kept, and the `failed_reload` stream makes the first split towards B fail as a
 * reload that nginx did not apply.
 *
 * @example
 * - uses: traffic.split
 *   with: { nginx: "${{ steps.plan.outputs.nginx }}", a: 127.0.0.1:8001, b: 127.0.0.1:8002, weight: 10, label: stage 10% }
 */
import { readFile } from 'node:fs/promises';
import { StepError, type StepContext, type StepType } from '../contract.js';
import { confine } from '../os/fs-paths.js';
import { writeAtomic } from '../os/atomic.js';
import { describeFailure, runArgv, type CommandResult } from './command.js';
import { Evidence, ordinal, slug, type Trigger } from './evidence.js';
import { liveServers, renderUpstream, revisionOf } from './nginx-config.js';
import { describeUnproven, proveLive, type Proof } from './proof.js';
import { DEFAULT_NGINX, nginxSchema, REHEARSAL_STREAMS, type NginxSettings, type RehearsalStream } from './settings.js';

export interface SplitInput {
  readonly nginx?: Partial<NginxSettings>;
  readonly a: string;
  readonly b: string;
  readonly weight: number;
  readonly label: string;
  readonly reload?: boolean;
  readonly rollback?: boolean;
  /** Refuse to split when arq's include sends traffic anywhere but to A now (a baseline must not move traffic). */
  readonly expect_a_only?: boolean;
  /** Why the rollback happens (the run's error), when no deploy step recorded a trigger. */
  readonly reason?: string | null;
  readonly cancelled?: boolean;
  readonly rehearse?: boolean;
  readonly rehearsal?: RehearsalStream | null;
}

/** What one split did. */
interface SplitRecord {
  readonly revision: number;
  readonly weight: number;
  readonly label: string;
  readonly config: string;
  readonly test?: CommandResult;
  readonly reload?: CommandResult;
  readonly proof?: Omit<Proof, 'probes'> & { readonly probes: number };
  readonly live_at: number | null;
}

async function nextRevision(evidence: Evidence, current: string | undefined): Promise<number> {
  const splits = (await evidence.timeline()).filter((e) => e.kind === 'split');
  const last = Math.max(0, revisionOf(current) ?? 0, ...splits.map((e) => Number(e['revision'])));
  return last + 1;
}

/** Writes, tests and reloads; on a rejected config the previous file is put back. */
async function apply(nginx: NginxSettings, file: string, text: string, previous: string | undefined, reload: boolean, ctx: StepContext) {
  await writeAtomic(file, text);
  const test = await runArgv(nginx.test_command, ctx, nginx.command_timeout_ms);
  if (test.exit_code !== 0) {
    if (previous !== undefined) await writeAtomic(file, previous);
    return { test, failure: `the config was rejected, the previous one is back in place: ${describeFailure(test, nginx.command_timeout_ms)}` };
  }
  if (!reload) return { test };
  const reloaded = await runArgv(nginx.reload_command, ctx, nginx.command_timeout_ms);
  return { test, reload: reloaded, failure: reloaded.exit_code === 0 ? undefined : `the reload failed: ${describeFailure(reloaded, nginx.command_timeout_ms)}` };
}

function sideOf(input: SplitInput): string | undefined {
  return input.weight === 0 ? input.a : input.weight === 100 ? input.b : undefined;
}

/** A baseline finds A alone live, or nothing of arq's yet; anything else means A is not the live variant. */
function checkALive(input: SplitInput, file: string, previous: string | undefined): void {
  const revision = revisionOf(previous);
  if (!input.expect_a_only || revision === undefined) return;
  const live = liveServers(previous!);
  if (live.length === 1 && live[0] === input.a) return;
  throw new StepError('deploy.a_not_live', `${input.label}: ${file} (arq revision ${revision}) sends traffic to ${live.join(' and ') || 'no server'}, not to A (${input.a}) alone: set a.address to the variant that is live now (after a promotion, the B that was promoted)`);
}

async function splitForReal(input: SplitInput, nginx: NginxSettings, revision: number, text: string, ctx: StepContext): Promise<SplitRecord> {
  const file = await confine(nginx.upstream_file, ctx);
  const previous = await readFile(file, 'utf8').catch(() => undefined);
  checkALive(input, file, previous);
  const applied = await apply(nginx, file, text, previous, input.reload !== false, ctx);
  const base = { revision, weight: input.weight, label: input.label, config: file, test: applied.test, reload: applied.reload };
  if (applied.failure) throw Object.assign(new StepError('deploy.split_failed', `${input.label}: ${applied.failure}`), { record: { ...base, live_at: null } });
  if (input.reload === false) return { ...base, live_at: null };
  const spec = { url: new URL(nginx.probe_url), revision, upstream: sideOf(input), consecutive: nginx.proof_probes, deadlineMs: nginx.proof_deadline_ms };
  const proof = await proveLive(spec, ctx.signal);
  const record = { ...base, proof: { ...proof, probes: proof.probes.length }, live_at: proof.live_at };
  if (!proof.live) throw Object.assign(new StepError('deploy.not_live', `${input.label}: ${ctx.signal.aborted ? `stopped before revision ${revision} was proven live` : describeUnproven(proof, spec)}`), { record, answers: proof.probes });
  ctx.log('info', `revision ${revision} live after ${proof.probes.length} probes (${nginx.proof_probes} in a row)`);
  return record;
}

function rehearseSplit(input: SplitInput, nginx: NginxSettings, revision: number): SplitRecord {
  const record = { revision, weight: input.weight, label: input.label, config: nginx.upstream_file, live_at: Date.now() };
  if (input.rehearsal === 'failed_reload' && input.weight > 0 && !input.rollback) {
    const message = `${input.label}: revision ${revision} is not live: the reload was not applied within ${nginx.proof_deadline_ms} ms (rehearsal: the simulated nginx kept answering with revision ${revision - 1})`;
    throw Object.assign(new StepError('deploy.not_live', message), { record: { ...record, live_at: null } });
  }
  return record;
}

/** The rollback's trigger: the one a deploy step recorded, else the run's error as the rollback found it. */
async function triggerOf(evidence: Evidence, input: SplitInput, startedAt: number): Promise<Trigger> {
  const recorded = await evidence.readJson<Trigger>('trigger.json');
  if (recorded) return recorded;
  const trigger: Trigger = { at: startedAt, source: input.cancelled ? 'cancel' : 'failure', reason: input.cancelled ? 'the run was cancelled' : (input.reason ?? 'a step failed') };
  await evidence.trigger(trigger);
  return trigger;
}

async function record(evidence: Evidence, index: number, split: SplitRecord, extra: Record<string, unknown> = {}): Promise<void> {
  await evidence.writeJson(`splits/${ordinal(index)}-${slug(split.label)}.json`, { ...split, ...extra });
  await evidence.event({ kind: 'split', label: split.label, revision: split.revision, weight: split.weight, live_at: split.live_at, ...extra });
}

async function split(input: SplitInput, ctx: StepContext): Promise<Record<string, unknown>> {
  const startedAt = Date.now();
  const nginx = { ...DEFAULT_NGINX, ...input.nginx };
  const evidence = await Evidence.open(ctx);
  const index = (await evidence.timeline()).filter((e) => e.kind === 'split' || e.kind === 'split.failed').length + 1;
  const current = input.rehearse ? undefined : await readFile(await confine(nginx.upstream_file, ctx), 'utf8').catch(() => undefined);
  const revision = await nextRevision(evidence, current);
  const text = renderUpstream({ upstream: nginx.upstream, a: input.a, b: input.b, weightB: input.weight, revision, label: input.label });
  await evidence.writeText(`splits/${ordinal(index)}-${slug(input.label)}.conf`, text);
  let done: SplitRecord;
  try {
    done = input.rehearse ? rehearseSplit(input, nginx, revision) : await splitForReal(input, nginx, revision, text, ctx);
  } catch (error) {
    await recordFailure(evidence, index, input, error, ctx);
    throw error;
  }
  const rollback = input.rollback ? await rollbackFigures(evidence, input, startedAt, done) : {};
  await record(evidence, index, done, { rehearsed: input.rehearse === true, ...rollback });
  return { revision, weight: input.weight, label: input.label, live_at: done.live_at, config_file: done.config, rehearsed: input.rehearse === true, ...rollback };
}

async function rollbackFigures(evidence: Evidence, input: SplitInput, startedAt: number, done: SplitRecord) {
  const trigger = await triggerOf(evidence, input, startedAt);
  const backOnA = done.live_at ?? Date.now();
  const figures = { trigger_reason: trigger.reason, trigger_source: trigger.source, back_on_a_at: backOnA, breach_to_a_ms: Math.max(0, backOnA - trigger.at) };
  await evidence.writeJson('rollback.json', { ...figures, trigger, revision: done.revision, rehearsed: input.rehearse === true });
  return figures;
}

async function recordFailure(evidence: Evidence, index: number, input: SplitInput, error: unknown, ctx: StepContext): Promise<void> {
  const details = error as { record?: SplitRecord; answers?: unknown[]; message?: string };
  await evidence.writeJson(`splits/${ordinal(index)}-${slug(input.label)}.json`, { ...details.record, error: details.message });
  if (details.answers) await evidence.writeLines(`splits/${ordinal(index)}-${slug(input.label)}.probes.jsonl`, details.answers);
  await evidence.event({ kind: 'split.failed', label: input.label, weight: input.weight, error: details.message });
  if (!input.rollback) await evidence.trigger({ at: Date.now(), source: ctx.signal.aborted ? 'cancel' : 'split', reason: details.message ?? String(error) });
}

export const trafficSplit: StepType<SplitInput> = {
  type: 'traffic.split',
  description: 'Gives B a share of nginx\'s traffic: renders the upstream, checks it with nginx -t, reloads, and proves the new revision live.',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['a', 'b', 'weight', 'label'],
    properties: {
      nginx: nginxSchema,
      a: { type: 'string', pattern: '^[^\\s:]+:\\d{1,5}$', description: 'A\'s host:port.' },
      b: { type: 'string', pattern: '^[^\\s:]+:\\d{1,5}$', description: 'B\'s host:port.' },
      weight: { type: 'integer', minimum: 0, maximum: 100, description: 'B\'s share in percent (0: B is marked down; 100: A is).' },
      label: { type: 'string', minLength: 1, description: 'What the split is for, in messages and evidence (`stage 10%`, `rollback`).' },
      reload: { type: 'boolean', default: true, description: 'false: render and test only (before nginx is started).' },
      expect_a_only: { type: 'boolean', default: false, description: 'Refuse when arq\'s include sends traffic anywhere but to A now (for a baseline: it must not move traffic).' },
      rollback: { type: 'boolean', default: false, description: 'This split is the rollback: measure the time from its trigger to traffic proven back on A.' },
      reason: { type: ['string', 'null'], description: 'Why the rollback happens, when no deploy step recorded it (pass ${{ run.error }}).' },
      cancelled: { type: 'boolean', default: false, description: 'The rollback follows a cancel.' },
      rehearse: { type: 'boolean', default: false, description: 'A rehearsal: render into the evidence only.' },
      rehearsal: { enum: [...REHEARSAL_STREAMS, null], description: 'The simulated stream of a rehearsal.' },
    },
  },
  output: {
    type: 'object',
    properties: {
      revision: { type: 'integer', description: 'The revision now live.' },
      weight: { type: 'integer' }, label: { type: 'string' },
      live_at: { type: ['integer', 'null'], description: 'Epoch ms at which the revision was proven live.' },
      config_file: { type: 'string' },
      rehearsed: { type: 'boolean' },
      breach_to_a_ms: { type: 'integer', description: 'With rollback: milliseconds from the trigger to traffic proven back on A.' },
    },
  },
  run: split,
};
