/**
 * What a deployment is told: A and B, nginx, the phases, the canary stages, the thresholds and
 * how the watch samples. The JSON Schemas here are the reference (each property says its default,
 * and `arq steps deploy.plan` prints them); the defaults are filled in by `deploy.plan`, so an
 * inputs file only says what differs.
 *
 * @example
 * const stages = normalizeStages([{ weight: 10, watch: '30s' }, { weight: 100, watch: 60000 }]);
 * // [{ index: 1, name: '10%', label: 'stage 10%', weight: 10, watch_ms: 30000 }, ...]
 */
import { StepError } from '../contract.js';
import { httpCheck } from '../http/check.js';
import { DEFAULT_THRESHOLDS } from './judge.js';

/** How arq reaches and drives nginx. */
export interface NginxSettings {
  readonly upstream_file: string;
  readonly upstream: string;
  readonly test_command: readonly string[];
  readonly reload_command: readonly string[];
  readonly access_log: string;
  readonly probe_url: string;
  readonly proof_probes: number;
  readonly proof_deadline_ms: number;
  readonly command_timeout_ms: number;
}

export const DEFAULT_NGINX: NginxSettings = {
  upstream_file: '/etc/nginx/conf.d/arq-upstream.conf',
  upstream: 'arq_app',
  test_command: ['nginx', '-t'],
  reload_command: ['nginx', '-s', 'reload'],
  access_log: '/var/log/nginx/arq-access.log',
  probe_url: 'http://127.0.0.1/',
  proof_probes: 10,
  proof_deadline_ms: 10_000,
  command_timeout_ms: 30_000,
};

/** How each stage is watched. */
export interface WatchSettings {
  readonly min_requests: number;
  readonly interval_ms: number;
  readonly resource_interval_ms: number;
  readonly max_extensions: number;
  readonly probe_rps: number;
  readonly max_probe_requests: number;
}

export const DEFAULT_WATCH: WatchSettings = {
  min_requests: 20,
  interval_ms: 250,
  resource_interval_ms: 1000,
  max_extensions: 2,
  probe_rps: 10,
  max_probe_requests: 300,
};

/** B, the variant being deployed: how arq starts it and where it listens. */
export interface BService {
  readonly name: string;
  readonly command: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly host: string;
  readonly port: number;
  /** host:port, as nginx and the access log name it. */
  readonly address: string;
  readonly health_url: string;
  readonly ready_timeout_ms: number;
  readonly stop_grace_ms: number;
}

/** One canary stage, normalised. */
export interface Stage {
  /** 1 for the first stage. */
  readonly index: number;
  /** `10%`. */
  readonly name: string;
  /** `stage 10%`: how messages and the evidence name it. */
  readonly label: string;
  readonly weight: number;
  readonly watch_ms: number;
}

export const DEFAULT_STAGES = [{ weight: 10, watch: '30s' }, { weight: 50, watch: '30s' }, { weight: 100, watch: '30s' }] as const;

/** One deploy phase, normalised. */
export interface Phase {
  readonly index: number;
  readonly name: string;
  readonly command?: string;
  readonly workflow?: string;
  readonly inputs?: Readonly<Record<string, unknown>>;
  readonly health?: Readonly<Record<string, unknown>> & { readonly url: string };
  readonly timeout_ms: number;
  /** `prepare` for what runs before the baseline (its evidence in prepare/); phases otherwise. */
  readonly group?: 'prepare';
}

const DURATION = { anyOf: [{ type: 'integer', minimum: 1 }, { type: 'string', pattern: '^\\d+(\\.\\d+)?(ms|s|m|h)$' }], 'x-expected': 'a duration such as 500ms, 30s or 5m, or milliseconds' } as const;
const ADDRESS = { type: 'string', pattern: '^[^\\s:]+:\\d{1,5}$', 'x-expected': 'host:port, e.g. 127.0.0.1:8001' } as const;
const ARGV = { type: 'array', minItems: 1, items: { type: 'string' } } as const;
const positive = (description: string, value: number) => ({ type: 'integer', minimum: 1, default: value, description });

export const aSchema = {
  type: 'object', additionalProperties: false, required: ['address'],
  description: 'A, the live variant: arq only sends it traffic.',
  properties: { address: { ...ADDRESS, description: 'host:port of A, as the upstream lists it.' } },
} as const;

