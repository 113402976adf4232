/**
 * chromedriver as a process arq owns: started in its own process group on a port it picks
 * itself (`--port=0`, so no two sessions race for one), tracked so that a hard exit of arq kills
 * it, and stopped with its whole group. Chromium runs in that group too (chromedriver starts it),
 * so killing the group ends the browser with it; webdriverio only attaches to the port and never
 * starts or downloads anything.
 *
 * @example
 * const driver = await startDriver('/usr/bin/chromedriver', env, signal);
 * // ... remote({ hostname: '127.0.0.1', port: driver.port, capabilities })
 * await driver.stop();
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { StepError } from '../contract.js';
import { killTree, trackGroup, untrackGroup } from '../os/process-tree.js';

/** A running chromedriver. */
export interface Driver {
  readonly pid: number;
  readonly port: number;
  /** The last lines Chromium printed (chromedriver relays them), for error messages. */
  browserOutput(): string;
  /** Kills its process group (Chromium included) and waits until every member is gone. */
  stop(): Promise<void>;
}

const READY_LINE = /started successfully on port (\d+)/;
const START_TIMEOUT_MS = 20_000;
const STATUS_ATTEMPTS = 50;
const STATUS_INTERVAL_MS = 50;
const STATUS_TIMEOUT_MS = 2000;
const KILL_GRACE_MS = 2000;
const OUTPUT_CHARS = 4000;

/** Keeps the tail of what the driver prints, and reads it all so that its pipes never fill. */
interface Output {
  text(): string;
  /** Forgets what was printed so far: what comes next is the browser's. */
  clear(): void;
  onData(listener: (text: string) => void): void;
}

function followOutput(child: ChildProcess): Output {
  let text = '';
  const listeners: ((text: string) => void)[] = [];
  const take = (chunk: Buffer) => {
    text = (text + chunk.toString('utf8')).slice(-OUTPUT_CHARS);
    for (const listener of listeners) listener(text);
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
  return { text: () => text.trim(), clear: () => void (text = ''), onData: (listener) => listeners.push(listener) };
}

/** Resolves with the port once the driver says it listens; rejects when it exits, errs, times out or the step is stopped. */
function waitForPort(child: ChildProcess, output: Output, signal: AbortSignal): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => fail(`chromedriver did not report a port within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    const onAbort = () => {
      settle();
      reject(new StepError('browser.cancelled', 'Cancelled while chromedriver was starting'));
    };
    let settled = false;
    function settle(): void {
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      child.off('exit', onExit);
      child.off('error', onError);
    }
    function fail(message: string): void {
      settle();
      const printed = output.text();
      reject(new StepError('browser.driver_failed', printed ? `${message}: ${printed}` : message));
    }
    const onExit = (code: number | null, sig: string | null) => fail(`chromedriver exited (${sig ?? `code ${code}`}) before it was ready`);
    const onError = (error: Error) => fail(`chromedriver could not be started (${error.message})`);
    output.onData((text) => {
      const match = settled ? null : READY_LINE.exec(text);
      if (!match) return;
      settle();
      output.clear();
      resolve(Number(match[1]));
    });
    child.once('exit', onExit);
    child.once('error', onError);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Asks the driver's /status until it says it is ready for a session. */
async function waitUntilReady(port: number, signal: AbortSignal): Promise<void> {
  for (let attempt = 1; attempt <= STATUS_ATTEMPTS; attempt++) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/status`, { signal: AbortSignal.any([signal, AbortSignal.timeout(STATUS_TIMEOUT_MS)]) });
      const body = (await response.json()) as { value?: { ready?: boolean } };
      if (body.value?.ready === true) return;
    } catch (error) {
      if (signal.aborted) throw new StepError('browser.cancelled', 'Cancelled while chromedriver was starting', {}, { cause: error });
    }
    await delay(STATUS_INTERVAL_MS);
  }
  throw new StepError('browser.driver_failed', `chromedriver on port ${port} did not answer /status as ready`);
}

/**
 * Starts chromedriver detached (its own process group), tracked for a hard exit of arq; resolves
 * once it answers /status. Whatever fails, nothing of it is left running.
 */
export async function startDriver(path: string, env: Readonly<Record<string, string>>, signal: AbortSignal): Promise<Driver> {
  // --enable-chrome-logs relays Chromium's own stderr: why it could not start, when it cannot.
  const child = spawn(path, ['--port=0', '--enable-chrome-logs'], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env });
  const output = followOutput(child);
  // A failed spawn is reported by waitForPort; a later 'error' must not crash the process.
  child.on('error', () => {});
  const pid = child.pid;
  if (pid !== undefined) trackGroup(pid);
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= stopGroup(pid));
  try {
    const port = await waitForPort(child, output, signal);
    await waitUntilReady(port, signal);
    return { pid: pid!, port, browserOutput: output.text, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function stopGroup(pid: number | undefined): Promise<void> {
  if (pid === undefined) return;
  await killTree(pid, { graceMs: KILL_GRACE_MS });
  untrackGroup(pid);
}
