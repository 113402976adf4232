import { stepContext } from '../../helpers/context.js';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LogStream, StepContext } from '../../../steps/contract.js';
import { StepError } from '../../../steps/contract.js';
import { trackedGroups } from '../../../steps/os/process-tree.js';
import type { ShellInput } from '../../../steps/os/shell.js';
import { describeCommand, parseOutputFile, resolveShellCommand, shell } from '../../../steps/os/shell.js';

interface FakeContext {
  readonly ctx: StepContext;
  readonly controller: AbortController;
  readonly logs: Array<[LogStream, string]>;
  /** Resolves when a line equal to `line` is logged. */
  logged(line: string): Promise<void>;
}

let dir: string;
// Sleep durations carry the worker's pid, so runs of this file side by side never see each other's processes.
const tag = String(process.pid);

beforeEach(async () => {
  dir = await realpath(await mkdtemp(join(tmpdir(), 'arq-shell-')));
  await mkdir(join(dir, 'tmp'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function fakeContext(env: Record<string, string> = {}): FakeContext {
  const controller = new AbortController();
  const logs: Array<[LogStream, string]> = [];
  const waiters: Array<{ line: string; resolve: () => void }> = [];
  const ctx: StepContext = stepContext(dir, {
    signal: controller.signal,
    env: { ...(process.env as Record<string, string>), ...env },
    log(stream, line) {
      logs.push([stream, line]);
      for (const waiter of waiters) if (waiter.line === line) waiter.resolve();
    },
  });
  const logged = (line: string) => new Promise<void>((resolve) => waiters.push({ line, resolve }));
  return { ctx, controller, logs, logged };
}

function runShell(input: ShellInput, env?: Record<string, string>): Promise<Record<string, unknown>> {
  return shell.run(input, fakeContext(env).ctx);
}

async function stepError(promise: Promise<unknown>): Promise<StepError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(StepError);
  return error as StepError;
}

/** Pids of live (non-zombie) processes whose command line is exactly `args`. */
function liveProcesses(...args: string[]): number[] {
  const wanted = args.join('\0') + '\0';
  const found: number[] = [];
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      if (state !== 'Z' && readFileSync(`/proc/${entry}/cmdline`, 'latin1') === wanted) found.push(Number(entry));
    } catch {
      // The process exited while we looked at it.
    }
  }
  return found;
}

describe('shell step outputs', () => {
  it('returns exit_code, stdout and stderr with one trailing newline removed', async () => {
    const outputs = await runShell({ run: "printf 'a\\n\\nb\\n\\n'; echo warn >&2" });
    expect(outputs).toEqual({ exit_code: 0, stdout: 'a\n\nb\n', stderr: 'warn' });
  });

  it('adds key=value and multiline key<<DELIM outputs written to $ARQ_OUTPUT', async () => {
    const run = 'echo "tag=v1.2" >> "$ARQ_OUTPUT"\nprintf \'notes<<EOF\\nline 1\\nline=2\\nEOF\\n\' >> "$ARQ_OUTPUT"';
    const outputs = await runShell({ run });
    expect(outputs).toEqual({ exit_code: 0, stdout: '', stderr: '', tag: 'v1.2', notes: 'line 1\nline=2' });
  });

  it('fails with shell.bad_output naming the line of $ARQ_OUTPUT that is neither form', async () => {
    const error = await stepError(runShell({ run: 'printf "a=1\\ngarbage\\n" >> "$ARQ_OUTPUT"' }));
    expect(error.code).toBe('shell.bad_output');
    expect(error.message).toBe('Invalid $ARQ_OUTPUT file: line 2 is "garbage", expected key=value or key<<DELIMITER.');
  });

  it('merges the keys of a JSON object printed on stdout', async () => {
    const outputs = await runShell({ run: `echo '{"a":1,"b":[2]}'`, outputs: { decode: 'json' } });
    expect(outputs).toEqual({ exit_code: 0, stdout: '{"a":1,"b":[2]}', stderr: '', a: 1, b: [2] });
  });

  it('puts a JSON value that is not an object into value', async () => {
    const outputs = await runShell({ run: 'echo "[1, 2]"', outputs: { decode: 'json' } });
    expect(outputs['value']).toEqual([1, 2]);
  });

  it('fails with shell.bad_json quoting the parser and the start of the text', async () => {
    const error = await stepError(runShell({ run: 'echo hello', outputs: { decode: 'json' } }));
    expect(error.code).toBe('shell.bad_json');
    expect(error.message).toBe(`The command's stdout is not valid JSON (Unexpected token 'h', "hello" is not valid JSON); it starts with: hello`);
  });

  it('decodes stderr as text and stdout as its non-empty lines', async () => {
    const text = await runShell({ run: 'echo out; echo err >&2', outputs: { from: 'stderr', decode: 'text' } });
    expect(text['text']).toBe('err');
    const lines = await runShell({ run: "printf 'a\\n\\nb\\n'", outputs: { decode: 'lines' } });
    expect(lines['lines']).toEqual(['a', 'b']);
  });
});

describe('shell step output limits', () => {
  it('keeps the first MiB of stdout and says so in the log', async () => {
    const { ctx, logs } = fakeContext();
    const outputs = await shell.run({ run: "head -c 1100000 /dev/zero | tr '\\0' a" }, ctx);
    expect(outputs['stdout']).toBe('a'.repeat(1024 * 1024));
    expect(logs.filter(([stream]) => stream === 'info')).toEqual([
      ['info', 'stdout was longer than 1048576 characters: the stdout output holds its beginning'],
    ]);
  });

  it('keeps the last 64 KiB of stderr', async () => {
    const outputs = await runShell({ run: "head -c 70000 /dev/zero | tr '\\0' b >&2; echo end >&2" });
    expect(outputs['stderr']).toBe(`${'b'.repeat(64 * 1024 - 4)}end`);
  });
});

describe('shell step failures', () => {
  it('fails with exit code, command and the last 10 lines of stderr', async () => {
    const run = 'for i in 1 2 3 4 5 6 7 8 9 10 11 12; do echo "e$i" >&2; done; exit 2';
    const error = await stepError(runShell({ run }));
    expect(error.code).toBe('shell.exit');
    expect(error.message).toBe(`Command failed with exit code 2: ${run}\ne3\ne4\ne5\ne6\ne7\ne8\ne9\ne10\ne11\ne12`);
    expect(error.details).toEqual({ exitCode: 2, stderr: 'e1\ne2\ne3\ne4\ne5\ne6\ne7\ne8\ne9\ne10\ne11\ne12' });
  });

  it('stops at the first failing command (sh -e)', async () => {
    const error = await stepError(runShell({ run: 'false\necho never' }));
    expect(error.message).toBe('Command failed with exit code 1: false…');
  });

  it('reports a command killed by a signal it did not get from arq', async () => {
    const error = await stepError(runShell({ run: 'kill -9 $$' }));
    expect(error.code).toBe('shell.killed');
    expect(error.message).toBe('Command was killed with SIGKILL: kill -9 $$');
  });

  it('names a working directory that does not exist', async () => {
    const error = await stepError(runShell({ run: 'true', cwd: 'missing' }));
    expect(error.code).toBe('shell.spawn');
    expect(error.message).toBe(`Working directory does not exist: ${join(dir, 'missing')}`);
  });
});

describe('shell step environment and shells', () => {
  it('passes ctx.env, and only ctx.env, to the script', async () => {
    const { ctx } = fakeContext();
    const env = { PATH: ctx.env['PATH'] ?? '', GREETING: 'hello world' };
    const outputs = await shell.run({ run: 'echo "$GREETING ${HOME-unset}"' }, { ...ctx, env });
    expect(outputs['stdout']).toBe('hello world unset');
  });

  it('runs in cwd resolved against the run directory', async () => {
    await mkdir(join(dir, 'sub'));
    const outputs = await runShell({ run: 'pwd -P', cwd: 'sub' });
    expect(outputs['stdout']).toBe(join(dir, 'sub'));
  });

  it('runs bash with pipefail', async () => {
    expect((await runShell({ run: 'false | true; echo sh' }))['stdout']).toBe('sh');
    const error = await stepError(runShell({ run: 'echo "${BASH_VERSION:+bash}"; false | true', shell: 'bash' }));
    expect(error.message).toBe('Command failed with exit code 1: echo "${BASH_VERSION:+bash}"; false | true');
  });

  it('runs a template with the script in a temp file that is removed afterwards', async () => {
    const { ctx } = fakeContext();
    const outputs = await shell.run({ run: 'echo "$0"', shell: 'sh {0}' }, ctx);
    const scriptPath = String(outputs['stdout']);
    expect(scriptPath.startsWith(join(ctx.tmpdir, 'script-'))).toBe(true);
    expect(existsSync(scriptPath)).toBe(false);
    expect((await runShell({ run: 'console.log(6 * 7)', shell: 'node {0}' }))['stdout']).toBe('42');
  });

  it('rejects a template without {0}', async () => {
    const error = await stepError(runShell({ run: 'print(1)', shell: 'python3' }));
    expect(error.code).toBe('shell.bad_template');
    expect(error.message).toBe(
      'Unknown shell "python3": use sh, bash, pwsh, powershell, cmd, python, or a command template ' +
        'where {0} stands for the script file, e.g. "python3 {0}" or "node {0}".',
    );
  });

  it('never runs an expression value as shell text', async () => {
    const value = `"; touch ${dir}/pwned-$RANDOM; # $(touch ${dir}/pwned2) \`touch ${dir}/pwned3\``;
    const outputs = await runShell({ run: 'echo "${ARQ_EXPR_1}"' }, { ARQ_EXPR_1: value });
    expect(outputs['stdout']).toBe(value);
    expect(readdirSync(dir).filter((name) => name.startsWith('pwned'))).toEqual([]);
  });
});

describe('shell step logs', () => {
  it('logs stdout and stderr line by line, flushing a last partial line', async () => {
    const { ctx, logs } = fakeContext();
    await shell.run({ run: "echo one; printf 'two\\r\\n'; echo three >&2; printf partial" }, ctx);
    expect(logs.filter(([stream]) => stream === 'stdout')).toEqual([['stdout', 'one'], ['stdout', 'two'], ['stdout', 'partial']]);
    expect(logs.filter(([stream]) => stream === 'stderr')).toEqual([['stderr', 'three']]);
  });

  it('logs a line while the command is still running', async () => {
    const { ctx, logged } = fakeContext({ FLAG: join(dir, 'flag') });
    const step = shell.run({ run: 'echo ready; while [ ! -e "$FLAG" ]; do sleep 0.01; done; echo done' }, ctx);
    await logged('ready');
    await writeFile(join(dir, 'flag'), '');
    expect((await step)['stdout']).toBe('ready\ndone');
  });
});

describe('shell step process tree', () => {
  it('kills the whole tree when the step is stopped, and rejects only once it is gone', async () => {
    const { ctx, controller, logged } = fakeContext();
    const run = `echo ready; sh -c "sleep 100.5${tag} & sleep 100.5${tag}"`;
    const step = shell.run({ run }, ctx);
    await logged('ready');
    await vi.waitFor(() => expect(liveProcesses('sleep', `100.5${tag}`)).toHaveLength(2), { timeout: 5000, interval: 10 });
    controller.abort();
    const error = await stepError(step);
    expect(error.code).toBe('shell.aborted');
    expect(error.message).toBe(`Command was stopped: ${run}`);
    expect(liveProcesses('sleep', `100.5${tag}`)).toEqual([]);
  });

  it('tracks the process group only while the command runs', async () => {
    const { ctx, controller, logged } = fakeContext();
    const step = shell.run({ run: `echo ready; exec sleep 100.4${tag}` }, ctx);
    await logged('ready');
    expect(trackedGroups()).toHaveLength(1);
    controller.abort();
    await stepError(step);
    expect(trackedGroups()).toEqual([]);
  });

  it('sends SIGKILL after kill_grace to a tree that ignores SIGTERM', async () => {
    const { ctx, controller, logged } = fakeContext();
    const step = shell.run({ run: `trap "" TERM; sleep 100.6${tag} & echo ready; wait`, kill_grace: 100 }, ctx);
    await logged('ready');
    const aborted = Date.now();
    controller.abort();
    expect((await stepError(step)).code).toBe('shell.aborted');
    expect(Date.now() - aborted).toBeGreaterThanOrEqual(100);
    expect(liveProcesses('sleep', `100.6${tag}`)).toEqual([]);
  });

  it('kills a backgrounded grandchild when the command ends', async () => {
    const outputs = await runShell({ run: `sleep 100.7${tag} & echo done` });
    expect(outputs['stdout']).toBe('done');
    expect(liveProcesses('sleep', `100.7${tag}`)).toEqual([]);
  });

  it('only probes the group of a command that left nothing behind, and signals nothing', async () => {
    const kill = vi.spyOn(process, 'kill');
    try {
      await runShell({ run: 'true' });
      expect(kill.mock.calls).toHaveLength(1);
      expect(kill.mock.calls[0]![1]).toBe(0);
      expect(kill.mock.calls[0]![0]).toBeLessThan(0);
    } finally {
      kill.mockRestore();
    }
  });

  it('does not hang on pipes held by a process that left the group', async () => {
    const outputs = await runShell({ run: `setsid sleep 100.8${tag} & echo done` });
    expect(outputs['stdout']).toBe('done');
    for (const pid of liveProcesses('sleep', `100.8${tag}`)) process.kill(pid, 'SIGKILL');
  });

  it('does not start the command when the step is already stopped', async () => {
    const { ctx, controller } = fakeContext();
    controller.abort();
    const error = await stepError(shell.run({ run: `touch ${dir}/started` }, ctx));
    expect(error.message).toBe(`Command was stopped: touch ${dir}/started`);
    expect(existsSync(join(dir, 'started'))).toBe(false);
  });
});

describe('resolveShellCommand', () => {
  it('runs sh -e -c on Linux and macOS by default', () => {
    expect(resolveShellCommand(undefined, 'echo hi', 'darwin', '/t/s')).toEqual({ file: 'sh', args: ['-e', '-c', 'echo hi'] });
    expect(resolveShellCommand('sh', 'echo hi', 'linux', '/t/s')).toEqual({ file: 'sh', args: ['-e', '-c', 'echo hi'] });
  });

  it('runs bash without profile and with pipefail', () => {
    expect(resolveShellCommand('bash', 'x', 'darwin', '/t/s')).toEqual({ file: 'bash', args: ['--noprofile', '--norc', '-eo', 'pipefail', '-c', 'x'] });
  });

  it('runs a .cmd file through cmd.exe on Windows by default', () => {
    expect(resolveShellCommand(undefined, 'dir', 'win32', 'C:\\T\\s')).toEqual({
      file: 'cmd.exe',
      args: ['/d', '/s', '/c', '"call "C:\\T\\s.cmd""'],
      scriptFile: 'C:\\T\\s.cmd',
      windowsVerbatimArguments: true,
    });
  });

  it('runs a .ps1 file with pwsh or Windows PowerShell', () => {
    expect(resolveShellCommand('pwsh', 'x', 'win32', 'C:\\T\\s')).toEqual({
      file: 'pwsh',
      args: ['-NoProfile', '-NonInteractive', '-File', 'C:\\T\\s.ps1'],
      scriptFile: 'C:\\T\\s.ps1',
    });
    expect(resolveShellCommand('powershell', 'x', 'win32', 'C:\\T\\s').args).toEqual([
      '-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-File', 'C:\\T\\s.ps1',
    ]);
  });

  it('splits a template on whitespace and replaces every {0}', () => {
    expect(resolveShellCommand('  perl  -w {0} --src={0} ', 'x', 'linux', '/t/s')).toEqual({
      file: 'perl',
      args: ['-w', '/t/s', '--src=/t/s'],
      scriptFile: '/t/s',
    });
  });
});

describe('describeCommand', () => {
  it('shows a one-line script whole', () => {
    expect(describeCommand('  npm test\n')).toBe('npm test');
  });

  it('cuts at 100 characters or at the first line with an ellipsis', () => {
    expect(describeCommand('x'.repeat(101))).toBe(`${'x'.repeat(99)}…`);
    expect(describeCommand('x'.repeat(100))).toBe('x'.repeat(100));
    expect(describeCommand('make\nmake install')).toBe('make…');
  });
});

describe('parseOutputFile', () => {
  it('reads CRLF lines, empty values and values holding = or <<', () => {
    expect(parseOutputFile('a=\r\nb=x=y<<z\r\nc<<END\r\n\r\nEND\r\n')).toEqual({ a: '', b: 'x=y<<z', c: '' });
  });

  it('names the line of a block that is never closed', () => {
    expect(() => parseOutputFile('a=1\nbody<<EOF\ntext')).toThrow(
      'Invalid $ARQ_OUTPUT file: line 2 opens "body<<EOF" but no line "EOF" closes it.',
    );
  });
});
