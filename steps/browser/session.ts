/**
 * Browser sessions, scoped to the run: the first browser step of a run opens one (Chromium
 * headless, driven by webdriverio through a chromedriver arq started), later steps naming the
 * same session reuse it, and the run closes it however it ends. webdriverio is imported on the
 * first session only (~0.5 s), never by `arq validate`.
 *
 * @example
 * const { browser } = await sessionFor(ctx, input); // opens "default" on first use
 * await browser.url('http://127.0.0.1:8080/');
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'webdriverio';
import { StepError, type StepContext } from '../contract.js';
import { killProcesses, processesWithArg } from '../os/process-tree.js';
import { startDriver, type Driver } from './driver.js';
import { errorText } from './errors.js';
import { DEFAULT_SESSION, DEFAULT_WAIT_MS, findBinaries, type Binaries, type SessionInput, type WaitingInput } from './options.js';
import { untilAborted, type PollOptions } from './poll.js';

/** How a session is opened: browser.open's inputs; any other step opens one with the defaults. */
export interface OpenOptions {
  readonly headless?: boolean;
  readonly viewport?: Viewport;
  readonly args?: readonly string[];
  readonly chromium?: string;
  readonly chromedriver?: string;
}

export interface Viewport {
  readonly width: number;
  readonly height: number;
}

export const DEFAULT_VIEWPORT: Viewport = { width: 1280, height: 720 };
// Enough for a graceful quit on a busy machine; the process group is killed after it anyway.
const QUIT_TIMEOUT_MS = 5000;
const LEFTOVER_GRACE_MS = 1000;
const BROWSER_LINES = 10;

/** One open browser: webdriverio's handle, the driver it talks to, and the folder of its profile. */
export interface BrowserSession {
  readonly name: string;
  readonly browser: Browser;
  readonly driver: Driver;
  /** The session's private folder (profile, crash database): only its processes have it in their command line. */
  readonly folder: string;
}

type Wdio = typeof import('webdriverio');
let wdio: Promise<Wdio> | undefined;
/** webdriverio costs ~0.5 s to import: only a run that opens a session pays for it. */
export const loadWebdriverio = (): Promise<Wdio> => (wdio ??= import('webdriverio'));

/** Chromium's flags: headless, no first-run work, no network of its own, a private profile. */
function chromiumArgs(folder: string, options: OpenOptions): string[] {
  return [
    ...(options.headless === false ? [] : ['--headless=new']),
    '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--no-first-run', '--no-default-browser-check', '--disable-sync',
    `--user-data-dir=${join(folder, 'profile')}`,
    ...(options.args ?? []),
  ];
}

async function attach(port: number, binaries: Binaries, folder: string, options: OpenOptions): Promise<Browser> {
  const { remote } = await loadWebdriverio();
  return remote({
    hostname: '127.0.0.1', port, logLevel: 'silent', connectionRetryCount: 0, waitforTimeout: 0,
    capabilities: {
      browserName: 'chrome',
      'wdio:enforceWebDriverClassic': true,
      'goog:chromeOptions': { binary: binaries.chromium, args: chromiumArgs(folder, options) },
    },
  });
}

/**
 * Sizes the window so that the page gets exactly `viewport` (headless Chromium's window is
 * larger than its page by the height of its toolbars).
 */
export async function fitViewport(browser: Browser, viewport: Viewport): Promise<void> {
  const inner = await browser.execute(() => [window.innerWidth, window.innerHeight]);
  const outer = await browser.getWindowSize();
  await browser.setWindowSize(viewport.width + outer.width - inner[0]!, viewport.height + outer.height - inner[1]!);
}

/** A session chromedriver could not open, with the last lines Chromium printed (its own reason, often). */
function sessionError(error: unknown, driver: Driver): StepError {
  if (error instanceof StepError) return error;
  const said = driver.browserOutput().split('\n').filter((line) => line.trim() !== '').slice(-BROWSER_LINES).join('\n');
  return new StepError('browser.session_failed', `Could not open a Chromium session: ${errorText(error)}${said ? `\nChromium printed:\n${said}` : ''}`, {}, { cause: error });
}

async function openSession(name: string, options: OpenOptions, ctx: StepContext): Promise<BrowserSession> {
  const binaries = await findBinaries(options, ctx.env);
  const folder = await mkdtemp(join(ctx.tmpdir, 'browser-'));
  // Chromium puts its crash handler (which leaves every process group) under $XDG_CONFIG_HOME:
  // pointing it into the session's folder is what lets closeSession find and end it.
  const env = { ...ctx.env, XDG_CONFIG_HOME: join(folder, 'config') };
  let driver: Driver | undefined;
  try {
    driver = await startDriver(binaries.chromedriver, env, ctx.signal);
    const browser = await untilAborted(attach(driver.port, binaries, folder, options), ctx.signal).catch((error: unknown) => {
      throw sessionError(error, driver!);
    });
    await untilAborted(fitViewport(browser, options.viewport ?? DEFAULT_VIEWPORT), ctx.signal);
    return { name, browser, driver, folder };
  } catch (error) {
    await driver?.stop();
    await endLeftovers(folder);
    throw error;
  }
}

/** Processes of the session that left its process group (Chromium's crash handler), then its folder. */
async function endLeftovers(folder: string): Promise<void> {
  await killProcesses(processesWithArg(`${folder}/`), { graceMs: LEFTOVER_GRACE_MS });
  await rm(folder, { recursive: true, force: true });
}

/** Quits the browser (bounded), then kills the driver's process group and whatever else has the session's folder. */
export async function closeSession(session: BrowserSession): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, QUIT_TIMEOUT_MS)));
  await Promise.race([session.browser.deleteSession().catch(() => {}), timeout]);
  clearTimeout(timer);
  await session.driver.stop();
  await endLeftovers(session.folder);
}

/** The run-scoped resource key of a session. */
export function sessionKey(name: string | undefined): string {
  return `browser:${name ?? DEFAULT_SESSION}`;
}

/** The step's session: the one open under its name, or a new one opened with `options`. */
export function sessionFor(ctx: StepContext, input: SessionInput, options: OpenOptions = {}): Promise<BrowserSession> {
  const name = input.session ?? DEFAULT_SESSION;
  return ctx.run.resource(sessionKey(name), () => openSession(name, options, ctx), closeSession);
}

/**
 * What a step that waits works with: its session's browser, and how long it may wait.
 *
 * @example
 * const { browser, wait } = await browserFor(ctx, input);
 * await waitForElement(browser, input.selector, 'visible', wait);
 */
export async function browserFor(ctx: StepContext, input: WaitingInput): Promise<{ browser: Browser; wait: PollOptions }> {
  const { browser } = await sessionFor(ctx, input);
  return { browser, wait: { timeoutMs: input.timeout ?? DEFAULT_WAIT_MS, signal: ctx.signal } };
}
