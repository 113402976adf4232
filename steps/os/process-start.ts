/**
 * The `process.start` step: starts a long-running service, detached, with a pid file and a log
 * file, and waits until it is ready. The service outlives the step (and the run, unless
 * `stop_with_run: true`); `process.stop` ends it and its whole process tree.
 *
 * @example
 * - id: api
 *   uses: process.start
 *   with:
 *     command: [node, server.js]
 *     env: { PORT: "8080" }
 *     ready: { http: "http://127.0.0.1:8080/health", timeout_ms: 10000 }
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, open, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { StepContext, StepType } from '../contract.js';
import { StepError } from '../contract.js';
import { limitCommand, limitsSchema, type Limits } from './limits.js';
import { waitReady, readySchema, type ReadySpec } from './readiness.js';
import { writeAtomic } from './atomic.js';
import { findService, forgetService, servicePaths, startTimeOf, stopService, type ServiceRecord } from './services.js';
import { resolveShellCommand, type ShellCommand } from './shell.js';

export type ProcessStartInput = {
  readonly name?: string;
  readonly run?: string;
  readonly command?: readonly (string | number)[];
  readonly shell?: string;
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly pid_file?: string;
  readonly log_file?: string;
  readonly ready?: ReadySpec;
  readonly limits?: Limits;
  readonly stop_with_run?: boolean;
  readonly if_running?: 'fail' | 'keep' | 'restart';
  readonly kill_grace?: number;
};

const DEFAULT_KILL_GRACE_MS = 5000;
const LOG_TAIL_LINES = 10;

/**
 * The program that runs the service on `platform`: `command:` as given (no shell), or `run:`
 * through the platform's shell as the shell step chooses it, wrapped in the platform's limit
 * tools. Pure, so every platform's choice is unit-tested anywhere.
 *
 * @example
 * serviceCommand({ command: ['node', 'app.js'], limits: { nice: 5 } }, 'linux', '/w/.arq/services/api')
 * // { file: 'nice', args: ['-n', '5', 'node', 'app.js'] }
 */
export function serviceCommand(input: ProcessStartInput, platform: NodeJS.Platform, scriptPath: string): ShellCommand {
  let base: ShellCommand;
  if (input.command) base = { file: String(input.command[0]), args: input.command.slice(1).map(String) };
  else if (input.run !== undefined) base = resolveShellCommand(input.shell, input.run, platform, scriptPath);
  else throw new StepError('process.no_command', 'process.start needs run: (a script) or command: (a program and its arguments)');
  return limitCommand(base, input.limits, platform);
}

/** The last lines of the service's log, for a failure message. */
async function logTail(logFile: string): Promise<string> {
  const text = await readFile(logFile, 'utf8').catch(() => '');
  const lines = text.trimEnd().split('\n').slice(-LOG_TAIL_LINES);
  return lines.join('') === '' ? '' : `\nLast lines of ${logFile}:\n${lines.join('\n')}`;
}

interface Started {
  readonly record: ServiceRecord;
  /** Undefined while the service runs; how it ended otherwise. */
  readonly ended: () => string | undefined;
}

async function launch(command: ShellCommand, input: ProcessStartInput, ctx: StepContext, name: string, paths: { record: string; pidFile: string; logFile: string }): Promise<Started> {
  await Promise.all([mkdir(dirname(paths.pidFile), { recursive: true }), mkdir(dirname(paths.logFile), { recursive: true }), mkdir(dirname(paths.record), { recursive: true })]);
  if (command.scriptFile) await writeFile(command.scriptFile, input.run ?? '', { mode: 0o700 });
  const log = await open(paths.logFile, 'a');
  let child;
  try {
    child = spawn(command.file, command.args, {
      cwd: resolve(ctx.workdir, input.cwd ?? '.'),
      env: { ...ctx.env, ...input.env },
      // Its own process group (a new console on Windows): stopping the step does not stop it, process.stop ends the whole group.
      detached: true,
      stdio: ['ignore', log.fd, log.fd],
      windowsHide: true,
      windowsVerbatimArguments: command.windowsVerbatimArguments ?? false,
    });
    const [spawned] = await Promise.race([once(child, 'spawn').then(() => [undefined]), once(child, 'error')]);
    if (spawned instanceof Error) {
      throw new StepError('process.spawn', `Could not start the service ${name} (${(spawned as NodeJS.ErrnoException).code ?? spawned.message}): ${[command.file, ...command.args].join(' ')}`);
    }
  } finally {
    await log.close();
  }
  // Read from the child, not from an 'exit' listener: a service that ends at once may have exited already.
  const ended = () => (child.signalCode ? `signal ${child.signalCode}` : child.exitCode !== null ? `exit code ${child.exitCode}` : undefined);
  child.unref();
  const pid = child.pid!;
  const record: ServiceRecord = {
    name, pid, pgid: process.platform === 'win32' ? undefined : pid, starttime: startTimeOf(pid),
    command: [command.file, ...command.args], pid_file: paths.pidFile, log_file: paths.logFile, record_file: paths.record,
    started_at: new Date().toISOString(),
  };
  await writeAtomic(paths.pidFile, `${pid}\n`);
  await writeAtomic(paths.record, `${JSON.stringify(record, null, 2)}\n`);
  return { record, ended };
}

