/**
 * The `shell` step: runs a script and kills its whole process tree when the step ends.
 *
 * @example
 * - id: version
 *   run: echo "tag=v$(cat VERSION)" >> "$ARQ_OUTPUT"
 * - uses: shell
 *   with: { run: print(42), shell: "python3 {0}", outputs: { decode: json } }
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { access, constants, unlink, writeFile } from 'node:fs/promises';
import { delimiter, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import type { StepContext, StepType } from '../contract.js';
import { StepError } from '../contract.js';
import { groupAlive, killTree, trackGroup, untrackGroup } from './process-tree.js';
import { limitCommand, limitFailure, limitsSchema, type Limits } from './limits.js';
import { Capture, decodeOutput, followStream, readOutputFile } from './shell-output.js';

export { decodeOutput, parseOutputFile } from './shell-output.js';

/** What `with:` of a shell step holds once the engine resolved its expressions. */
export interface ShellInput {
  readonly run: string;
  readonly shell?: string;
  readonly cwd?: string;
  readonly outputs?: { readonly from?: 'stdout' | 'stderr'; readonly decode?: 'json' | 'text' | 'lines' };
  readonly kill_grace?: number;
  readonly limits?: Limits;
}

/** The program to start for a script, and the file the script must be written to first. */
export interface ShellCommand {
  readonly file: string;
  readonly args: readonly string[];
  /** Set when the command reads the script from a file instead of its arguments. */
  readonly scriptFile?: string;
  /** cmd.exe parses its own command line: Node must not quote it. */
  readonly windowsVerbatimArguments?: boolean;
}

const MAX_STDOUT_CHARS = 1024 * 1024;
const MAX_STDERR_CHARS = 64 * 1024;
// Once the process group is gone, its pipes close at once unless a process that left the
// group (setsid) still holds them; then stop reading rather than hang the step.
const PIPE_DRAIN_MS = 1000;
const DEFAULT_KILL_GRACE_MS = 5000;
const NAMED_TEMPLATES: Readonly<Record<string, { template: string; ext: string }>> = {
  pwsh: { template: 'pwsh -NoProfile -NonInteractive -File {0}', ext: '.ps1' },
  powershell: { template: 'powershell -NoProfile -NonInteractive -ExecutionPolicy Bypass -File {0}', ext: '.ps1' },
  python: { template: 'python3 {0}', ext: '.py' },
};

/**
 * Chooses the program that runs `script` on `platform`. `scriptPath` (without extension) is
 * where the script goes when the program reads it from a file. Pure, so every platform's
 * choice is testable anywhere.
 *
 * @example
 * resolveShellCommand('bash', 'echo hi', 'linux', '/tmp/s')
 * // { file: 'bash', args: ['--noprofile', '--norc', '-eo', 'pipefail', '-c', 'echo hi'] }
 */
export function resolveShellCommand(
  shell: string | undefined,
  script: string,
  platform: NodeJS.Platform,
  scriptPath: string,
): ShellCommand {
  if (shell === 'sh' || (shell === undefined && platform !== 'win32')) {
    return { file: 'sh', args: ['-e', '-c', script] };
  }
  if (shell === 'bash') return { file: 'bash', args: ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script] };
  if (shell === undefined || shell === 'cmd') {
    // cmd.exe cannot take a multi-line script in /c; a .cmd file can hold any script.
    const file = `${scriptPath}.cmd`;
    return { file: 'cmd.exe', args: ['/d', '/s', '/c', `"call "${file}""`], scriptFile: file, windowsVerbatimArguments: true };
  }
  const named = NAMED_TEMPLATES[shell];
  if (named) return fillTemplate(named.template, `${scriptPath}${named.ext}`);
  return fillTemplate(shell, scriptPath);
}

/** Splits a `shell:` template on whitespace (never through a shell) and puts the script path in. */
function fillTemplate(template: string, scriptFile: string): ShellCommand {
  if (!template.includes('{0}')) {
    throw new StepError(
      'shell.bad_template',
      `Unknown shell "${template}": use sh, bash, pwsh, powershell, cmd, python, or a command template ` +
        `where {0} stands for the script file, e.g. "python3 {0}" or "node {0}".`,
      { shell: template },
    );
  }
  const [file = '', ...args] = template.trim().split(/\s+/).map((part) => part.replaceAll('{0}', scriptFile));
  return { file, args, scriptFile };
}

/** The script as error messages show it: its first line, at most 100 characters. */
export function describeCommand(script: string): string {
  const lines = script.trim().split('\n');
  const first = (lines[0] ?? '').trimEnd();
  return lines.length > 1 || first.length > 100 ? `${first.slice(0, 99)}…` : first;
}

