import type { StepType } from '../contract.js';

/** Does nothing; its outputs are its inputs. Useful to name a point in a workflow, and in benchmarks. */
export const noop: StepType = {
  type: 'noop',
  description: 'Does nothing; its outputs are its `with:` values.',
  input: { type: 'object', description: 'Any values; they become the outputs.' },
  run: async (input) => input,
};
