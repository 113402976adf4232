/**
 * The `browser.text` step: the visible text of an element, as an output.
 *
 * @example
 * - id: greeting
 *   uses: browser.text
 *   with: { selector: "#greeting" }
 * - run: echo "${{ steps.greeting.outputs.text }}"
 */
import type { StepContext, StepType } from '../contract.js';
import { waitForElement } from './elements.js';
import { selectorSchema, sessionSchema, timeoutSchema, type WaitingInput } from './options.js';
import { untilAborted } from './poll.js';
import { browserFor } from './session.js';

export interface BrowserTextInput extends WaitingInput {
  readonly selector: string;
}

export interface BrowserTextOutputs extends Record<string, unknown> {
  readonly text: string;
}

async function readText(input: BrowserTextInput, ctx: StepContext): Promise<BrowserTextOutputs> {
  const { browser, wait } = await browserFor(ctx, input);
  const { element } = await waitForElement(browser, input.selector, 'present', wait);
  return { text: await untilAborted(element!.getText(), ctx.signal) };
}

/** Reads an element's text. */
export const browserText: StepType<BrowserTextInput, BrowserTextOutputs> = {
  type: 'browser.text',
  description: 'Reads the visible text of an element (the first visible match, else the first match).',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['selector'],
    properties: { selector: selectorSchema, session: sessionSchema, timeout: timeoutSchema('for the element to be on the page') },
  },
  output: { type: 'object', properties: { text: { type: 'string', description: 'The element\'s text as the page shows it (empty when hidden).' } } },
  run: readText,
};
