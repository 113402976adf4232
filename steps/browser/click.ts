/**
 * The `browser.click` step: waits for an element to be visible, then clicks it.
 *
 * @example
 * - uses: browser.click
 *   with: { selector: "button=Sign in" }
 */
import type { StepContext, StepType } from '../contract.js';
import { actOn } from './elements.js';
import { selectorSchema, sessionSchema, timeoutSchema, type WaitingInput } from './options.js';
import { browserFor } from './session.js';

export interface BrowserClickInput extends WaitingInput {
  readonly selector: string;
}

async function click(input: BrowserClickInput, ctx: StepContext): Promise<Record<string, never>> {
  const { browser, wait } = await browserFor(ctx, input);
  await actOn(browser, input.selector, 'click', wait, (element) => element.click());
  return {};
}

/** Clicks an element of the session's page. */
export const browserClick: StepType<BrowserClickInput, Record<string, never>> = {
  type: 'browser.click',
  description: 'Clicks an element of the page, once it is visible (an element covered for a moment is clicked when it is uncovered).',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['selector'],
    properties: { selector: selectorSchema, session: sessionSchema, timeout: timeoutSchema('for the element to be visible and clickable') },
  },
  run: click,
};
