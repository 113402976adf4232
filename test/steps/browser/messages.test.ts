/**
 * What browser steps say when the page is not as expected (assertions, timeouts, bad selectors,
 * script errors), keys and page JavaScript, all in one real Chromium session; and a run that
 * fails still ends its browser.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Key } from 'webdriverio';
import { sessionProcesses, survivors, uniqueMarker, type SessionProcesses } from '../../helpers/browser.js';
import { finishedList, finishedOf, logLines, runText, tempDir, type RunEvent } from '../../helpers/workflow.js';
import { servePages, type PageServer } from './pages.js';

const dir = tempDir('arq-browser-messages-');
let pages: PageServer;
beforeAll(async () => {
  pages = await servePages();
});
afterAll(() => pages.close());

describe('browser step messages', () => {
  it('say what was expected and what the page showed; the session outlives failed and timed-out steps; a failed run ends the browser', async () => {
    const marker = uniqueMarker();
    let session: SessionProcesses | undefined;
    const onEvent = (event: RunEvent) => {
      if (event.type === 'step.started' && event.step === 'keys') session = sessionProcesses(marker);
    };
    const yaml = `
name: messages
permissions: { browser_eval: true }
defaults: { continue_on_error: true }
steps:
  - { id: open, uses: browser.open, with: { url: "${pages.base}/login", args: ["${marker}"] } }
  - { id: wrong_text, uses: browser.assert, with: { selector: h1, text_contains: Welcome, timeout: 300 } }
  - { id: wrong_title, uses: browser.assert, with: { title_equals: Dashboard, timeout: 0, message: "not signed in yet" } }
  - { id: wrong_url, uses: browser.assert, with: { url_contains: /dashboard, timeout: 0 } }
  - { id: not_absent, uses: browser.assert, with: { selector: "#user", absent: true, timeout: 0 } }
  - { id: not_visible, uses: browser.assert, with: { selector: "#secret", timeout: 0 } }
  - { id: no_element, uses: browser.assert, with: { selector: "#greeting", text_equals: hi, timeout: 0 } }
  - { id: passes, uses: browser.assert, with: { selector: ".row", text_equals: "1", title_contains: Sign, url_equals: "${pages.base}/login", timeout: 0 } }
  - { id: never, uses: browser.wait, with: { selector: "#never", timeout: 500 } }
  - { id: hidden_click, uses: browser.click, with: { selector: "#secret", timeout: 300 } }
  - { id: no_text, uses: browser.wait, with: { text: Welcome, timeout: 300 } }
  - { id: bad_selector, uses: browser.text, with: { selector: "#a[", timeout: 0 } }
  - { id: stuck, uses: browser.wait, with: { text: "never shown", timeout: 60000 }, timeout: 500ms }
  - { id: keys, uses: browser.press, with: { selector: "#keys-input", key: a } }
  - { id: chord, uses: browser.press, with: { key: Control+b } }
  - { id: enter, uses: browser.press, with: { key: enter } }
  - { id: typed, uses: browser.text, with: { selector: "#keys" } }
  - { id: bad_key, uses: browser.press, with: { key: Hyper+x } }
  - { id: rows, uses: browser.eval, with: { script: "return [document.querySelectorAll(arguments[0]).length, arguments[1] * 2]", args: [".row", 21] } }
  - { id: throws, uses: browser.eval, with: { script: "throw new Error('boom')" } }
  - { id: condition, uses: browser.wait, with: { condition: "document.querySelectorAll('.row').length === 3" } }
  - { id: false_condition, uses: browser.wait, with: { condition: "document.title === 'nope'", timeout: 300 } }
  - { id: slow_page, uses: browser.open, with: { url: "${pages.base}/slow", timeout: 500 } }
  - { id: after_slow, uses: browser.open, with: { url: "${pages.base}/login" } }
  - { id: last, uses: browser.assert, with: { selector: h1, text_equals: Dashboard, timeout: 0 }, continue_on_error: false }
  - { id: skipped, uses: noop }
outputs:
  typed: \${{ steps.typed.outputs.text }}
`;
    const { result, events } = await runText(yaml, dir, { onEvent });
    expect(result.status).toBe('failed');
    const error = (step: string) => finishedOf(events, step).error;
    expect(error('wrong_text')).toBe('Assertion failed: text of "h1": expected to contain "Welcome", actual: "Sign in" (checked for 300 ms)');
    expect(error('wrong_title')).toBe('not signed in yet: title: expected "Dashboard", actual: "Sign in"');
    expect(error('wrong_url')).toBe(`Assertion failed: URL: expected to contain "/dashboard", actual: "${pages.base}/login"`);
    expect(error('not_absent')).toBe('Assertion failed: "#user": expected to be absent, actual: one element matches, visible');
    expect(error('not_visible')).toBe('Assertion failed: "#secret": expected to be visible, actual: one element matches, hidden');
    expect(error('no_element')).toBe('Assertion failed: text of "#greeting": expected "hi", actual: no element matches');
    expect(finishedOf(events, 'passes').status).toBe('succeeded');
    expect(error('never')).toBe('Timed out after 500 ms waiting for "#never" to be visible: no element matches');
    expect(logLines(events, 'never')).toEqual(['waiting up to 500 ms for "#never" to be visible: no element matches']);
    expect(error('hidden_click')).toBe('Timed out after 300 ms waiting for "#secret" to be visible: one element matches, hidden');
    expect(error('no_text')).toBe('Timed out after 300 ms waiting for the page to show the text "Welcome"');
    expect(error('bad_selector')).toBe('Invalid selector "#a[": invalid selector: An invalid or illegal selector was specified');
    expect(error('stuck')).toBe('Timed out after 500ms');
    expect(result.outputs).toEqual({ typed: 'a Control+b Enter' });
    expect(error('bad_key')).toBe(`Unknown key "Hyper" in "Hyper+x": use a single character or one of ${Object.keys(Key).join(', ')}`);
    expect(finishedOf(events, 'rows').outputs).toEqual({ value: [3, 42] });
    expect(error('throws')).toBe('The page\'s JavaScript failed: javascript error: boom');
    expect(finishedOf(events, 'condition').status).toBe('succeeded');
    expect(error('false_condition')).toBe('Timed out after 300 ms waiting for the condition document.title === \'nope\' to be true');
    expect(error('slow_page')).toBe(`Timed out after 500 ms loading ${pages.base}/slow`);
    expect(finishedOf(events, 'after_slow').outputs).toEqual({ url: `${pages.base}/login`, title: 'Sign in', session: 'default' });
    expect(error('last')).toBe('Assertion failed: text of "h1": expected "Dashboard", actual: "Sign in"');
    expect(finishedList(events).slice(-4)).toEqual(['slow_page:failed', 'after_slow:succeeded', 'last:failed', 'skipped:skipped']);
    expect(session).toBeDefined();
    expect(survivors(session!)).toEqual([]);
  });
});
