/**
 * The `browser.screenshot` step: saves a PNG of the page (its viewport) or of one element into
 * the run's artifacts folder, and gives its path and size as outputs.
 *
 * @example
 * - id: shot
 *   uses: browser.screenshot
 *   with: { path: after-login.png }
 * - run: echo "saved ${{ steps.shot.outputs.path }}"
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { StepError, type StepContext, type StepType } from '../contract.js';
import { isInside } from '../os/fs-paths.js';
import { visibleElement } from './elements.js';
import { selectorSchema, sessionSchema, timeoutSchema, type WaitingInput } from './options.js';
import { untilAborted } from './poll.js';
import { browserFor } from './session.js';

export interface BrowserScreenshotInput extends WaitingInput {
  readonly path?: string;
  readonly selector?: string;
}

export interface BrowserScreenshotOutputs extends Record<string, unknown> {
  readonly path: string;
  readonly width: number;
  readonly height: number;
  readonly bytes: number;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
// Bounded: a foreach of screenshots never needs more names than this for one step id.
const MAX_NAME_TRIES = 10_000;

/**
 * Width and height of a PNG, from its IHDR chunk.
 *
 * @example
 * pngSize(readFileSync('shot.png')) // { width: 800, height: 600 }
 */
export function pngSize(png: Buffer): { width: number; height: number } {
  if (png.length < 24 || !png.subarray(0, 8).equals(PNG_SIGNATURE) || png.toString('latin1', 12, 16) !== 'IHDR') {
    throw new StepError('browser.bad_screenshot', 'The browser did not return a PNG image');
  }
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** `<step id>.png`, or `<step id>-2.png`, ... when that name is taken (a foreach, a retry). */
function defaultName(folder: string, stepId: string): string {
  for (let n = 1; n <= MAX_NAME_TRIES; n++) {
    const name = n === 1 ? `${stepId}.png` : `${stepId}-${n}.png`;
    if (!existsSync(resolve(folder, name))) return name;
  }
  throw new StepError('browser.bad_input', `Too many screenshots named after step "${stepId}": give a \`path\``);
}

/** Where the PNG goes: inside the run's artifacts folder, whatever `path` says. */
function targetPath(input: BrowserScreenshotInput, ctx: StepContext): string {
  const folder = ctx.run.artifactsDir;
  const target = resolve(folder, input.path ?? defaultName(folder, ctx.stepId));
  if (!isInside(target, folder) || target === folder) {
    throw new StepError('browser.bad_path', `Screenshot path ${JSON.stringify(input.path)} leaves the run's artifacts folder (${folder}): give a relative path such as shots/login.png`, { path: input.path });
  }
  return target;
}

async function screenshot(input: BrowserScreenshotInput, ctx: StepContext): Promise<BrowserScreenshotOutputs> {
  const path = targetPath(input, ctx);
  const { browser, wait } = await browserFor(ctx, input);
  const element = input.selector === undefined ? undefined : await visibleElement(browser, input.selector, wait);
  const base64 = await untilAborted(element ? browser.takeElementScreenshot(element.elementId) : browser.takeScreenshot(), ctx.signal);
  const png = Buffer.from(base64, 'base64');
  const size = pngSize(png);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, png);
  return { path, ...size, bytes: png.length };
}

/** Saves a screenshot of the session's page into the run's record. */
export const browserScreenshot: StepType<BrowserScreenshotInput, BrowserScreenshotOutputs> = {
  type: 'browser.screenshot',
  description: 'Saves a PNG of the page\'s viewport (or of one element) in the run\'s artifacts folder; its path is an output.',
  input: {
    type: 'object',
    additionalProperties: false,
    properties: {
      path: { type: 'string', minLength: 1, pattern: '\\.png$', 'x-expected': 'a relative file name ending in .png', description: 'File name inside the run\'s artifacts folder (default: <step id>.png, then <step id>-2.png, ...); replaced if it exists.' },
      selector: { ...selectorSchema, description: `Only this element (waited for until visible). ${String(selectorSchema.description)}` },
      session: sessionSchema,
      timeout: timeoutSchema('for the element to be visible'),
    },
  },
  output: {
    type: 'object',
    properties: {
      path: { type: 'string', description: 'The absolute path of the PNG file.' },
      width: { type: 'integer', description: 'Its width in pixels.' },
      height: { type: 'integer', description: 'Its height in pixels.' },
      bytes: { type: 'integer', description: 'Its size in bytes.' },
    },
  },
  run: screenshot,
};
