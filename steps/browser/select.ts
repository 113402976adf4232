/**
 * The `browser.select` step: chooses an option of a `<select>` by its value, its label or its index.
 *
 * @example
 * - uses: browser.select
 *   with: { selector: "#role", label: "Administrator" }
 */
import { StepError, type StepContext, type StepType } from '../contract.js';
import { actOn } from './elements.js';
import { selectorSchema, sessionSchema, timeoutSchema, type WaitingInput } from './options.js';
import { browserFor } from './session.js';

type Element = WebdriverIO.Element;

export interface BrowserSelectInput extends WaitingInput {
  readonly selector: string;
  readonly value?: string;
  readonly label?: string;
  readonly index?: number;
}

export interface BrowserSelectOutputs extends Record<string, unknown> {
  readonly value: string;
}

/** The schema asks for at least one of value, label and index; more than one is ambiguous. */
function choose(input: BrowserSelectInput): (element: Element) => Promise<unknown> {
  const given = (['value', 'label', 'index'] as const).filter((key) => input[key] !== undefined);
  if (given.length > 1) throw new StepError('browser.bad_input', `browser.select takes one of \`value\`, \`label\` or \`index\`; got ${given.join(' and ')}`);
  if (input.value !== undefined) return (element) => element.selectByAttribute('value', input.value!);
  if (input.label !== undefined) return (element) => element.selectByVisibleText(input.label!);
  return (element) => element.selectByIndex(input.index!);
}

async function select(input: BrowserSelectInput, ctx: StepContext): Promise<BrowserSelectOutputs> {
  const action = choose(input);
  const { browser, wait } = await browserFor(ctx, input);
  const value = await actOn(browser, input.selector, 'select an option of', wait, async (element) => {
    await action(element);
    return element.getValue();
  });
  return { value };
}

/** Picks an option of a select element. */
export const browserSelect: StepType<BrowserSelectInput, BrowserSelectOutputs> = {
  type: 'browser.select',
  description: 'Chooses an option of a <select> element by its value, its visible label or its index.',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['selector'],
    'x-expected': 'a mapping with a `selector` and one of `value`, `label` or `index`',
    anyOf: [{ required: ['value'] }, { required: ['label'] }, { required: ['index'] }],
    properties: {
      selector: selectorSchema,
      value: { type: 'string', description: 'The value attribute of the option to choose.' },
      label: { type: 'string', description: 'The visible text of the option to choose.' },
      index: { type: 'integer', minimum: 0, description: 'The position of the option to choose, 0 for the first.' },
      session: sessionSchema,
      timeout: timeoutSchema('for the select element to be visible'),
    },
  },
  output: { type: 'object', properties: { value: { type: 'string', description: 'The value of the chosen option.' } } },
  run: select,
};