type Execa = typeof import('execa');
let execaModule: Promise<Execa> | undefined;
let execaLoaded: Execa | undefined;
// execa takes ~95 ms to import: only workflows that run a shell step pay for it. Once loaded,
// it is taken without an await: every step of a long chain would otherwise pay the extra turn.
const loadExeca = (): Promise<Execa> => (execaModule ??= import('execa').then((module) => (execaLoaded = module)));

/** How the command ended, once nothing of its process group is left. */
export interface Ended {
  readonly exitCode?: number;
  readonly signal?: string;
  readonly spawnError?: string;
  readonly stopped: boolean;
  readonly stdout: Capture;
  readonly stderr: Capture;
}

export interface Launch {
  readonly command: ShellCommand;
  readonly env: Record<string, string>;
  readonly cwd: string;
  readonly graceMs: number;
}

/** Runs the command as a process group; every member is killed when the command exits or the step is stopped. */
export async function runInGroup(launch: Launch, ctx: StepContext): Promise<Ended> {
  const stdout = new Capture('head', MAX_STDOUT_CHARS);
  const stderr = new Capture('tail', MAX_STDERR_CHARS);
  const { execa } = execaLoaded ?? (await loadExeca());
  if (ctx.signal.aborted) return { stopped: true, stdout, stderr };
  const subprocess = spawnCommand(execa, launch);
  followStream(subprocess.stdout, 'stdout', ctx, stdout);
  followStream(subprocess.stderr, 'stderr', ctx, stderr);
  const pid = subprocess.pid;
  if (pid === undefined) return { spawnError: (await subprocess).originalMessage ?? 'unknown error', stopped: false, stdout, stderr };
  let stopped = false;
  let killing: Promise<void> | undefined;
  const killGroup = () => (killing ??= killTree(pid, { graceMs: launch.graceMs }).then(() => releasePipes(subprocess, groupAlive(pid))));
  const stop = () => {
    stopped = true;
    void killGroup();
  };
  // Most commands leave nothing behind: one kill(-pgid, 0) finds the group empty, and no kill
  // sequence (its promises, a second probe, a /proc scan) is started for it.
  const exited = () => {
    if (killing || groupAlive(pid)) void killGroup();
    else releasePipes(subprocess, false);
  };
  trackGroup(pid);
  ctx.signal.addEventListener('abort', stop, { once: true });
  subprocess.once('exit', exited);
  try {
    const { exitCode, signal } = await subprocess;
    await killing;
    return { exitCode, signal, stopped, stdout, stderr };
  } finally {
    ctx.signal.removeEventListener('abort', stop);
    untrackGroup(pid);
  }
}

/** Starts the command as the leader of its own process group, with only the options it needs: each costs time per spawn. */
function spawnCommand(execa: Execa['execa'], { command, env, cwd }: Launch) {
  return execa(command.file, command.args, {
    cwd, env, extendEnv: false, stdin: 'ignore', detached: process.platform !== 'win32', cleanup: false,
    reject: false, buffer: false, stripFinalNewline: false, forceKillAfterDelay: false,
    windowsVerbatimArguments: command.windowsVerbatimArguments ?? false,
  });
}

/**
 * Stops reading pipes that stay open after the group is gone, so the step cannot hang on them.
 * `groupLeft`: members outlived SIGKILL (stuck in the kernel) and would hold the pipes for good.
 */
function releasePipes({ stdout, stderr }: { stdout: Readable; stderr: Readable }, groupLeft: boolean): void {
  if (stdout.closed && stderr.closed) return;
  const release = () => {
    stdout.destroy();
    stderr.destroy();
  };
  if (groupLeft) return release();
  const timer = setTimeout(release, PIPE_DRAIN_MS).unref();
  const clear = () => stdout.closed && stderr.closed && clearTimeout(timer);
  stdout.once('close', clear);
  stderr.once('close', clear);
}

/** Turns how the command ended into its outputs, or into the error that says why it failed. */
async function collectOutputs(ended: Ended, input: ShellInput, outputFile: string, cwd: string): Promise<Record<string, unknown>> {
  // Only an error names the command: a step that succeeds does not describe it.
  const command = () => describeCommand(input.run);
  if (ended.stopped) throw new StepError('shell.aborted', `Command was stopped: ${command()}`);
  if (ended.spawnError !== undefined) throw spawnFailure(ended.spawnError, cwd, command());
  const stdout = ended.stdout.text();
  const stderr = ended.stderr.text();
  const limited = input.limits && limitFailure(input.limits, { exitCode: ended.exitCode, signal: ended.signal, stderr }, 'Command', command());
  if (limited) throw limited;
  if (ended.signal) throw failure('shell.killed', `Command was killed with ${ended.signal}: ${command()}`, stderr, { signal: ended.signal });
  if (ended.exitCode !== 0) throw failure('shell.exit', `Command failed with exit code ${ended.exitCode}: ${command()}`, stderr, { exitCode: ended.exitCode });
  const { from = 'stdout', decode = 'text' } = input.outputs ?? {};
  const decoded = input.outputs ? decodeOutput(from === 'stdout' ? stdout : stderr, decode, from) : {};
  return { exit_code: 0, stdout, stderr, ...decoded, ...(await readOutputFile(outputFile)) };
}