const outputsOf = (record: ServiceRecord, alreadyRunning: boolean) => ({
  name: record.name, pid: record.pid, pid_file: record.pid_file, log_file: record.log_file, started_at: record.started_at, already_running: alreadyRunning,
});

async function startService(input: ProcessStartInput, ctx: StepContext): Promise<Record<string, unknown>> {
  const name = input.name ?? ctx.stepId;
  const paths = await servicePaths(name, ctx, input);
  const graceMs = input.kill_grace ?? DEFAULT_KILL_GRACE_MS;
  const existing = await findService({ name }, ctx);
  if (existing?.running) {
    const ifRunning = input.if_running ?? 'fail';
    if (ifRunning === 'keep') return outputsOf(existing.record!, true);
    if (ifRunning === 'fail') {
      throw new StepError('process.running', `The service ${name} is already running (pid ${existing.pid}, started ${existing.record?.started_at}); stop it first with process.stop, or set if_running: restart or keep`);
    }
    await stopService(existing, { graceMs });
  } else if (existing?.record) {
    await forgetService(existing.record);
  }
  const command = serviceCommand(input, process.platform, join(dirname(paths.record), `${name}.script`));
  const started = await launch(command, input, ctx, name, paths);
  ctx.log('info', `started ${name} (pid ${started.record.pid}), log: ${started.record.log_file}`);
  const stop = () => stopService({ name, pid: started.record.pid, record: started.record, running: true }, { graceMs });
  if (input.ready) {
    try {
      await waitReady(input.ready, { logFile: paths.logFile, ended: started.ended, signal: ctx.signal });
    } catch (error) {
      await stop();
      if (error instanceof StepError) error.message += await logTail(paths.logFile);
      throw error;
    }
    ctx.log('info', `${name} is ready`);
  }
  if (input.stop_with_run) await ctx.run.resource(`process:${paths.record}`, async () => started.record, async () => void (await stop()));
  return outputsOf(started.record, false);
}

export const processStart: StepType<ProcessStartInput> = {
  type: 'process.start',
  description: 'Starts a long-running service detached, with a pid file and a log file, and waits until it is ready.',
  scriptInputs: ['run'],
  input: {
    type: 'object',
    additionalProperties: false,
    oneOf: [{ required: ['run'] }, { required: ['command'] }],
    properties: {
      name: { type: 'string', pattern: '^[A-Za-z0-9_.-]+$', description: 'The service\'s name (default: the step id): later steps find it by this name.' },
      run: { type: 'string', description: 'A script run by the platform\'s shell (sh; cmd on Windows). Expressions reach it as environment variables.' },
      command: { type: 'array', minItems: 1, items: { type: ['string', 'number'] }, description: 'The program and its arguments, run without a shell (numbers are written as text).' },
      shell: { type: 'string', minLength: 1, description: 'For run: sh, bash, cmd, pwsh, powershell, python, or a template with {0} for the script file.' },
      cwd: { type: 'string', description: 'Working directory, relative to the run directory.' },
      env: { type: 'object', additionalProperties: { type: 'string' }, description: 'Variables added to the service\'s environment.' },
      pid_file: { type: 'string', minLength: 1, description: 'Where the pid is written (default .arq/services/NAME.pid).' },
      log_file: { type: 'string', minLength: 1, description: 'Where stdout and stderr are appended (default .arq/services/NAME.log).' },
      ready: readySchema,
      limits: limitsSchema,
      stop_with_run: { type: 'boolean', default: false, description: 'Stop the service (and its tree) when the run ends, however it ends.' },
      if_running: { enum: ['fail', 'keep', 'restart'], default: 'fail', description: 'When a service of this name already runs: fail the step, keep it, or stop it and start again.' },
      kill_grace: { type: 'integer', minimum: 0, default: DEFAULT_KILL_GRACE_MS, description: 'Milliseconds between SIGTERM and SIGKILL when the service is stopped because it was not ready.' },
    },
  },
  output: {
    type: 'object',
    properties: {
      name: { type: 'string' },
      pid: { type: 'integer' },
      pid_file: { type: 'string' },
      log_file: { type: 'string' },
      started_at: { type: 'string', description: 'ISO time the service was started.' },
      already_running: { type: 'boolean', description: 'True when `if_running: keep` kept a service that was running.' },
    },
  },
  run: startService,
};
