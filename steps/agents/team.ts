/**
 * `agents.team`: tasks given to the workflow's agents, run as a DAG of the same engine (tasks
 * without unmet needs at once, each seeing the results of the tasks it needs). The engine checks
 * and runs it (engine/check/team.ts, engine/run/team.ts); this module holds its schema and words.
 *
 * @example
 * - id: research
 *   uses: agents.team
 *   with:
 *     tasks:
 *       - { id: market, agent: researcher, prompt: "Market of ${{ inputs.product }}" }
 *       - { id: tech, agent: researcher, prompt: "Technology of ${{ inputs.product }}" }
 *       - { id: report, agent: writer, needs: [market, tech], prompt: "Write the report" }
 */
import { StepError, type StepType } from '../contract.js';
import { BUDGET_SCHEMA } from '../llm/budget.js';
import { TEAM_TASK_SCHEMA } from './schema.js';

/** The outputs of a team (and of a plan, which adds its own). */
export const TEAM_OUTPUTS = {
  tasks: { type: 'object', description: 'The outputs of each task by id (text, json, usage, spend, ...); empty for a task that did not run.' },
  result: { description: 'The outputs of the one task no other task needs, when there is exactly one.' },
  spend: { type: 'object', description: 'What all the tasks spent together: requests, tokens (and usd when priced).' },
} as const;

/** Types the engine runs itself have a `run` that only says so. */
export function engineOnly(type: string): never {
  throw new StepError('engine.only', `"${type}" is run by the engine as part of a workflow; it cannot be run on its own`);
}

export const agentsTeam: StepType = {
  type: 'agents.team',
  description: 'Runs tasks of the workflow\'s agents as a DAG: tasks without unmet needs at once, each seeing the results of those it needs.',
  input: {
    type: 'object', additionalProperties: false, required: ['tasks'],
    properties: {
      tasks: { type: 'array', minItems: 1, items: TEAM_TASK_SCHEMA, description: 'The tasks; write them out (for tasks decided at run time, use agents.plan).' },
      budget: { ...BUDGET_SCHEMA, description: 'The budget of all the tasks of the team together.' },
    },
  },
  output: { type: 'object', properties: TEAM_OUTPUTS },
  run: () => engineOnly('agents.team'),
};
