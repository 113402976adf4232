/**
 * The `browser.open` step: loads a page, opening the session first when the run has none yet.
 *
 * @example
 * - id: login_page
 *   uses: browser.open
 *   with: { url: "http://127.0.0.1:8080/login", viewport: { width: 800, height: 600 } }
 * - run: echo "${{ steps.login_page.outputs.title }}"
 */
import { StepError, type StepContext, type StepType } from '../contract.js';
import { firstLine } from './errors.js';
import { sessionSchema, type SessionInput } from './options.js';
import { untilAborted } from './poll.js';
import { fitViewport, sessionFor, type OpenOptions } from './session.js';

export interface BrowserOpenInput extends SessionInput, OpenOptions {
  readonly url: string;
  readonly timeout?: number;
}

export interface BrowserOpenOutputs extends Record<string, unknown> {
  readonly url: string;
  readonly title: string;
  readonly session: string;
}

const DEFAULT_LOAD_MS = 30_000;

/** Only web pages: a file: URL would read the machine's files past the run's permissions. */
function checkUrl(url: string): void {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new StepError('browser.bad_url', `Invalid URL ${JSON.stringify(url)}: write an absolute URL such as http://127.0.0.1:8080/login`, { url });
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new StepError('browser.bad_url', `browser.open loads http: and https: URLs only; got ${JSON.stringify(url)}`, { url });
  }
}

async function load(input: BrowserOpenInput, ctx: StepContext): Promise<BrowserOpenOutputs> {
  checkUrl(input.url);
  const session = await sessionFor(ctx, input, input);
  const { browser } = session;
  const timeoutMs = input.timeout ?? DEFAULT_LOAD_MS;
  await untilAborted(browser.setTimeout({ pageLoad: timeoutMs }), ctx.signal);
  // A session opened by an earlier step keeps its window: a viewport given here still applies.
  if (input.viewport) await untilAborted(fitViewport(browser, input.viewport), ctx.signal);
  await untilAborted(browser.url(input.url), ctx.signal).catch((error: unknown) => {
    if (error instanceof StepError) throw error;
    const message = firstLine(error);
    const timedOut = /timeout/i.test(message);
    throw new StepError(timedOut ? 'browser.timeout' : 'browser.load_failed', timedOut ? `Timed out after ${timeoutMs} ms loading ${input.url}` : `Could not load ${input.url}: ${message}`, { url: input.url });
  });
  const [url, title] = await untilAborted(Promise.all([browser.getUrl(), browser.getTitle()]), ctx.signal);
  return { url, title, session: session.name };
}

const viewportSchema = {
  type: 'object', additionalProperties: false, required: ['width', 'height'],
  description: 'The size of the page in CSS pixels (default 1280 x 720); screenshots have this size.',
  properties: {
    width: { type: 'integer', minimum: 100, maximum: 10000, description: 'Width in pixels.' },
    height: { type: 'integer', minimum: 100, maximum: 10000, description: 'Height in pixels.' },
  },
};

/** Loads a page in the run's browser session. */
export const browserOpen: StepType<BrowserOpenInput, BrowserOpenOutputs> = {
  type: 'browser.open',
  description: 'Loads a page in a headless Chromium, opening the run\'s browser session first if needed.',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['url'],
    properties: {
      url: { type: 'string', minLength: 1, description: 'The http: or https: URL to load.' },
      session: sessionSchema,
      viewport: viewportSchema,
      timeout: { type: 'integer', minimum: 1, maximum: 2147483647, default: DEFAULT_LOAD_MS, description: 'Milliseconds the page may take to load.' },
      headless: { type: 'boolean', default: true, description: 'Run Chromium without a window (false needs a display). Applies when this step opens the session.' },
      args: { type: 'array', items: { type: 'string' }, description: 'More Chromium command-line flags, e.g. ["--lang=de"]. Applies when this step opens the session.' },
      chromium: { type: 'string', minLength: 1, description: 'Path of the Chromium binary (default: $ARQ_CHROMIUM, else /usr/bin/chromium). Applies when this step opens the session.' },
      chromedriver: { type: 'string', minLength: 1, description: 'Path of chromedriver (default: $ARQ_CHROMEDRIVER, else /usr/bin/chromedriver). Applies when this step opens the session.' },
    },
  },
  output: {
    type: 'object',
    properties: {
      url: { type: 'string', description: 'The URL of the loaded page (after redirects).' },
      title: { type: 'string', description: 'The page title.' },
      session: { type: 'string', description: 'The name of the session.' },
    },
  },
  run: load,
};
