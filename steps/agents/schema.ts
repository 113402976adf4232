/**
 * The shape of a team's tasks: written in a workflow (`agents.team`), or written by a model as a
 * plan (`agents.plan`, whose schema the model is given and its answer checked against).
 */
import type { JSONSchema } from '../contract.js';

const NAME = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_-]*$', 'x-expected': 'a name of letters, digits, _ and -, starting with a letter or _' };

/** The fields a model may write in a task of its plan. */
export const PLAN_TASK_PROPERTIES: Record<string, JSONSchema> = {
  id: { ...NAME, description: 'The task id, unique in the team; other tasks name it in needs.' },
  agent: { type: 'string', minLength: 1, description: 'The agent (of the workflow\'s agents: block) that does the task.' },
  prompt: { type: 'string', minLength: 1, description: 'What the agent is asked to do.' },
  needs: { type: 'array', uniqueItems: true, items: NAME, description: 'Tasks that must finish first; their results are handed to this task.' },
  outputs: { type: 'object', description: 'A JSON Schema for the answer: the agent then answers in JSON, checked against it (output `json`).' },
  tools: { type: 'array', uniqueItems: true, items: { type: 'string', minLength: 1 }, description: 'The agent\'s tools this task may use. Default: all of them.' },
};

/** What a plan is: the JSON Schema a model's plan is checked against. */
export const PLAN_SCHEMA: JSONSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['tasks'],
  properties: {
    tasks: {
      type: 'array',
      minItems: 1,
      items: { type: 'object', additionalProperties: false, required: ['id', 'agent', 'prompt'], properties: PLAN_TASK_PROPERTIES },
    },
  },
};

const DURATION = {
  anyOf: [{ type: 'string', pattern: '^[0-9]+(\\.[0-9]+)?(ms|s|m|h)$' }, { type: 'integer', minimum: 0, maximum: 2147483647 }],
  'x-expected': 'a duration like 250ms, 30s, 5m or 1h, or an integer number of milliseconds',
};

/** A task written in a workflow: a plan's task, plus how the engine runs it. */
export const TEAM_TASK_SCHEMA: JSONSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'agent', 'prompt'],
  properties: {
    ...PLAN_TASK_PROPERTIES,
    needs: { anyOf: [NAME, PLAN_TASK_PROPERTIES.needs], 'x-expected': 'a task id or a list of task ids', description: 'Tasks that must finish first; their results are handed to this task.' },
    continue_on_error: { type: 'boolean', description: 'A failure of this task does not fail the team, and the tasks that need it still run.' },
    timeout: { ...DURATION, description: 'Timeout of each attempt of the task.' },
    retry: {
      type: 'object', additionalProperties: false, description: 'Retry a failed task; `attempts` counts the first one too.',
      properties: {
        attempts: { type: 'integer', minimum: 1, maximum: 100 },
        backoff: DURATION,
        factor: { type: 'number', minimum: 1, maximum: 10 },
        max_delay: DURATION,
        jitter: { type: 'number', minimum: 0, maximum: 1 },
      },
    },
  },
};
