import type { StepType } from '../contract.js';

interface LogInput {
  message: string;
}

/** Writes one line to the step's log: the simplest way to show a value. */
export const log: StepType<LogInput> = {
  type: 'log',
  description: 'Writes a message to the log; outputs it as `message`.',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['message'],
    properties: { message: { type: 'string', description: 'The line to write.' } },
  },
  output: { type: 'object', properties: { message: { type: 'string', description: 'The message written.' } } },
  run: async (input, ctx) => {
    ctx.log('info', input.message);
    return { message: input.message };
  },
};
