/**
 * The `browser.attribute` step: the value of an element's attribute, as an output.
 *
 * @example
 * - id: link
 *   uses: browser.attribute
 *   with: { selector: "a=Download", name: href }
 */
import type { StepContext, StepType } from '../contract.js';
import { waitForElement } from './elements.js';
import { selectorSchema, sessionSchema, timeoutSchema, type WaitingInput } from './options.js';
import { untilAborted } from './poll.js';
import { browserFor } from './session.js';

export interface BrowserAttributeInput extends WaitingInput {
  readonly selector: string;
  readonly name: string;
}

export interface BrowserAttributeOutputs extends Record<string, unknown> {
  readonly value: string | null;
}

async function readAttribute(input: BrowserAttributeInput, ctx: StepContext): Promise<BrowserAttributeOutputs> {
  const { browser, wait } = await browserFor(ctx, input);
  const { element } = await waitForElement(browser, input.selector, 'present', wait);
  return { value: await untilAborted(element!.getAttribute(input.name), ctx.signal) };
}

/** Reads an element's attribute. */
export const browserAttribute: StepType<BrowserAttributeInput, BrowserAttributeOutputs> = {
  type: 'browser.attribute',
  description: 'Reads an attribute of an element (null when the element does not have it).',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['selector', 'name'],
    properties: {
      selector: selectorSchema,
      name: { type: 'string', minLength: 1, description: 'The attribute\'s name, e.g. href, value, data-state.' },
      session: sessionSchema,
      timeout: timeoutSchema('for the element to be on the page'),
    },
  },
  output: { type: 'object', properties: { value: { type: ['string', 'null'], description: 'The attribute\'s value, or null.' } } },
  run: readAttribute,
};
