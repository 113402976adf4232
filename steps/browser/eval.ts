/**
 * The `browser.eval` step: runs the workflow's JavaScript in the page and returns its result.
 * Only where the workflow opts in (`permissions: { browser_eval: true }`), and the script is
 * taken as written: values reach it as `args` (arguments[0], ...), never pasted into its text.
 *
 * @example
 * permissions: { browser_eval: true }
 * steps:
 *   - id: count
 *     uses: browser.eval
 *     with: { script: "return document.querySelectorAll(arguments[0]).length", args: [".row"] }
 */
import type { Browser } from 'webdriverio';
import { StepError, type StepContext, type StepType } from '../contract.js';
import { firstLine } from './errors.js';
import { sessionSchema, type SessionInput } from './options.js';
import { untilAborted } from './poll.js';
import { sessionFor } from './session.js';

export interface BrowserEvalInput extends SessionInput {
  readonly script: string;
  readonly args?: readonly unknown[];
}

export interface BrowserEvalOutputs extends Record<string, unknown> {
  readonly value: unknown;
}

/** Refuses page JavaScript unless the workflow granted `browser_eval` (arq validate says so first). */
export function requireEval(ctx: StepContext, what: string): void {
  if (ctx.permissions?.includes('browser_eval')) return;
  throw new StepError('permission.missing', `${what} runs the workflow's JavaScript in the browser's page: allow it with \`permissions: { browser_eval: true }\` at the top of the workflow`);
}

/** Runs `body` as the body of a function in the page, with `args` as its arguments; a script error fails the step. */
export async function runInPage(browser: Browser, body: string, args: readonly unknown[]): Promise<unknown> {
  try {
    return await browser.execute(body, ...(args as never[]));
  } catch (error) {
    throw new StepError('browser.script_error', `The page's JavaScript failed: ${firstLine(error)}`, {}, { cause: error });
  }
}

async function evaluate(input: BrowserEvalInput, ctx: StepContext): Promise<BrowserEvalOutputs> {
  requireEval(ctx, 'browser.eval');
  const { browser } = await sessionFor(ctx, input);
  const value = await untilAborted(runInPage(browser, input.script, input.args ?? []), ctx.signal);
  return { value: value ?? null };
}

/** Runs JavaScript in the session's page. */
export const browserEval: StepType<BrowserEvalInput, BrowserEvalOutputs> = {
  type: 'browser.eval',
  description: 'Runs JavaScript in the page and returns its result (only with permissions: { browser_eval: true }).',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['script'],
    properties: {
      script: { type: 'string', minLength: 1, description: 'The body of a function run in the page; `return` gives the output `value`. Written as is: no ${{ }} expressions (use `args`).' },
      args: { type: 'array', description: 'Values handed to the script as arguments[0], arguments[1], ... (expressions allowed here).' },
      session: sessionSchema,
    },
  },
  output: { type: 'object', properties: { value: { description: 'What the script returned (JSON values; undefined becomes null).' } } },
  constantInputs: ['script'],
  permission: { name: 'browser_eval' },
  run: evaluate,
};
