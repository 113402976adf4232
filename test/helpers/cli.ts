/** Running the built CLI (`node dist/engine/cli/main.js`) as a user would, and watching its output. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
export const CLI = join(ROOT, 'dist', 'engine', 'cli', 'main.js');

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliProcess {
  readonly child: ChildProcess;
  /** Resolves once stdout holds `text` (rejects if the process ends first). */
  waitFor(text: string): Promise<void>;
  readonly done: Promise<CliResult>;
}

/** `npm test` builds first; a bare `vitest run` in a fresh checkout builds here. */
function assertBuilt(): void {
  if (!existsSync(CLI)) spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: ROOT });
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first with \`npx tsc -p tsconfig.json\``);
}

/** Starts `arq ARGS...` in `cwd`. */
export function startCli(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): CliProcess {
  assertBuilt();
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    for (const w of waiters.filter((w) => stdout.includes(w.text))) w.resolve();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  const waitFor = (text: string) =>
    new Promise<void>((resolve, reject) => {
      if (stdout.includes(text)) return resolve();
      waiters.push({ text, resolve });
      void done.then(() => (stdout.includes(text) ? resolve() : reject(new Error(`CLI ended before printing ${JSON.stringify(text)}:\n${stdout}\n${stderr}`))));
    });
  return { child, waitFor, done };
}

/** Runs `arq ARGS...` to its end. */
export function runCli(args: readonly string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<CliResult> {
  return startCli(args, cwd, env).done;
}
