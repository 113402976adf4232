/**
 * The `browser.attribute` step: the value of an element's attribute (or, with `property: true`,
 * of its DOM property: what was typed in a field is its `value` property), as an output.
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
  readonly property?: boolean;
}

export interface BrowserAttributeOutputs extends Record<string, unknown> {
  readonly value: unknown;
}

async function readAttribute(input: BrowserAttributeInput, ctx: StepContext): Promise<BrowserAttributeOutputs> {
  const { browser, wait } = await browserFor(ctx, input);
  const { element } = await waitForElement(browser, input.selector, 'present', wait);
  const read = input.property ? element!.getProperty(input.name) : element!.getAttribute(input.name);
  return { value: (await untilAborted(read, ctx.signal)) ?? null };
}

/** Reads an element's attribute. */
export const browserAttribute: StepType<BrowserAttributeInput, BrowserAttributeOutputs> = {
  type: 'browser.attribute',
  description: 'Reads an attribute of an element, or with property: true a DOM property (null when it has none).',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['selector', 'name'],
    properties: {
      selector: selectorSchema,
      name: { type: 'string', minLength: 1, description: 'The attribute\'s name, e.g. href, data-state (or the property\'s, e.g. value, checked).' },
      property: { type: 'boolean', default: false, description: 'Read the DOM property `name` instead of the attribute: a field\'s `value` property is what it holds now.' },
      session: sessionSchema,
      timeout: timeoutSchema('for the element to be on the page'),
    },
  },
  output: { type: 'object', properties: { value: { description: 'The attribute\'s value (a string), the property\'s (any JSON value), or null.' } } },
  run: readAttribute,
};
