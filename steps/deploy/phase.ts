/**
 * The `deploy.phase` step: runs one deploy phase (a shell command, or a workflow file through
 * `arq run`, its run record kept in the evidence) and then its health check, within the phase's
 * timeout. A failure names the phase (`phase migrate: ...`) and becomes the rollback's trigger.
 * In a rehearsal nothing runs: the step says what would run.
 *
 * @example
 * - uses: deploy.phase
 *   with: { phase: { index: 1, name: migrate, command: ./migrate.sh, timeout_ms: 60000, health: { url: "http://127.0.0.1:8002/health" } } }
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StepError, type StepContext, type StepType } from '../contract.js';
import { httpCheck } from '../http/check.js';
import { shell } from '../os/shell.js';
import { arqCli } from './arq-cli.js';
import { Evidence, ordinal, slug } from './evidence.js';
import type { Phase } from './settings.js';

export interface PhaseInput {
  readonly phase: Phase;
  readonly rehearse?: boolean;
}

/** The script that runs a phase's workflow; every value reaches it as a variable, never as text. */
const WORKFLOW_SCRIPT = '"$ARQ_NODE" "$ARQ_CLI" run "$ARQ_PHASE_WORKFLOW" --workdir "$ARQ_PHASE_WORKDIR" --state-dir "$ARQ_PHASE_STATE" --inputs-file "$ARQ_PHASE_INPUTS"';

function describe(phase: Phase): string {
  return phase.command !== undefined ? `sh -c ${JSON.stringify(phase.command)}` : `arq run ${phase.workflow}`;
}

/** The status and error the phase's own run recorded (run.json of its state folder), if it got that far. */
async function childSummary(stateDir: string): Promise<{ status: string; error?: string } | undefined> {
  const [runId] = await readdir(join(stateDir, 'runs')).catch(() => [] as string[]);
  if (runId === undefined) return undefined;
  return JSON.parse(await readFile(join(stateDir, 'runs', runId, 'run.json'), 'utf8').catch(() => 'null')) ?? undefined;
}

/** `arq run FILE` in a child process, its run recorded in the evidence; a failure says what the workflow said. */
async function runWorkflowPhase(phase: Phase, evidence: Evidence, ctx: StepContext): Promise<void> {
  const folder = `${phase.group ?? 'phases'}/${ordinal(phase.index)}-${slug(phase.name)}`;
  const stateDir = evidence.path(`${folder}/state`);
  const env = {
    ...ctx.env, ARQ_NODE: process.execPath, ARQ_CLI: arqCli(), ARQ_PHASE_WORKFLOW: phase.workflow!, ARQ_PHASE_WORKDIR: ctx.workdir,
    ARQ_PHASE_STATE: stateDir, ARQ_PHASE_INPUTS: await evidence.writeJson(`${folder}/inputs.json`, phase.inputs ?? {}),
  };
  try {
    await shell.run({ run: WORKFLOW_SCRIPT }, { ...ctx, env });
  } catch (error) {
    if (ctx.signal.aborted || !(error instanceof Error)) throw error;
    const summary = await childSummary(stateDir);
    const said = summary ? `${summary.status}: ${summary.error ?? 'no error recorded'}` : error.message.replace(/^Command failed with exit code (\d+): .*$/m, 'failed with exit code $1:').replace(/:$/, '');
    throw new StepError('deploy.phase_workflow', `arq run ${phase.workflow} ${said}`);
  }
}

async function runBody(phase: Phase, evidence: Evidence, ctx: StepContext): Promise<void> {
  if (phase.command !== undefined) await shell.run({ run: phase.command }, ctx);
  else await runWorkflowPhase(phase, evidence, ctx);
}

async function runPhase(phase: Phase, evidence: Evidence, ctx: StepContext): Promise<Record<string, unknown> | undefined> {
  await runBody(phase, evidence, ctx);
  if (!phase.health) return undefined;
  ctx.log('info', `phase ${phase.name}: checking ${phase.health.url}`);
  return httpCheck.run(phase.health as Parameters<typeof httpCheck.run>[0], ctx).catch((error: unknown) => {
    throw new StepError('deploy.phase_unhealthy', `health check failed: ${error instanceof Error ? error.message : String(error)}`);
  });
}

async function deployPhase(input: PhaseInput, ctx: StepContext): Promise<Record<string, unknown>> {
  const { phase } = input;
  const evidence = await Evidence.open(ctx);
  const file = `${phase.group ?? 'phases'}/${ordinal(phase.index)}-${slug(phase.name)}.json`;
  const started_at = Date.now();
  if (input.rehearse) {
    ctx.log('info', `rehearsal: phase ${phase.name} would run ${describe(phase)}${phase.health ? `, then check ${phase.health.url}` : ''}`);
    await evidence.writeJson(file, { phase, rehearsed: true, outcome: 'rehearsed' });
    await evidence.event({ kind: 'phase', name: phase.name, outcome: 'rehearsed' });
    return { name: phase.name, outcome: 'rehearsed' };
  }
  const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(phase.timeout_ms)]);
  try {
    const health = await runPhase(phase, evidence, { ...ctx, signal });
    await evidence.writeJson(file, { phase, outcome: 'succeeded', started_at, ended_at: Date.now(), health });
    await evidence.event({ kind: 'phase', name: phase.name, outcome: 'succeeded' });
    return { name: phase.name, outcome: 'succeeded', health: health ?? null };
  } catch (error) {
    const why = ctx.signal.aborted ? 'stopped (cancel)' : signal.aborted ? `did not finish within ${phase.timeout_ms} ms` : error instanceof Error ? error.message : String(error);
    const reason = `phase ${phase.name}: ${why}`;
    await evidence.writeJson(file, { phase, outcome: 'failed', started_at, ended_at: Date.now(), error: reason });
    await evidence.event({ kind: 'phase', name: phase.name, outcome: 'failed', error: reason });
    await evidence.trigger({ at: Date.now(), source: ctx.signal.aborted ? 'cancel' : 'phase', reason });
    throw new StepError('deploy.phase_failed', reason);
  }
}

export const deployPhaseStep: StepType<PhaseInput> = {
  type: 'deploy.phase',
  description: 'Runs a deploy phase (a shell command or a workflow file) and then its health check; a failure names the phase.',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['phase'],
    properties: {
      phase: {
        type: 'object', required: ['index', 'name', 'timeout_ms'],
        description: 'A phase as deploy.plan lists it: index, name, command or workflow (+ inputs), health (an http.check), timeout_ms.',
        properties: { index: { type: 'integer', minimum: 1 }, name: { type: 'string' }, command: { type: 'string' }, workflow: { type: 'string' }, inputs: { type: 'object' }, health: { type: 'object' }, timeout_ms: { type: 'integer', minimum: 1 }, group: { enum: ['prepare'] } },
      },
      rehearse: { type: 'boolean', default: false, description: 'A rehearsal: say what would run, run nothing.' },
    },
  },
  output: { type: 'object', properties: { name: { type: 'string' }, outcome: { enum: ['succeeded', 'rehearsed'] }, health: { type: ['object', 'null'] } } },
  run: deployPhase,
};
