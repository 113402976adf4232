/**
 * The `browser.fill` step: types a value into a form field, replacing what it held.
 *
 * @example
 * - uses: browser.fill
 *   with: { selector: "#password", value: "${{ secrets.ADMIN_PASSWORD }}" }
 */
import type { StepContext, StepType } from '../contract.js';
import { actOn } from './elements.js';
import { selectorSchema, sessionSchema, timeoutSchema, type WaitingInput } from './options.js';
import { browserFor } from './session.js';

export interface BrowserFillInput extends WaitingInput {
  readonly selector: string;
  readonly value: string | number;
  readonly clear?: boolean;
}

async function fill(input: BrowserFillInput, ctx: StepContext): Promise<Record<string, never>> {
  const { browser, wait } = await browserFor(ctx, input);
  const value = String(input.value);
  await actOn(browser, input.selector, 'fill', wait, (element) => (input.clear === false ? element.addValue(value) : element.setValue(value)));
  return {};
}

/** Types into a field of the session's page; the value is never logged. */
export const browserFill: StepType<BrowserFillInput, Record<string, never>> = {
  type: 'browser.fill',
  description: 'Types a value into a form field (input, textarea, contenteditable), replacing its content unless clear: false.',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['selector', 'value'],
    properties: {
      selector: selectorSchema,
      value: { type: ['string', 'number'], description: 'The text to type (a secret is fine: it is never logged).' },
      clear: { type: 'boolean', default: true, description: 'Empty the field first; false appends to what it holds.' },
      session: sessionSchema,
      timeout: timeoutSchema('for the field to be visible and editable'),
    },
  },
  run: fill,
};
