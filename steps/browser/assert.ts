/**
 * The `browser.assert` step: fails the run unless the page shows what is expected (an element's
 * text, an element visible or absent, the title, the URL). Like the assertions of browser test
 * tools it gives the page `timeout` ms to get there (5 s by default; 0 checks once), then says
 * what was expected and what was there.
 *
 * @example
 * - uses: browser.assert
 *   with: { selector: "#greeting", text_contains: "Welcome, ann" }
 * # fails with: Assertion failed: text of "#greeting": expected to contain "Welcome, ann", actual: "Welcome, bob" (checked for 5000 ms)
 */
import type { Browser } from 'webdriverio';
import { StepError, type StepContext, type StepType } from '../contract.js';
import { describeSeen, look } from './elements.js';
import { selectorSchema, sessionSchema, timeoutSchema, type WaitingInput } from './options.js';
import { poll } from './poll.js';
import { browserFor } from './session.js';

export interface BrowserAssertInput extends WaitingInput {
  readonly selector?: string;
  readonly text_equals?: string;
  readonly text_contains?: string;
  readonly visible?: boolean;
  readonly absent?: boolean;
  readonly title_equals?: string;
  readonly title_contains?: string;
  readonly url_equals?: string;
  readonly url_contains?: string;
  readonly message?: string;
}

/** A check that does not hold: what it looked at, what was expected, what was there. */
interface Miss {
  readonly subject: string;
  readonly expected: string;
  readonly actual: string;
}

type Check = (browser: Browser) => Promise<Miss | undefined>;

const DEFAULT_ASSERT_MS = 5000;
const ELEMENT_CHECKS = ['text_equals', 'text_contains', 'visible', 'absent'] as const;

/** `"x"` or `to contain "x"`: what a compared text was expected to be. */
function expectation(expected: string, how: 'equals' | 'contains'): string {
  return how === 'equals' ? JSON.stringify(expected) : `to contain ${JSON.stringify(expected)}`;
}

/** A text compared with an expected one: equal, or containing it. */
function compare(subject: string, actual: string, expected: string, how: 'equals' | 'contains'): Miss | undefined {
  const ok = how === 'equals' ? actual === expected : actual.includes(expected);
  return ok ? undefined : { subject, expected: expectation(expected, how), actual: JSON.stringify(actual) };
}

function textCheck(selector: string, expected: string, how: 'equals' | 'contains'): Check {
  return async (browser) => {
    const seen = await look(browser, selector, 'present');
    const subject = `text of ${JSON.stringify(selector)}`;
    if (!seen.element) return { subject, expected: expectation(expected, how), actual: describeSeen(seen) };
    return compare(subject, await seen.element.getText(), expected, how);
  };
}

function presenceCheck(selector: string, want: 'visible' | 'hidden' | 'absent' | 'present'): Check {
  return async (browser) => {
    const seen = await look(browser, selector, want);
    const expected = want === 'hidden' ? 'hidden or absent' : want;
    return seen.done ? undefined : { subject: JSON.stringify(selector), expected: `to be ${expected}`, actual: describeSeen(seen) };
  };
}

function pageCheck(subject: string, read: (browser: Browser) => Promise<string>, expected: string, how: 'equals' | 'contains'): Check {
  return async (browser) => compare(subject, await read(browser), expected, how);
}

function elementChecks(input: BrowserAssertInput, selector: string): Check[] {
  const checks: Check[] = [];
  if (input.absent !== undefined) checks.push(presenceCheck(selector, input.absent ? 'absent' : 'present'));
  if (input.visible !== undefined) checks.push(presenceCheck(selector, input.visible ? 'visible' : 'hidden'));
  if (input.text_equals !== undefined) checks.push(textCheck(selector, input.text_equals, 'equals'));
  if (input.text_contains !== undefined) checks.push(textCheck(selector, input.text_contains, 'contains'));
  // A bare selector asserts that the element is visible.
  return checks.length ? checks : [presenceCheck(selector, 'visible')];
}

function checksOf(input: BrowserAssertInput): Check[] {
  const checks = input.selector === undefined ? [] : elementChecks(input, input.selector);
  const title = (browser: Browser) => browser.getTitle();
  const url = (browser: Browser) => browser.getUrl();
  if (input.title_equals !== undefined) checks.push(pageCheck('title', title, input.title_equals, 'equals'));
  if (input.title_contains !== undefined) checks.push(pageCheck('title', title, input.title_contains, 'contains'));
  if (input.url_equals !== undefined) checks.push(pageCheck('URL', url, input.url_equals, 'equals'));
  if (input.url_contains !== undefined) checks.push(pageCheck('URL', url, input.url_contains, 'contains'));
  return checks;
}

async function assertPage(input: BrowserAssertInput, ctx: StepContext): Promise<Record<string, never>> {
  const checks = checksOf(input);
  const { browser, wait } = await browserFor(ctx, { ...input, timeout: input.timeout ?? DEFAULT_ASSERT_MS });
  const probe = async () => {
    for (const check of checks) {
      const miss = await check(browser);
      if (miss) return { done: false, miss };
    }
    return { done: true, miss: undefined };
  };
  const { miss } = await poll(probe, wait);
  if (!miss) return {};
  const after = wait.timeoutMs > 0 ? ` (checked for ${wait.timeoutMs} ms)` : '';
  throw new StepError('browser.assertion', `${input.message ?? 'Assertion failed'}: ${miss.subject}: expected ${miss.expected}, actual: ${miss.actual}${after}`, { ...miss });
}

const selectorNeeded = Object.fromEntries(ELEMENT_CHECKS.map((key) => [key, ['selector']]));

/** Asserts what the session's page shows. */
export const browserAssert: StepType<BrowserAssertInput, Record<string, never>> = {
  type: 'browser.assert',
  description: 'Fails unless the page shows what is expected: an element\'s text, an element visible or absent, the title, the URL (waiting up to `timeout` for it).',
  input: {
    type: 'object',
    additionalProperties: false,
    'x-expected': 'a mapping with a `selector` (for text_equals, text_contains, visible, absent) or one of title_equals, title_contains, url_equals, url_contains',
    anyOf: [{ required: ['selector'] }, { required: ['title_equals'] }, { required: ['title_contains'] }, { required: ['url_equals'] }, { required: ['url_contains'] }],
    dependencies: selectorNeeded,
    properties: {
      selector: { ...selectorSchema, description: `The element checked; alone, it must be visible. ${String(selectorSchema.description)}` },
      text_equals: { type: 'string', description: 'The element\'s text must be exactly this.' },
      text_contains: { type: 'string', description: 'The element\'s text must contain this.' },
      visible: { type: 'boolean', description: 'true: the element must be visible; false: hidden or absent.' },
      absent: { type: 'boolean', description: 'true: no element may match the selector; false: one must (even hidden).' },
      title_equals: { type: 'string', description: 'The page title must be exactly this.' },
      title_contains: { type: 'string', description: 'The page title must contain this.' },
      url_equals: { type: 'string', description: 'The page URL must be exactly this.' },
      url_contains: { type: 'string', description: 'The page URL must contain this.' },
      message: { type: 'string', description: 'Says what the assertion means; it starts the failure message instead of "Assertion failed".' },
      session: sessionSchema,
      timeout: timeoutSchema('for the page to show what is expected (0: check once)', DEFAULT_ASSERT_MS),
    },
  },
  run: assertPage,
};
