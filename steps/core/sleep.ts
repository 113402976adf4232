import { StepError, type StepType } from '../contract.js';

interface SleepInput {
  ms: number;
}

/** Waits, and stops waiting at once when the step is aborted. */
export const sleep: StepType<SleepInput> = {
  type: 'sleep',
  description: 'Waits for the given number of milliseconds.',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['ms'],
    properties: { ms: { type: 'integer', minimum: 0, maximum: 2147483647, description: 'How long to wait, in milliseconds (at most 2^31-1, as for any Node timer).' } },
  },
  run: (input, ctx) =>
    new Promise((resolve, reject) => {
      const onAbort = () => {
        clearTimeout(timer);
        reject(new StepError('sleep.aborted', 'Sleep was stopped'));
      };
      const timer = setTimeout(() => {
        ctx.signal.removeEventListener('abort', onAbort);
        resolve({ slept_ms: input.ms });
      }, input.ms);
      if (ctx.signal.aborted) onAbort();
      else ctx.signal.addEventListener('abort', onAbort, { once: true });
    }),
};
