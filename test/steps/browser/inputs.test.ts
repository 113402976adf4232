/**
 * Browser steps refusing what they must refuse before any browser starts: missing programs,
 * page JavaScript the workflow did not allow (at check time, at its line and column, and again
 * at run time), code with expressions pasted in, non-web URLs, screenshot paths leaving the run's
 * folder; and the small pure parts (key chords, PNG sizes, webdriverio's error wording).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Key } from 'webdriverio';
import { RunResources } from '../../../engine/run/resources.js';
import { browserEval } from '../../../steps/browser/eval.js';
import { errorText } from '../../../steps/browser/errors.js';
import { parseChord } from '../../../steps/browser/press.js';
import { pngSize } from '../../../steps/browser/screenshot.js';
import { StepError, type StepContext } from '../../../steps/contract.js';
import { runCli } from '../../helpers/cli.js';
import { problemsIn, yaml } from '../../engine/check/helpers.js';
import { runText, tempDir, writeFiles } from '../../helpers/workflow.js';

const dir = tempDir('arq-browser-inputs-');

describe('browser steps refuse before a browser starts', () => {
  it('names the Debian package when chromedriver or Chromium is missing, whichever way the path was given', async () => {
    const open = 'name: missing\nsteps:\n  - { id: open, uses: browser.open, with: { url: "http://127.0.0.1:1/" } }\n';
    const env = { ...process.env, ARQ_CHROMEDRIVER: '/nonexistent/chromedriver' };
    const byEnv = await runText(open, dir, { env });
    expect(byEnv.result.error).toBe('Step "open" failed: chromedriver not found at /nonexistent/chromedriver (set by ARQ_CHROMEDRIVER): give the path of an installed chromedriver (Debian\'s `apt-get install chromium-driver` puts it at /usr/bin/chromedriver). arq never downloads a browser.');
    const byInput = await runText(open.replace('url:', 'chromium: /nonexistent/chromium, url:'), dir);
    expect(byInput.result.error).toBe('Step "open" failed: chromium not found at /nonexistent/chromium (set by with.chromium): give the path of an installed chromium (Debian\'s `apt-get install chromium` puts it at /usr/bin/chromium). arq never downloads a browser.');
    const notAProgram = await runText(open, dir, { env: { ...process.env, ARQ_CHROMIUM: dir } });
    expect(notAProgram.result.error).toBe(`Step "open" failed: chromium not found at ${dir} (set by ARQ_CHROMIUM): give the path of an installed chromium (Debian's \`apt-get install chromium\` puts it at /usr/bin/chromium). arq never downloads a browser.`);
  });

  it('loads only http: and https: pages, and keeps screenshots inside the run\'s artifacts folder', async () => {
    const { result } = await runText('name: file-url\nsteps:\n  - { id: open, uses: browser.open, with: { url: "file:///etc/passwd" } }\n', dir);
    expect(result.error).toBe('Step "open" failed: browser.open loads http: and https: URLs only; got "file:///etc/passwd"');
    const artifacts = join(dir, 'artifacts');
    const shot = await runText('name: escape\nsteps:\n  - { id: shot, uses: browser.screenshot, with: { path: ../../escape.png } }\n', dir, { artifactsDir: artifacts });
    expect(shot.result.error).toBe(`Step "shot" failed: Screenshot path "../../escape.png" leaves the run's artifacts folder (${artifacts}): give a relative path such as shots/login.png`);
  });
});

describe('page JavaScript needs permissions: { browser_eval: true }', () => {
  const evalStep = ['  - id: count', '    uses: browser.eval', '    with: { script: "return 1" }'];
  const conditionStep = ['  - id: ready', '    uses: browser.wait', '    with: { condition: "window.ready" }'];

  it('is a problem at the step\'s uses: when the workflow does not grant it', async () => {
    expect(await problemsIn(yaml('name: js', 'steps:', ...evalStep, ...conditionStep, '  - { id: text, uses: browser.wait, with: { text: ok } }'))).toEqual([
      [4, 11, 'permission.missing', 'Step "count" uses "browser.eval", which runs the workflow\'s JavaScript in the browser\'s page: allow it with `permissions: { browser_eval: true }` at the top of the workflow'],
      [7, 11, 'permission.missing', 'Step "ready" uses "browser.wait" with `condition`, which runs the workflow\'s JavaScript in the browser\'s page: allow it with `permissions: { browser_eval: true }` at the top of the workflow'],
    ]);
    expect(await problemsIn(yaml('name: js', 'permissions: { browser_eval: true }', 'steps:', ...evalStep, ...conditionStep))).toEqual([]);
    expect(await problemsIn(yaml('name: js', 'permissions: { browser_eval: false, paths: [/tmp] }', 'steps:', ...evalStep))).toEqual([
      [5, 11, 'permission.missing', 'Step "count" uses "browser.eval", which runs the workflow\'s JavaScript in the browser\'s page: allow it with `permissions: { browser_eval: true }` at the top of the workflow'],
    ]);
  });

  it('takes the script as written: an expression in it is a problem, in args it is fine', async () => {
    expect(await problemsIn(yaml(
      'name: js',
      'permissions: { browser_eval: true }',
      'inputs: { sel: { type: string, default: ".row" } }',
      'steps:',
      '  - uses: browser.eval',
      '    with: { script: "return document.querySelectorAll(\'${{ inputs.sel }}\').length" }',
      '  - uses: browser.wait',
      '    with: { condition: "${{ inputs.sel }}" }',
      '  - uses: browser.eval',
      '    with: { script: "return document.querySelectorAll(arguments[0]).length", args: ["${{ inputs.sel }}"] }',
    ))).toEqual([
      [6, 21, 'input.not_constant', '"script" of "browser.eval" is code and must be written as it is, without ${{ }} expressions; pass values in `args` and read them as arguments[0], arguments[1], ...'],
      [8, 24, 'input.not_constant', '"condition" of "browser.wait" is code and must be written as it is, without ${{ }} expressions; pass values in `args` and read them as arguments[0], arguments[1], ...'],
    ]);
  });

  it('arq validate prints the problem at file:line:column and exits 2', async () => {
    writeFiles(dir, { 'js.yaml': yaml('name: js', 'steps:', ...evalStep) });
    expect(await runCli(['validate', 'js.yaml'], dir)).toEqual({
      code: 2, signal: null, stdout: '',
      stderr: 'js.yaml:4:11: Step "count" uses "browser.eval", which runs the workflow\'s JavaScript in the browser\'s page: allow it with `permissions: { browser_eval: true }` at the top of the workflow [permission.missing]\n1 problem found\n',
    });
  });

  it('browser.eval refuses at run time too when the context grants nothing', async () => {
    const ctx: StepContext = {
      signal: new AbortController().signal, stepId: 'count', attempt: 1, workdir: dir, allowedPaths: [dir], tmpdir: dir, env: {},
      run: new RunResources('r', join(dir, 'artifacts')), log: () => undefined,
    };
    const error = await browserEval.run({ script: 'return 1' }, ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepError);
    expect((error as StepError).message).toBe('browser.eval runs the workflow\'s JavaScript in the browser\'s page: allow it with `permissions: { browser_eval: true }` at the top of the workflow');
  });
});

describe('browser step helpers', () => {
  it('turns key chords into WebDriver keys', () => {
    expect(parseChord('Enter', Key)).toEqual([Key.Enter]);
    expect(parseChord('control+A', Key)).toEqual([Key.Control, 'A']);
    expect(parseChord('+', Key)).toEqual(['+']);
    expect(parseChord('é', Key)).toEqual(['é']);
    expect(() => parseChord('Shift+Nope', Key)).toThrow(`Unknown key "Nope" in "Shift+Nope": use a single character or one of ${Object.keys(Key).join(', ')}`);
  });

  it('reads the size of a PNG and refuses anything else', () => {
    const header = Buffer.from('89504e470d0a1a0a0000000d494844520000028000000168', 'hex');
    expect(pngSize(header)).toEqual({ width: 640, height: 360 });
    expect(() => pngSize(Buffer.from('GIF89a..................'))).toThrow('The browser did not return a PNG image');
  });

  it('words webdriverio errors without their class name and request', () => {
    const error = new Error('WebDriverError: session not created: Chrome instance exited when running "http://127.0.0.1:40113/session" with method "POST"');
    expect(errorText(error)).toBe('session not created: Chrome instance exited');
    expect(errorText('plain')).toBe('plain');
  });
});