export const bSchema = {
  type: 'object', additionalProperties: false,
  description: 'B, the new variant: arq starts it (process.start, its own process group), watches it, and stops it on a rollback.',
  properties: {
    name: { type: 'string', pattern: '^[A-Za-z0-9_.-]+$', default: 'b', description: 'The service name (its pid file and log are .arq/services/NAME.*).' },
    command: { ...ARGV, minItems: 0, default: [], description: 'The program that runs B and its arguments, without a shell (required unless rehearsing).' },
    cwd: { type: 'string', default: '.', description: 'B\'s working directory, relative to the run\'s.' },
    env: { type: 'object', additionalProperties: { type: 'string' }, default: {}, description: 'Variables for B; PORT is set to `port` unless given.' },
    host: { type: 'string', default: '127.0.0.1', description: 'Where B listens.' },
    port: { type: 'integer', minimum: 1, maximum: 65535, default: 8002, description: 'B\'s port.' },
    health_url: { type: 'string', pattern: '^https?://', description: 'B\'s health check after it starts (default http://HOST:PORT/health).' },
    ready_timeout_ms: positive('How long B has to answer its health URL after it starts.', 30_000),
    stop_grace_ms: { type: 'integer', minimum: 0, default: 5000, description: 'Milliseconds between SIGTERM and SIGKILL when B is stopped.' },
  },
} as const;

export const nginxSchema = {
  type: 'object', additionalProperties: false,
  description: 'The nginx arq drives: it owns one include file (upstream, revision, log format) and reloads nginx.',
  properties: {
    upstream_file: { type: 'string', minLength: 1, default: DEFAULT_NGINX.upstream_file, description: 'The include arq writes (http level); inside the working directory or permissions.paths.' },
    upstream: { type: 'string', pattern: '^[A-Za-z0-9_]+$', default: DEFAULT_NGINX.upstream, description: 'The upstream\'s name in `proxy_pass http://NAME`.' },
    test_command: { ...ARGV, default: DEFAULT_NGINX.test_command, description: 'Checks the config (`nginx -t`).' },
    reload_command: { ...ARGV, default: DEFAULT_NGINX.reload_command, description: 'Applies it (`nginx -s reload`, `systemctl reload nginx`).' },
    access_log: { type: 'string', minLength: 1, default: DEFAULT_NGINX.access_log, description: 'The access log written with format arq_deploy, read by the watch.' },
    probe_url: { type: 'string', pattern: '^https?://', default: DEFAULT_NGINX.probe_url, description: 'A URL served through the upstream, for proofs and probe traffic.' },
    proof_probes: positive('Answers in a row with the new revision that prove a split live.', DEFAULT_NGINX.proof_probes),
    proof_deadline_ms: positive('How long a split has to be proven live after the reload.', DEFAULT_NGINX.proof_deadline_ms),
    command_timeout_ms: positive('How long the test and reload commands may take.', DEFAULT_NGINX.command_timeout_ms),
  },
} as const;

export const stagesSchema = {
  type: 'array', minItems: 1, default: DEFAULT_STAGES,
  description: 'The canary stages: B\'s share of traffic (rising, the last one 100) and how long each is watched.',
  items: {
    type: 'object', additionalProperties: false, required: ['weight'],
    properties: {
      weight: { type: 'integer', minimum: 1, maximum: 100, description: 'B\'s share of the traffic, in percent.' },
      watch: { ...DURATION, default: '30s', description: 'How long the stage is watched before it can pass.' },
    },
  },
} as const;

export const phasesSchema = {
  type: 'array', default: [],
  description: 'Deploy phases, run in order before B starts; each is a command or a workflow, then its health check.',
  items: {
    type: 'object', additionalProperties: false, required: ['name'],
    properties: {
      name: { type: 'string', minLength: 1, description: 'The phase\'s name in messages and evidence.' },
      command: { type: 'string', minLength: 1, description: 'A shell command (sh -c), run in the working directory.' },
      workflow: { type: 'string', minLength: 1, description: 'A workflow file run by `arq run` (its record kept in the evidence).' },
      inputs: { type: 'object', description: 'The workflow\'s inputs.' },
      health: { ...httpCheck.input, description: 'An http.check that must pass after the phase (url, status, deadline_ms, ...).' },
      timeout: { ...DURATION, default: '10m', description: 'How long the command or workflow may run.' },
    },
  },
} as const;

export const prepareSchema = {
  ...phasesSchema,
  description: 'Run in order before anything moves (before the baseline split): what must be up for the deployment, e.g. a workflow that starts A and nginx when they are not running. Same shape as phases; a failure ends the deployment with nothing to roll back.',
} as const;

