/**
 * The `browser.close` step: ends a session before the run does (the run ends every session
 * anyway); a later step naming it opens a new one.
 *
 * @example
 * - uses: browser.close
 *   with: { session: admin }
 */
import type { StepContext, StepType } from '../contract.js';
import { sessionSchema, type SessionInput } from './options.js';
import { sessionKey } from './session.js';

async function close(input: SessionInput, ctx: StepContext): Promise<Record<string, never>> {
  await ctx.run.release(sessionKey(input.session));
  return {};
}

/** Closes a browser session now. */
export const browserClose: StepType<SessionInput, Record<string, never>> = {
  type: 'browser.close',
  description: 'Closes a browser session now (Chromium and chromedriver end); a session never opened is fine.',
  input: { type: 'object', additionalProperties: false, properties: { session: sessionSchema } },
  run: close,
};
