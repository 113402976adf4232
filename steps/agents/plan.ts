/**
 * `agents.plan`: a model writes the plan (tasks for the workflow's agents), arq checks it against
 * the plan schema and statically (engine/check/plan.ts), sends the problems back for a bounded
 * number of repairs, and runs it like `agents.team`. A plan still invalid fails the step listing
 * its problems, and nothing of it runs. This module asks for the plan; the engine checks and runs it.
 *
 * @example
 * - id: plan
 *   uses: agents.plan
 *   with: { goal: "A short report on ${{ inputs.topic }}", model: gpt-4o-mini, max_tasks: 5 }
 */
import type { StepContext, StepType } from '../contract.js';
import { BUDGET_SCHEMA, type SharedBudget } from '../llm/budget.js';
import { CALL_PROPERTIES, type CallInput } from '../llm/call.js';
import { runJson } from '../llm/json.js';
import { PLAN_SCHEMA } from './schema.js';
import { engineOnly, TEAM_OUTPUTS } from './team.js';

export type PlanInput = Pick<CallInput, 'model' | 'base_url' | 'api_key' | 'temperature' | 'stream' | 'request_timeout' | 'max_retries' | 'retry_backoff' | 'budget'> & {
  readonly goal: string;
  readonly agents?: readonly string[];
  readonly system?: string;
  readonly max_tasks?: number;
  readonly max_repairs?: number;
};

/** An agent as the planner is told about it. */
export interface PlannedAgent {
  readonly name: string;
  readonly description?: string;
  readonly tools?: readonly string[];
}

/** Defaults of the optional inputs. */
export const PLAN_DEFAULTS = { max_tasks: 10, max_repairs: 2 };

const picked = ['model', 'base_url', 'api_key', 'temperature', 'stream', 'request_timeout', 'max_retries', 'retry_backoff'];

function agentLine(agent: PlannedAgent): string {
  const tools = agent.tools?.length ? `tools: ${agent.tools.join(', ')}` : 'no tools';
  return `- ${agent.name}: ${agent.description ?? 'no description'} (${tools})`;
}

/** What the planner is told: the agents it may use, how tasks run, and the limits. */
export function plannerPrompt(agents: readonly PlannedAgent[], input: PlanInput): string {
  const lines = [
    'You plan the work of a team of agents. Split the goal into tasks; each task is done by one of these agents:',
    ...agents.map(agentLine),
    'A task lists in "needs" the ids of the tasks that must finish before it; it is then given their results. Tasks without needs run at the same time.',
    `Use at most ${input.max_tasks ?? PLAN_DEFAULTS.max_tasks} tasks, only these agents, and no cycles in needs.`,
  ];
  if (input.system) lines.push(input.system);
  return lines.join('\n');
}

/**
 * Asks the model for a plan until it passes the schema and `check` (at most max_repairs more
 * times); returns the planning call's outputs, the plan as `json`. Charged to the team's budget.
 */
export function requestPlan(input: PlanInput, agents: readonly PlannedAgent[], check: (plan: unknown) => string[], team: SharedBudget, ctx: StepContext): Promise<Record<string, unknown>> {
  const call: CallInput = { ...input, budget: undefined, system: plannerPrompt(agents, input), prompt: `Goal: ${input.goal}` };
  const ask = { schema: PLAN_SCHEMA, maxRepairs: input.max_repairs ?? PLAN_DEFAULTS.max_repairs, check, what: 'plan' };
  return runJson(call, ask, ctx, { label: `the plan of step "${ctx.stepId}"`, shared: [team] });
}

export const agentsPlan: StepType = {
  type: 'agents.plan',
  description: "Asks a model for a plan of tasks for the workflow's agents, checks it (repairing it with the model), then runs it like agents.team.",
  input: {
    type: 'object', additionalProperties: false, required: ['goal'],
    properties: {
      goal: { type: 'string', minLength: 1, description: 'What the team must achieve; the model plans tasks for it.' },
      agents: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string' }, description: 'The agents the plan may use. Default: every agent of the agents: block.' },
      system: { type: 'string', description: 'More instructions for the model that plans.' },
      ...Object.fromEntries(picked.map((key) => [key, CALL_PROPERTIES[key]!])),
      max_tasks: { type: 'integer', minimum: 1, maximum: 100, default: PLAN_DEFAULTS.max_tasks, description: 'The most tasks a plan may have.' },
      max_repairs: { type: 'integer', minimum: 0, maximum: 10, default: PLAN_DEFAULTS.max_repairs, description: 'How many times a plan that fails the checks is sent back with its problems.' },
      budget: { ...BUDGET_SCHEMA, description: 'The budget of the planning and of all the tasks together.' },
    },
  },
  output: {
    type: 'object',
    properties: {
      plan: { type: 'object', description: 'The plan that ran: { tasks }.' },
      repairs: { type: 'integer', description: 'Plans sent back to the model for repair.' },
      ...TEAM_OUTPUTS,
    },
  },
  run: () => engineOnly('agents.plan'),
};
