/**
 * Finding elements by selector and waiting for them to be in a state (on the page, visible,
 * hidden, gone), with failures that say what the page showed when the time ran out.
 *
 * @example
 * const button = await waitForElement(browser, '#submit', { state: 'visible', timeoutMs: 5000, signal });
 * // or: Timed out after 5000 ms waiting for "#submit" to be visible: one element matches, hidden
 */
import type { Browser } from 'webdriverio';
import { StepError } from '../contract.js';
import { firstLine } from './errors.js';
import { poll, type PollOptions } from './poll.js';

type Element = WebdriverIO.Element;

/** What a step waits for an element to be. */
export type ElementState = 'present' | 'visible' | 'hidden' | 'absent';

/** What matched a selector at one look. */
export interface Seen {
  readonly done: boolean;
  readonly count: number;
  readonly visible: number;
  /** The first visible element, else the first one. */
  readonly element?: Element;
}

const STATE_WORDS: Readonly<Record<ElementState, string>> = {
  present: 'to be on the page', visible: 'to be visible', hidden: 'to be hidden or absent', absent: 'to be absent',
};

/** `"#x" to be visible`: what was waited for, in words. */
export function describeWanted(selector: string, state: ElementState): string {
  return `${JSON.stringify(selector)} ${STATE_WORDS[state]}`;
}

/** What the page showed for a selector, in words: `no element matches`, `one element matches, hidden`. */
export function describeSeen(seen: Seen): string {
  if (seen.count === 0) return 'no element matches';
  if (seen.count === 1) return `one element matches, ${seen.visible ? 'visible' : 'hidden'}`;
  return `${seen.count} elements match, ${seen.visible} visible`;
}

function isDone(state: ElementState, count: number, visible: number): boolean {
  switch (state) {
    case 'present': return count > 0;
    case 'visible': return visible > 0;
    case 'hidden': return visible === 0;
    case 'absent': return count === 0;
  }
}

/** An element that vanished while it was looked at counts as not visible. */
async function displayed(element: Element): Promise<boolean> {
  return element.isDisplayed().catch(() => false);
}

/** The elements matching `selector` now; a selector the browser refuses is a StepError. */
export async function findAll(browser: Browser, selector: string): Promise<Element[]> {
  try {
    return [...(await browser.$$(selector))] as Element[];
  } catch (error) {
    if (!/invalid selector|is not a valid selector|SyntaxError/i.test(String(error))) throw error;
    throw new StepError('browser.bad_selector', `Invalid selector ${JSON.stringify(selector)}: ${firstLine(error)}`, { selector });
  }
}

/** One look at what matches `selector`. */
export async function look(browser: Browser, selector: string, state: ElementState): Promise<Seen> {
  const elements = await findAll(browser, selector);
  let visible = 0;
  let first: Element | undefined;
  // Counting every visible match costs a call per element: stop at the first one unless a message needs the count.
  for (const element of elements) {
    if (!(await displayed(element))) continue;
    visible++;
    first ??= element;
    if (state === 'visible' || state === 'present') break;
  }
  return { done: isDone(state, elements.length, visible), count: elements.length, visible, element: first ?? elements[0] };
}

/** Waits until `selector` is in `state`; resolves with the last look (its element, for present and visible). */
export async function waitForElement(browser: Browser, selector: string, state: ElementState, options: PollOptions): Promise<Seen> {
  const seen = await poll(() => look(browser, selector, state), options);
  if (seen.done) return seen;
  throw new StepError('browser.timeout', `Timed out after ${options.timeoutMs} ms waiting for ${describeWanted(selector, state)}: ${describeSeen(seen)}`, {
    selector, state, count: seen.count,
  });
}

/** The element a step acts on: the first visible match of `selector`, waited for. */
export async function visibleElement(browser: Browser, selector: string, options: PollOptions): Promise<Element> {
  return (await waitForElement(browser, selector, 'visible', options)).element!;
}

/** Refusals that pass once the page settles: an overlay that goes away, a field not yet enabled. */
const TRANSIENT = /element click intercepted|element not interactable|stale element reference|invalid element state|not clickable/i;

type Attempt<T> = { readonly done: true; readonly value: T } | { readonly done: false; readonly seen: Seen; readonly error?: unknown };

/**
 * Waits for a visible match of `selector`, then does `action` on it; an action the page refuses
 * for now (covered by another element, not interactable yet) is tried again until the time is up.
 */
export async function actOn<T>(browser: Browser, selector: string, verb: string, options: PollOptions, action: (element: Element) => Promise<T>): Promise<T> {
  const attempt = async (): Promise<Attempt<T>> => {
    const seen = await look(browser, selector, 'visible');
    if (!seen.done) return { done: false, seen };
    try {
      return { done: true, value: await action(seen.element!) };
    } catch (error) {
      if (!TRANSIENT.test(error instanceof Error ? error.message : String(error))) throw error;
      return { done: false, seen, error };
    }
  };
  const last = await poll(attempt, options);
  if (last.done) return last.value;
  const why = last.error === undefined ? `waiting for ${describeWanted(selector, 'visible')}: ${describeSeen(last.seen)}` : `trying to ${verb} ${JSON.stringify(selector)}: ${firstLine(last.error)}`;
  throw new StepError('browser.timeout', `Timed out after ${options.timeoutMs} ms ${why}`, { selector });
}

