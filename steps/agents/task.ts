/**
 * `agents.task`: one task of a team, run as a node of the team's DAG. The engine builds its
 * inputs: the task (with its agent from the `agents:` block), the outputs of the tasks it needs,
 * and the team's budget. Not a type a workflow names in `uses:`: teams and plans make these.
 */
import type { JSONSchema, StepType } from '../contract.js';
import type { BudgetLimit } from '../llm/budget.js';
import { runChat } from '../llm/chat.js';
import { runJson } from '../llm/json.js';

/** An agent of the `agents:` block, with its name. */
export interface Agent {
  readonly name: string;
  readonly model?: string;
  readonly system?: string;
  readonly tools?: readonly string[];
  readonly budget?: BudgetLimit;
  readonly temperature?: number;
  readonly max_turns?: number;
  readonly base_url?: string;
}

/** A task this one needs, once it has ended. */
export interface NeededTask {
  readonly outcome: string;
  readonly outputs: Record<string, unknown>;
  readonly error?: string;
}

/** A type alias, not an interface, so that it fits StepType's input. */
export type TaskInput = {
  readonly task: {
    readonly id: string;
    readonly prompt: string;
    readonly agent: Agent;
    readonly outputs?: JSONSchema;
    readonly tools?: readonly string[];
  };
  /** The tasks this one needs, by id in the order of its needs, as `steps.ID` shows them (outcome, outputs, error). */
  readonly context: Readonly<Record<string, NeededTask>>;
  /** The team's shared budget: `key` names its ledger for the run. */
  readonly team: { readonly key: string; readonly label: string; readonly budget?: BudgetLimit };
};

/** What a task hands on: its JSON answer when it has one, else its text; or why it has none. */
function resultText(task: NeededTask): string {
  const { outputs } = task;
  if (task.outcome !== 'succeeded') return `(this task ${task.outcome}${task.error ? `: ${task.error}` : ''})`;
  if (outputs.json !== undefined) return JSON.stringify(outputs.json);
  return typeof outputs.text === 'string' ? outputs.text : JSON.stringify(outputs);
}

/**
 * The task's prompt followed by the results of the tasks it needs.
 *
 * @example
 * promptWithResults('Merge them', { a: { outcome: 'succeeded', outputs: { text: 'A' } } }); // 'Merge them\n\nResults of the tasks this task needs:\n\n### a\nA'
 */
export function promptWithResults(prompt: string, context: TaskInput['context']): string {
  const results = Object.entries(context).map(([id, task]) => `### ${id}\n${resultText(task)}`);
  return results.length ? `${prompt}\n\nResults of the tasks this task needs:\n\n${results.join('\n\n')}` : prompt;
}

export const agentTask: StepType<TaskInput> = {
  type: 'agents.task',
  description: 'One task of a team of agents (made by agents.team and agents.plan).',
  input: {
    type: 'object', additionalProperties: false, required: ['task', 'context', 'team'],
    properties: { task: { type: 'object', required: ['id', 'prompt', 'agent'] }, context: { type: 'object' }, team: { type: 'object', required: ['key', 'label'] } },
  },
  run(input, ctx) {
    const { task, team } = input;
    const { agent } = task;
    const shared = [
      { key: `agent:${agent.name}`, label: `agent "${agent.name}"`, limit: agent.budget ?? {} },
      { key: team.key, label: team.label, limit: team.budget ?? {} },
    ];
    const call = {
      model: agent.model, base_url: agent.base_url, system: agent.system, temperature: agent.temperature, max_turns: agent.max_turns,
      tools: task.tools ?? agent.tools ?? [], prompt: promptWithResults(task.prompt, input.context),
    };
    const options = { label: `task "${task.id}"`, shared };
    return task.outputs ? runJson(call, { schema: task.outputs, maxRepairs: 2 }, ctx, options) : runChat(call, ctx, options);
  },
};