export const thresholdsSchema = {
  type: 'object', additionalProperties: false,
  description: 'What B is held to at every stage (A\'s figures are shown beside them).',
  properties: {
    latency_p95_target_ms: positive('p95 latency above it: the stage passes with a warning.', DEFAULT_THRESHOLDS.latency_p95_target_ms),
    latency_p95_critical_ms: positive('p95 latency above it: rollback.', DEFAULT_THRESHOLDS.latency_p95_critical_ms),
    error_rate_critical_percent: { type: 'number', minimum: 0, maximum: 100, default: DEFAULT_THRESHOLDS.error_rate_critical_percent, description: 'Share of B\'s requests answered 5xx or not at all above it: rollback.' },
    memory_critical_mb: { type: 'number', exclusiveMinimum: 0, default: DEFAULT_THRESHOLDS.memory_critical_mb, description: 'Resident memory of B\'s process tree (MiB) above it: rollback.' },
    cpu_critical_percent: { type: 'number', exclusiveMinimum: 0, default: DEFAULT_THRESHOLDS.cpu_critical_percent, description: 'CPU of B\'s process tree (percent of the whole machine, as system.metrics) above it: rollback.' },
  },
} as const;

export const watchSchema = {
  type: 'object', additionalProperties: false,
  description: 'How each stage is observed.',
  properties: {
    min_requests: positive('B requests a stage needs to be judged; fewer is inconclusive, never a pass.', DEFAULT_WATCH.min_requests),
    interval_ms: positive('How often the samples are judged.', DEFAULT_WATCH.interval_ms),
    resource_interval_ms: positive('How often B\'s CPU and memory are sampled.', DEFAULT_WATCH.resource_interval_ms),
    max_extensions: { type: 'integer', minimum: 0, default: DEFAULT_WATCH.max_extensions, description: 'Times a window is extended (with probe traffic) when B had too few requests.' },
    probe_rps: { type: 'number', minimum: 0, default: DEFAULT_WATCH.probe_rps, description: 'Probe requests per second sent through nginx during an extension.' },
    max_probe_requests: { type: 'integer', minimum: 0, default: DEFAULT_WATCH.max_probe_requests, description: 'Probe requests a stage may send at most.' },
  },
} as const;

/** The simulated metric streams of a rehearsal. */
export const REHEARSAL_STREAMS = ['healthy', 'latency_spike', 'error_burst', 'zero_traffic', 'failed_reload'] as const;
export type RehearsalStream = (typeof REHEARSAL_STREAMS)[number];

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Milliseconds of a duration input.
 *
 * @example
 * durationMs('1.5s') // 1500
 */
export function durationMs(value: number | string): number {
  if (typeof value === 'number') return value;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(value);
  if (!match) throw new StepError('deploy.bad_duration', `"${value}" is not a duration: write e.g. 500ms, 30s or 5m`);
  return Math.round(Number(match[1]) * UNITS[match[2]!]!);
}

/** The stages with names and milliseconds; weights must rise and end at 100. */
export function normalizeStages(stages: readonly { weight: number; watch?: number | string }[]): Stage[] {
  stages.forEach((stage, i) => {
    const before = stages[i - 1];
    if (before && stage.weight <= before.weight) {
      throw new StepError('deploy.bad_stages', `stages[${i}] has weight ${stage.weight}, not above the ${before.weight} of the stage before: B's share must rise from stage to stage`);
    }
  });
  const last = stages.at(-1)!;
  if (last.weight !== 100) throw new StepError('deploy.bad_stages', `The last stage has weight ${last.weight}: it must be 100, where B takes all the traffic`);
  return stages.map((stage, i) => ({ index: i + 1, name: `${stage.weight}%`, label: `stage ${stage.weight}%`, weight: stage.weight, watch_ms: durationMs(stage.watch ?? '30s') }));
}

type PhaseInput = { name: string; command?: string; workflow?: string; inputs?: Record<string, unknown>; health?: Phase['health']; timeout?: number | string };

/** The phases with indexes and timeouts; each is exactly one of a command or a workflow. */
export function normalizePhases(phases: readonly PhaseInput[], group?: 'prepare'): Phase[] {
  const seen = new Set<string>();
  return phases.map((phase, i) => {
    if ((phase.command === undefined) === (phase.workflow === undefined)) {
      throw new StepError('deploy.bad_phase', `Phase "${phase.name}" needs exactly one of command (a shell command) or workflow (a workflow file)`);
    }
    if (seen.has(phase.name)) throw new StepError('deploy.bad_phase', `Two phases are named "${phase.name}": give each its own name`);
    seen.add(phase.name);
    const { timeout, ...rest } = phase;
    return { index: i + 1, ...rest, timeout_ms: durationMs(timeout ?? '10m'), ...(group ? { group } : {}) };
  });
}
