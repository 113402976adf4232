/**
 * The browser step family: webdriverio 9 driving Debian's headless Chromium through a
 * chromedriver arq owns. Sessions are run-scoped (session.ts); webdriverio is loaded lazily.
 */
import type { StepType } from '../contract.js';
import { browserAssert } from './assert.js';
import { browserAttribute } from './attribute.js';
import { browserClick } from './click.js';
import { browserClose } from './close.js';
import { browserEval } from './eval.js';
import { browserFill } from './fill.js';
import { browserOpen } from './open.js';
import { browserPress } from './press.js';
import { browserScreenshot } from './screenshot.js';
import { browserSelect } from './select.js';
import { browserText } from './text.js';
import { browserWait } from './wait.js';

export { browserAssert, browserAttribute, browserClick, browserClose, browserEval, browserFill, browserOpen, browserPress, browserScreenshot, browserSelect, browserText, browserWait };

export const browserSteps: StepType[] = [
  browserOpen, browserClick, browserFill, browserSelect, browserPress, browserWait,
  browserText, browserAttribute, browserAssert, browserScreenshot, browserEval, browserClose,
] as StepType[];
