import { StepError, type StepType } from '../contract.js';

interface FailInput {
  message?: string;
}

/** Fails on purpose: a guard in a workflow, or a way to test failure handling. */
export const fail: StepType<FailInput> = {
  type: 'fail',
  description: 'Fails with the given message.',
  input: {
    type: 'object',
    additionalProperties: false,
    properties: { message: { type: 'string', description: 'The failure message. Default: "Failed on purpose".' } },
  },
  run: async (input) => {
    throw new StepError('fail', input.message ?? 'Failed on purpose');
  },
};
