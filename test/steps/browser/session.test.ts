/**
 * Browser sessions against a real headless Chromium: a login flow in one reused session, a second
 * named session closed early, and the process table after a run that succeeds, is cancelled, or
 * whose session could not even be created.
 */
import { chmodSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pngSize } from '../../../steps/browser/screenshot.js';
import { sessionProcesses, survivors, uniqueMarker, type SessionProcesses } from '../../helpers/browser.js';
import { killLeftovers, liveProcesses, processInfo, uniqueSleep } from '../../helpers/processes.js';
import { finishedList, finishedOf, logLines, runText, tempDir, writeFiles, type RunEvent } from '../../helpers/workflow.js';
import { servePages, type PageServer } from './pages.js';

const dir = tempDir('arq-browser-session-');
let pages: PageServer;
beforeAll(async () => {
  pages = await servePages();
});
afterAll(() => pages.close());

/** Calls the function of each step when that step starts (its first attempt), while the run goes on. */
function atStart(steps: Record<string, () => void>): (event: RunEvent) => void {
  return (event) => {
    if (event.type === 'step.started' && event.attempt === 1) steps[event.step]?.();
  };
}

describe('browser sessions', () => {
  it('logs in through a form in one session that every step reuses, and ends it with the run', async () => {
    const marker = uniqueMarker();
    const seen: (SessionProcesses | undefined)[] = [];
    const look = () => seen.push(sessionProcesses(marker));
    const yaml = `
name: login
steps:
  - id: open
    uses: browser.open
    with: { url: "${pages.base}/login", viewport: { width: 640, height: 480 }, args: ["${marker}"] }
  - id: user
    uses: browser.fill
    with: { selector: "#user", value: ann }
  - id: role
    uses: browser.select
    with: { selector: "#role", label: Administrator }
  - id: submit
    uses: browser.click
    with: { selector: "button=Sign in" }
  - id: arrived
    uses: browser.wait
    with: { text: "Welcome, ann", url: /dashboard }
  - id: greeting
    uses: browser.text
    with: { selector: "#greeting" }
  - id: logout
    uses: browser.attribute
    with: { selector: "=Log out", name: href }
  - id: check
    uses: browser.assert
    with: { selector: "#greeting", text_equals: "Welcome, ann (admin)", title_equals: Dashboard, url_contains: /dashboard }
  - id: form_gone
    uses: browser.assert
    with: { selector: "#login-form", visible: false }
  - id: page
    uses: browser.screenshot
    with: { path: shots/dashboard.png }
  - id: part
    uses: browser.screenshot
    with: { selector: "#greeting" }
outputs:
  open: \${{ steps.open.outputs }}
  role: \${{ steps.role.outputs.value }}
  arrived: \${{ steps.arrived.outputs }}
  greeting: \${{ steps.greeting.outputs.text }}
  logout: \${{ steps.logout.outputs.value }}
  page: \${{ steps.page.outputs }}
  part: \${{ steps.part.outputs }}
`;
    const artifacts = join(dir, 'artifacts-login');
    const onEvent = atStart({ user: look, submit: look, greeting: look, part: look });
    const { result, events } = await runText(yaml, dir, { artifactsDir: artifacts, onEvent });
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('succeeded');
    expect(finishedList(events)).toEqual(['open', 'user', 'role', 'submit', 'arrived', 'greeting', 'logout', 'check', 'form_gone', 'page', 'part'].map((s) => `${s}:succeeded`));
    expect(result.outputs).toEqual({
      open: { url: `${pages.base}/login`, title: 'Sign in', session: 'default' },
      role: 'admin',
      arrived: { url: `${pages.base}/dashboard`, title: 'Dashboard' },
      greeting: 'Welcome, ann (admin)',
      logout: '/logout',
      page: { path: join(artifacts, 'shots', 'dashboard.png'), width: 640, height: 480, bytes: statSync(join(artifacts, 'shots', 'dashboard.png')).size },
      part: { path: join(artifacts, 'part.png'), width: 200, height: 40, bytes: statSync(join(artifacts, 'part.png')).size },
    });
    // The files are real PNGs of the sizes the outputs say.
    expect(pngSize(readFileSync(join(artifacts, 'shots', 'dashboard.png')))).toEqual({ width: 640, height: 480 });
    expect(pngSize(readFileSync(join(artifacts, 'part.png')))).toEqual({ width: 200, height: 40 });
    // One browser served every step: the same processes at each look, and the page was loaded once.
    expect(seen).toHaveLength(4);
    expect(seen[0]).toBeDefined();
    expect(seen.every((s) => s !== undefined && s.browser === seen[0]!.browser && s.driver === seen[0]!.driver)).toBe(true);
    expect(processInfo(seen[0]!.driver)).toBeUndefined();
    expect(pages.hits.get('/login')).toBe(1);
    expect(survivors(seen[0]!)).toEqual([]);
  });

  it('keeps a named session apart from the default one, and browser.close ends it before the run does', async () => {
    const [mainMarker, adminMarker] = [uniqueMarker(), uniqueMarker()];
    const both: Record<string, SessionProcesses | undefined> = {};
    const afterClose: Record<string, number[]> = {};
    const yaml = `
name: two-sessions
steps:
  - { id: main, uses: browser.open, with: { url: "${pages.base}/login", args: ["${mainMarker}"] } }
  - { id: fill_main, uses: browser.fill, with: { selector: "#user", value: main-user } }
  - { id: admin, uses: browser.open, with: { session: admin, url: "${pages.base}/login", args: ["${adminMarker}"] } }
  - { id: admin_user, uses: browser.attribute, with: { session: admin, selector: "#user", name: value, property: true } }
  - { id: main_user, uses: browser.attribute, with: { selector: "#user", name: value, property: true } }
  - { id: close_admin, uses: browser.close, with: { session: admin } }
  - { id: after, uses: browser.attribute, with: { selector: "#user", name: value, property: true } }
outputs:
  admin: \${{ steps.admin.outputs.session }}
  admin_user: \${{ steps.admin_user.outputs.value }}
  main_user: \${{ steps.main_user.outputs.value }}
  after: \${{ steps.after.outputs.value }}
`;
    const onEvent = atStart({
      admin_user: () => Object.assign(both, { main: sessionProcesses(mainMarker), admin: sessionProcesses(adminMarker) }),
      after: () => Object.assign(afterClose, { admin: survivors(both.admin!), main: survivors(both.main!) }),
    });
    const { result } = await runText(yaml, dir, { onEvent });
    expect(result.status).toBe('succeeded');
    expect(result.outputs).toEqual({ admin: 'admin', admin_user: '', main_user: 'main-user', after: 'main-user' });
    expect(both.main).toBeDefined();
    expect(both.admin).toBeDefined();
    expect(both.admin!.driver).not.toBe(both.main!.driver);
    expect(afterClose.admin).toEqual([]);
    expect(afterClose.main!.length).toBeGreaterThan(0);
    expect(survivors(both.main!)).toEqual([]);
  });

  it('a run cancelled while a step waits in the page leaves no chromium or chromedriver process', async () => {
    const marker = uniqueMarker();
    const controller = new AbortController();
    let during: SessionProcesses | undefined;
    const yaml = `
name: cancel-browser
steps:
  - { id: open, uses: browser.open, with: { url: "${pages.base}/login", args: ["${marker}"] } }
  - { id: wait, uses: browser.wait, with: { text: "never shown", timeout: 60000 } }
  - { id: never, uses: noop }
`;
    // Cancelled once the step says it waits: its first look at the page found nothing.
    const onEvent = (event: RunEvent) => {
      if (event.type !== 'step.log' || event.step !== 'wait') return;
      during = sessionProcesses(marker);
      controller.abort();
    };
    const { result, events } = await runText(yaml, dir, { signal: controller.signal, onEvent });
    expect(result.status).toBe('cancelled');
    expect(finishedList(events)).toEqual(['open:succeeded', 'wait:cancelled']);
    expect(finishedOf(events, 'wait').error).toBe('Cancelled');
    expect(logLines(events, 'wait')).toEqual(['waiting up to 60000 ms for the page to show the text "never shown"']);
    expect(during).toBeDefined();
    expect(survivors(during!)).toEqual([]);
    expect(liveProcesses(marker)).toEqual([]);
  });

  it('a session that cannot be created (a Chromium that exits at once, from ARQ_CHROMIUM) fails the step and leaves nothing running', async () => {
    const sleep = uniqueSleep();
    writeFiles(dir, {
      'fake-chromium.sh': `#!/bin/sh\necho "$PPID" > "${dir}/driver.pid"\nsleep ${sleep} &\necho "fake chromium cannot start" >&2\nexit 1\n`,
    });
    chmodSync(join(dir, 'fake-chromium.sh'), 0o755);
    try {
      const yaml = `name: no-session\nsteps:\n  - { id: open, uses: browser.open, with: { url: "${pages.base}/login" } }\n`;
      const { result } = await runText(yaml, dir, { env: { ...process.env, ARQ_CHROMIUM: join(dir, 'fake-chromium.sh') } });
      expect(result.status).toBe('failed');
      expect(result.error).toMatch(/^Step "open" failed: Could not open a Chromium session: session not created: [^\n]+\nChromium printed:\nfake chromium cannot start$/);
      const driver = Number(readFileSync(join(dir, 'driver.pid'), 'utf8'));
      expect(driver).toBeGreaterThan(1);
      expect(processInfo(driver)?.cmdline.includes('chromedriver') ?? false).toBe(false);
      expect(liveProcesses(sleep)).toEqual([]);
    } finally {
      killLeftovers(sleep);
    }
  });
});
