/**
 * The `browser.wait` step: waits until the page shows something: an element in a state, a text,
 * a URL, a title, or (where the workflow allows JavaScript) a condition computed in the page.
 * Everything given must hold at the same time.
 *
 * @example
 * - uses: browser.wait
 *   with: { text: "Report ready", url: "/reports/", timeout: 20000 }
 */
import type { Browser } from 'webdriverio';
import { StepError, type StepContext, type StepType } from '../contract.js';
import { describeSeen, describeWanted, look, type ElementState } from './elements.js';
import { requireEval, runInPage } from './eval.js';
import { selectorSchema, sessionSchema, timeoutSchema, type WaitingInput } from './options.js';
import { poll } from './poll.js';
import { browserFor } from './session.js';

export interface BrowserWaitInput extends WaitingInput {
  readonly selector?: string;
  readonly state?: ElementState;
  readonly text?: string;
  readonly url?: string;
  readonly title?: string;
  readonly condition?: string;
}

export interface BrowserWaitOutputs extends Record<string, unknown> {
  readonly url: string;
  readonly title: string;
}

/** One look at each thing waited for: the first that does not hold yet says why, in words. */
type Check = (browser: Browser) => Promise<string | undefined>;

function elementCheck(selector: string, state: ElementState, text: string | undefined): Check {
  return async (browser) => {
    const seen = await look(browser, selector, state);
    if (!seen.done) return `${describeWanted(selector, state)}: ${describeSeen(seen)}`;
    if (text === undefined) return undefined;
    const actual = seen.element ? await seen.element.getText() : '';
    return actual.includes(text) ? undefined : `the text of ${JSON.stringify(selector)} to contain ${JSON.stringify(text)}: it is ${JSON.stringify(actual)}`;
  };
}

function checksOf(input: BrowserWaitInput): Check[] {
  const checks: Check[] = [];
  const { selector, text, url, title, condition } = input;
  if (selector !== undefined) checks.push(elementCheck(selector, input.state ?? 'visible', text));
  if (selector === undefined && text !== undefined) {
    checks.push(async (browser) => ((await browser.$('body').getText()).includes(text) ? undefined : `the page to show the text ${JSON.stringify(text)}`));
  }
  if (url !== undefined) {
    checks.push(async (browser) => {
      const actual = await browser.getUrl();
      return actual.includes(url) ? undefined : `the URL to contain ${JSON.stringify(url)}: it is ${actual}`;
    });
  }
  if (title !== undefined) {
    checks.push(async (browser) => {
      const actual = await browser.getTitle();
      return actual.includes(title) ? undefined : `the title to contain ${JSON.stringify(title)}: it is ${JSON.stringify(actual)}`;
    });
  }
  if (condition !== undefined) {
    checks.push(async (browser) => (Boolean(await runInPage(browser, `return (${condition});`, [])) ? undefined : `the condition ${condition} to be true`));
  }
  return checks;
}

async function waitFor(input: BrowserWaitInput, ctx: StepContext): Promise<BrowserWaitOutputs> {
  if (input.condition !== undefined) requireEval(ctx, 'browser.wait with a `condition`');
  // The schema asks for at least one thing to wait for.
  const checks = checksOf(input);
  const { browser, wait } = await browserFor(ctx, input);
  const probe = async () => {
    for (const check of checks) {
      const missing = await check(browser);
      if (missing !== undefined) return { done: false, missing };
    }
    return { done: true, missing: undefined };
  };
  const last = await poll(probe, wait, ({ missing }) => ctx.log('info', `waiting up to ${wait.timeoutMs} ms for ${missing}`));
  if (!last.done) throw new StepError('browser.timeout', `Timed out after ${wait.timeoutMs} ms waiting for ${last.missing}`);
  const [url, title] = await Promise.all([browser.getUrl(), browser.getTitle()]);
  return { url, title };
}

/** Waits for the session's page to show something. */
export const browserWait: StepType<BrowserWaitInput, BrowserWaitOutputs> = {
  type: 'browser.wait',
  description: 'Waits until the page shows an element (visible, present, hidden or absent), a text, a URL, a title or a condition; all given must hold at once.',
  input: {
    type: 'object',
    additionalProperties: false,
    'x-expected': 'a mapping with at least one of `selector`, `text`, `url`, `title` or `condition`',
    anyOf: [{ required: ['selector'] }, { required: ['text'] }, { required: ['url'] }, { required: ['title'] }, { required: ['condition'] }],
    properties: {
      selector: selectorSchema,
      state: { enum: ['visible', 'present', 'hidden', 'absent'], default: 'visible', description: 'What the element must be: visible, present (in the page, even hidden), hidden (hidden or absent) or absent.' },
      text: { type: 'string', description: 'A text the page (or, with `selector`, the element) must contain.' },
      url: { type: 'string', description: 'A part the page\'s URL must contain.' },
      title: { type: 'string', description: 'A part the page\'s title must contain.' },
      condition: { type: 'string', minLength: 1, description: 'A JavaScript expression computed in the page until it is true (needs `permissions: { browser_eval: true }`; written as is, without expressions).' },
      session: sessionSchema,
      timeout: timeoutSchema('for all of it to hold'),
    },
  },
  output: {
    type: 'object',
    properties: {
      url: { type: 'string', description: 'The page\'s URL when the wait ended.' },
      title: { type: 'string', description: 'The page\'s title when the wait ended.' },
    },
  },
  constantInputs: ['condition'],
  permission: { name: 'browser_eval', when: ['condition'] },
  run: waitFor,
};
