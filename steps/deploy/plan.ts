/**
 * The `deploy.plan` step: takes the deployment's inputs as the user wrote them (only what differs
 * from the defaults), fills in every default, checks what a schema cannot (rising stages ending
 * at 100, one command or workflow per phase, B's command unless rehearsing, A and B apart), and
 * writes the plan into the evidence. Later steps read its outputs, never the raw inputs.
 *
 * @example
 * - id: plan
 *   uses: deploy.plan
 *   with: { a: "${{ inputs.a }}", b: "${{ inputs.b }}", nginx: "${{ inputs.nginx }}", rehearse: "${{ run.rehearse }}" }
 */
import { StepError, type StepContext, type StepType } from '../contract.js';
import { DEFAULT_THRESHOLDS, type Thresholds } from './judge.js';
import { Evidence } from './evidence.js';
import {
  aSchema, bSchema, DEFAULT_NGINX, DEFAULT_STAGES, DEFAULT_WATCH, nginxSchema, normalizePhases, normalizeStages, phasesSchema, prepareSchema,
  REHEARSAL_STREAMS, stagesSchema, thresholdsSchema, watchSchema, type BService, type NginxSettings, type Phase, type RehearsalStream, type Stage, type WatchSettings,
} from './settings.js';

export interface PlanInput {
  readonly a?: { address: string };
  readonly b?: Partial<Omit<BService, 'address'>>;
  readonly nginx?: Partial<NginxSettings>;
  readonly phases?: Parameters<typeof normalizePhases>[0];
  readonly prepare?: Parameters<typeof normalizePhases>[0];
  readonly stages?: Parameters<typeof normalizeStages>[0];
  readonly thresholds?: Partial<Thresholds>;
  readonly watch?: Partial<WatchSettings>;
  readonly rehearse?: boolean;
  readonly rehearsal?: RehearsalStream;
}

/** The plan every later step works from. */
export interface Plan extends Record<string, unknown> {
  readonly a: string;
  readonly b: BService;
  readonly nginx: NginxSettings;
  readonly prepare: readonly Phase[];
  readonly phases: readonly Phase[];
  readonly stages: readonly Stage[];
  readonly thresholds: Thresholds;
  readonly watch: WatchSettings;
  readonly rehearse: boolean;
  readonly rehearsal: RehearsalStream | null;
  readonly evidence_dir: string;
}

function normalizeB(given: PlanInput['b'] = {}): BService {
  const host = given.host ?? '127.0.0.1';
  const port = given.port ?? 8002;
  const address = `${host}:${port}`;
  return {
    name: given.name ?? 'b', command: given.command ?? [], cwd: given.cwd ?? '.', env: { PORT: String(port), ...given.env },
    host, port, address, health_url: given.health_url ?? `http://${address}/health`,
    ready_timeout_ms: given.ready_timeout_ms ?? 30_000, stop_grace_ms: given.stop_grace_ms ?? 5000,
  };
}

function checkTargets(a: string, b: BService, rehearse: boolean): void {
  if (a === b.address) throw new StepError('deploy.same_address', `A and B both listen on ${a}: give B another port (b.port)`);
  if (!rehearse && b.command.length === 0) {
    throw new StepError('deploy.no_command', 'b.command is required to deploy: the program that runs B and its arguments, e.g. [node, server.js] (only a rehearsal runs without it)');
  }
}

async function makePlan(input: PlanInput, ctx: StepContext): Promise<Plan> {
  const rehearse = input.rehearse === true;
  const a = input.a?.address ?? '127.0.0.1:8001';
  const b = normalizeB(input.b);
  checkTargets(a, b, rehearse);
  const evidence = await Evidence.open(ctx);
  const plan: Plan = {
    a, b, nginx: { ...DEFAULT_NGINX, ...input.nginx },
    prepare: normalizePhases(input.prepare ?? [], 'prepare'),
    phases: normalizePhases(input.phases ?? []),
    stages: normalizeStages(input.stages ?? DEFAULT_STAGES),
    thresholds: { ...DEFAULT_THRESHOLDS, ...input.thresholds },
    watch: { ...DEFAULT_WATCH, ...input.watch },
    rehearse, rehearsal: rehearse ? (input.rehearsal ?? 'healthy') : null,
    evidence_dir: evidence.dir,
  };
  await evidence.writeJson('plan.json', plan);
  await evidence.event({ kind: 'plan', rehearse, rehearsal: plan.rehearsal, stages: plan.stages.map((s) => s.name), prepare: plan.prepare.map((p) => p.name), phases: plan.phases.map((p) => p.name) });
  if (rehearse) ctx.log('info', `rehearsal with the simulated stream "${plan.rehearsal}": nothing is started, nginx is not touched`);
  return plan;
}

export const deployPlan: StepType<PlanInput, Plan> = {
  type: 'deploy.plan',
  description: 'Fills in and checks a deployment\'s settings (A, B, nginx, prepare, phases, stages, thresholds, watch) and writes them to the evidence.',
  input: {
    type: 'object',
    additionalProperties: false,
    properties: {
      a: aSchema, b: bSchema, nginx: nginxSchema, prepare: prepareSchema, phases: phasesSchema, stages: stagesSchema, thresholds: thresholdsSchema, watch: watchSchema,
      rehearse: { type: 'boolean', default: false, description: 'A rehearsal: simulated streams, no nginx, nothing started (pass ${{ run.rehearse }}).' },
      rehearsal: { enum: [...REHEARSAL_STREAMS], default: 'healthy', description: 'The simulated metric stream a rehearsal runs against.' },
    },
  },
  output: {
    type: 'object',
    properties: {
      a: { type: 'string', description: 'A\'s host:port.' },
      b: { type: 'object', description: 'B with every default filled in, and its `address`.' },
      nginx: { type: 'object' }, prepare: { type: 'array' }, phases: { type: 'array' }, stages: { type: 'array' }, thresholds: { type: 'object' }, watch: { type: 'object' },
      rehearse: { type: 'boolean' }, rehearsal: { type: ['string', 'null'] },
      evidence_dir: { type: 'string', description: 'Where the evidence is written (the run\'s artifacts/deploy).' },
    },
  },
  run: makePlan,
};
