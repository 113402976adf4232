/**
 * The one list of built-in step types. Each module is light: heavy libraries (execa, webdriverio,
 * openai, systeminformation) are imported inside `run`, so listing the types costs nothing.
 */
import type { StepType } from './contract.js';
import { fail } from './core/fail.js';
import { log } from './core/log.js';
import { noop } from './core/noop.js';
import { sleep } from './core/sleep.js';
import { shell } from './os/shell.js';
import { httpCheck } from './http/check.js';
import { httpRequest } from './http/request.js';
import { fsSteps } from './os/fs.js';
import { processSteps } from './os/process.js';
import { systemSteps } from './system/index.js';
import { llmSteps } from './llm/index.js';
import { agentsSteps } from './agents/index.js';
import { browserSteps } from './browser/index.js';
import { deploySteps } from './deploy/index.js';

// One family per line: families are added independently.
const builtins: readonly StepType[] = [
  shell, noop, log, fail, sleep,
  ...fsSteps,
  ...processSteps,
  ...systemSteps,
  httpRequest, httpCheck,
  ...llmSteps,
  ...agentsSteps,
  ...browserSteps,
  ...deploySteps,
] as readonly StepType[];

/** Built-in step types by name. */
export const builtinSteps: ReadonlyMap<string, StepType> = new Map(builtins.map((s) => [s.type, s]));
