/**
 * `uses: agents.team` and `uses: agents.plan` at run time: a team's workflow (its tasks as a DAG
 * of agent tasks, engine/check/team.ts) runs as a child instance of the calling step, so the DAG
 * coordinator starts a child actor per task. A plan first asks a model for the tasks, checks them
 * statically with repairs, and runs nothing unless they pass.
 */
import { StepError } from '../../steps/contract.js';
import { ledgerKey, Ledger, spendOutput } from '../../steps/llm/budget.js';
import type { AgentSpec, StepNode, Workflow } from '../model/types.js';
import type { TeamTask } from '../check/team.js';
import type { Frame } from './frame.js';
import { runChildInstance } from './subworkflow.js';

/** A team's shared budget: one ledger per attempt of the step, named in messages by the step. */
export interface TeamBudget {
  readonly key: string;
  readonly label: string;
  readonly budget?: Readonly<Record<string, number>>;
}

export function teamBudget(frame: Frame, node: StepNode, budget?: Readonly<Record<string, number>>): TeamBudget {
  const attempt = frame.attempts.get(node.id) ?? 1;
  return { key: `team:${frame.replayKey(node.id)}#${attempt}`, label: `team "${frame.eventId(node.id)}"`, budget };
}

/** What each task is handed: its prompt, schema and tools, and its agent as the workflow defines it. */
function taskInputs(tasks: readonly TeamTask[], agents: Readonly<Record<string, AgentSpec>>): Record<string, unknown> {
  return Object.fromEntries(tasks.map((t) => [t.id, { id: t.id, prompt: t.prompt, agent: agents[t.agent], outputs: t.outputs, tools: t.tools }]));
}

/** The outputs of the one task no other task needs, when there is exactly one. */
function resultOf(tasks: readonly TeamTask[], outputs: Record<string, unknown>): unknown {
  const needed = new Set(tasks.flatMap((t) => t.needs ?? []));
  const sinks = tasks.filter((t) => !needed.has(t.id));
  return sinks.length === 1 ? outputs[sinks[0]!.id] : undefined;
}

/** What the team's tasks spent together: their shared ledger. */
async function teamSpend(frame: Frame, budget: TeamBudget): Promise<Record<string, number>> {
  const ledger = await frame.runtime.scope.resource(ledgerKey(budget.key), async () => new Ledger(budget.label), async () => {});
  return spendOutput(ledger);
}

/**
 * Runs a team's workflow for the tasks given (evaluated), with the team's budget; fails naming
 * the first task that failed.
 */
export async function runTeamWorkflow(frame: Frame, node: StepNode, team: Workflow, tasks: readonly TeamTask[], budget: TeamBudget, signal: AbortSignal): Promise<Record<string, unknown>> {
  const agents = frame.instance.compiled.workflow.agents ?? {};
  const inputs = { tasks: taskInputs(tasks, agents), team: budget };
  const result = await runChildInstance(frame, node, team, inputs, {}, signal);
  const spend = await teamSpend(frame, budget);
  if (result.status !== 'succeeded') throw new StepError('team.failed', `Team "${node.id}" ${result.status}${result.error ? `: ${result.error}` : ''}`, { spend });
  const outputs = (result.outputs.tasks ?? {}) as Record<string, unknown>;
  return { tasks: outputs, result: resultOf(tasks, outputs), spend };
}

/** `uses: agents.team`: its tasks as written (prompts evaluated), run as the workflow checked for them. */
export function runTeam(frame: Frame, node: StepNode, input: Record<string, unknown>, signal: AbortSignal): Promise<Record<string, unknown>> {
  const tasks = (input.tasks as TeamTask[]).map((t) => ({ ...t, needs: typeof t.needs === 'string' ? [t.needs] : t.needs }));
  return runTeamWorkflow(frame, node, node.team!, tasks, teamBudget(frame, node, input.budget as TeamBudget['budget']), signal);
}
