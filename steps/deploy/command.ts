/**
 * Runs one of the deployment's own commands (`nginx -t`, the reload command) given as a program
 * and its arguments, never through a shell: in its own process group, killed with its whole tree
 * when the step stops or the command outlives `timeoutMs`. Its output goes to the step's log.
 *
 * @example
 * const result = await runArgv(['nginx', '-t'], ctx, 30000);
 * if (result.exit_code !== 0) throw new StepError('deploy.nginx_test', `nginx -t failed:\n${result.output}`);
 */
import { StepError, type StepContext } from '../contract.js';
import { runInGroup } from '../os/shell.js';

const KILL_GRACE_MS = 2000;

/** What a command did, as the evidence keeps it. */
export interface CommandResult {
  readonly argv: readonly string[];
  /** null when it was killed, timed out or could not start. */
  readonly exit_code: number | null;
  /** Its stdout and stderr (the tail of each). */
  readonly output: string;
  readonly timed_out: boolean;
}

/** The command as messages show it. */
export function showArgv(argv: readonly string[]): string {
  return argv.map((part) => (/^[\w./:=@%+-]+$/.test(part) ? part : JSON.stringify(part))).join(' ');
}

/** Runs `argv` to its end; a failure to start or a stop of the step throws, an exit code is returned. */
export async function runArgv(argv: readonly string[], ctx: StepContext, timeoutMs: number): Promise<CommandResult> {
  const [file, ...args] = argv;
  if (file === undefined) throw new StepError('deploy.bad_command', 'A command must name a program: write it as a list, e.g. [nginx, -s, reload]');
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = AbortSignal.any([ctx.signal, timeout]);
  const ended = await runInGroup({ command: { file, args }, env: { ...ctx.env }, cwd: ctx.workdir, graceMs: KILL_GRACE_MS }, { ...ctx, signal });
  if (ctx.signal.aborted) throw new StepError('deploy.stopped', `Stopped while running ${showArgv(argv)}`);
  if (ended.spawnError !== undefined) throw new StepError('deploy.spawn', `Could not start ${showArgv(argv)}: ${ended.spawnError.split('\n').at(-1)}`);
  const output = [ended.stdout.text(), ended.stderr.text()].filter((text) => text !== '').join('\n');
  const timedOut = timeout.aborted;
  return { argv, exit_code: timedOut || ended.exitCode === undefined ? null : ended.exitCode, output, timed_out: timedOut };
}

/** Why a command that did not exit 0 failed, with the end of its output. */
export function describeFailure(result: CommandResult, timeoutMs: number): string {
  const how = result.timed_out ? `did not finish within ${timeoutMs} ms` : `exited with ${result.exit_code ?? 'a signal'}`;
  const tail = result.output.split('\n').slice(-10).join('\n');
  return `${showArgv(result.argv)} ${how}${tail ? `:\n${tail}` : ''}`;
}
