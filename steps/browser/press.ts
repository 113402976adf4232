/**
 * The `browser.press` step: presses a key or a chord (`Enter`, `Tab`, `Control+a`), in the
 * focused element or in the one a selector names.
 *
 * @example
 * - uses: browser.press
 *   with: { selector: "#search", key: Enter }
 */
import { StepError, type StepContext, type StepType } from '../contract.js';
import { actOn } from './elements.js';
import { selectorSchema, sessionSchema, timeoutSchema, type WaitingInput } from './options.js';
import { untilAborted } from './poll.js';
import { browserFor, loadWebdriverio } from './session.js';

export interface BrowserPressInput extends WaitingInput {
  readonly key: string;
  readonly selector?: string;
}

/**
 * The keys of a chord, as WebDriver characters: names of webdriverio's `Key` (any case), or
 * single characters. `+` joins keys; a lone `+` is the plus key.
 *
 * @example
 * parseChord('Control+a', Key) // [Key.Control, 'a']
 */
export function parseChord(chord: string, names: Readonly<Record<string, string>>): string[] {
  const parts = chord === '+' ? ['+'] : chord.split('+');
  const byName = new Map(Object.entries(names).map(([name, value]) => [name.toLowerCase(), value]));
  return parts.map((part) => {
    if ([...part].length === 1) return part;
    const value = byName.get(part.toLowerCase());
    if (value !== undefined) return value;
    throw new StepError('browser.bad_key', `Unknown key ${JSON.stringify(part)} in ${JSON.stringify(chord)}: use a single character or one of ${Object.keys(names).join(', ')}`, { key: chord });
  });
}

async function press(input: BrowserPressInput, ctx: StepContext): Promise<Record<string, never>> {
  const { Key } = await loadWebdriverio();
  const keys = parseChord(input.key, Key);
  const { browser, wait } = await browserFor(ctx, input);
  if (input.selector !== undefined) {
    await actOn(browser, input.selector, 'focus', wait, (element) => browser.execute((el) => (el as unknown as HTMLElement).focus(), element));
  }
  await untilAborted(browser.keys(keys), ctx.signal);
  return {};
}

/** Presses keys in the session's page. */
export const browserPress: StepType<BrowserPressInput, Record<string, never>> = {
  type: 'browser.press',
  description: 'Presses a key or a chord (Enter, Tab, Escape, Control+a, ...) in the focused element, or in the element a selector names.',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['key'],
    properties: {
      key: { type: 'string', minLength: 1, description: 'A key name of webdriverio\'s Key (Enter, Tab, Escape, Backspace, ArrowDown, F5, Control, Shift, Alt, ...) or a single character; join keys held together with + (Control+a).' },
      selector: { ...selectorSchema, description: `The element to focus before pressing. ${String(selectorSchema.description)}` },
      session: sessionSchema,
      timeout: timeoutSchema('for the element to be visible'),
    },
  },
  run: press,
};