/** An execa-style failure: what happened to which command, then the last 10 lines of stderr. */
function failure(code: string, message: string, stderr: string, details: Record<string, unknown>): StepError {
  const tail = stderr === '' ? '' : `\n${stderr.split('\n').slice(-10).join('\n')}`;
  return new StepError(code, message + tail, { ...details, stderr });
}

function spawnFailure(reason: string, cwd: string, command: string): StepError {
  const message = existsSync(cwd)
    ? `Could not start the command (${reason.split('\n').at(-1)}): ${command}`
    : `Working directory does not exist: ${cwd}`;
  return new StepError('shell.spawn', message, { reason });
}

/** Whether an executable named `file` is in one of the PATH folders. */
export async function onPath(file: string, path = ''): Promise<boolean> {
  for (const dir of path.split(delimiter)) {
    if (dir && (await access(join(dir, file), constants.X_OK).then(() => true, () => false))) return true;
  }
  return false;
}

/** Runs a script with sh, bash, cmd, PowerShell or any interpreter given as a template. */
export const shell: StepType<ShellInput> = {
  type: 'shell',
  description: 'Runs a script in a shell and kills its whole process tree when the step ends.',
  scriptInputs: ['run'],
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['run'],
    properties: {
      run: { type: 'string', description: 'The script. Expressions in it reach the script as environment variables, never as shell text.' },
      shell: {
        type: 'string',
        minLength: 1,
        description:
          'sh (the default; cmd on Windows), bash, cmd, pwsh, powershell, python, or a command template where {0} is the script file, e.g. "node {0}".',
      },
      cwd: { type: 'string', description: 'Working directory, relative to the run directory.' },
      outputs: {
        type: 'object',
        additionalProperties: false,
        description: 'Decodes a stream of the command into outputs.',
        properties: {
          from: { enum: ['stdout', 'stderr'], default: 'stdout', description: 'The stream to decode.' },
          decode: {
            enum: ['json', 'text', 'lines'],
            default: 'text',
            description: 'json: an object\'s keys become outputs (any other value becomes `value`); text: `text`; lines: `lines`, the non-empty lines.',
          },
        },
      },
      kill_grace: { type: 'integer', minimum: 0, default: DEFAULT_KILL_GRACE_MS, description: 'Milliseconds between SIGTERM and SIGKILL when the step is stopped.' },
      limits: limitsSchema,
    },
  },
  output: {
    type: 'object',
    properties: {
      exit_code: { type: 'integer', description: 'Always 0: any other exit code fails the step.' },
      stdout: { type: 'string', description: 'Standard output (its first MiB), without its final newline.' },
      stderr: { type: 'string', description: 'Standard error (its last 64 KiB), without its final newline.' },
      text: { type: 'string', description: 'With `outputs.decode: text`: the decoded stream.' },
      lines: { type: 'array', items: { type: 'string' }, description: 'With `outputs.decode: lines`: its non-empty lines.' },
      value: { description: 'With `outputs.decode: json`: the value when it is not an object.' },
    },
    additionalProperties: { description: 'Keys of a decoded JSON object and `key=value` lines of $ARQ_OUTPUT.' },
  },
  run: runShell,
};

async function runShell(input: ShellInput, ctx: StepContext): Promise<Record<string, unknown>> {
  if (ctx.signal.aborted) throw new StepError('shell.aborted', `Command was stopped: ${describeCommand(input.run)}`);
  const id = randomUUID();
  const command = limitCommand(resolveShellCommand(input.shell, input.run, process.platform, join(ctx.tmpdir, `script-${id}`)), input.limits, process.platform);
  if (command.scriptFile) await writeFile(command.scriptFile, input.run, { mode: 0o700 });
  if (command.file === 'prlimit' && !(await onPath('prlimit', ctx.env.PATH))) {
    throw new StepError('limits.tool_missing', 'limits: needs prlimit, which is not installed: install the util-linux package (apt-get install util-linux)');
  }
  const outputFile = join(ctx.tmpdir, `output-${id}`);
  const cwd = resolve(ctx.workdir, input.cwd ?? '.');
  try {
    const env = { ...ctx.env, ARQ_OUTPUT: outputFile };
    const ended = await runInGroup({ command, env, cwd, graceMs: input.kill_grace ?? DEFAULT_KILL_GRACE_MS }, ctx);
    if (ended.stdout.truncated) ctx.log('info', `stdout was longer than ${MAX_STDOUT_CHARS} characters: the stdout output holds its beginning`);
    return await collectOutputs(ended, input, outputFile, cwd);
  } finally {
    if (command.scriptFile) await unlink(command.scriptFile).catch(() => undefined);
  }
}
