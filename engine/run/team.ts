/**
 * `uses: agents.team` and `uses: agents.plan` at run time: a team's workflow (its tasks as a DAG
 * of agent tasks, engine/check/team.ts) runs as a child instance of the calling step, so the DAG
 * coordinator starts a child actor per task. A plan first asks a model for the tasks, checks them
 * statically with repairs, and runs nothing unless they pass.
 */
import { StepError, type StepContext } from '../../steps/contract.js';
import { requestPlan, PLAN_DEFAULTS, type PlanInput } from '../../steps/agents/plan.js';
import { ledgerKey, Ledger, spendOutput, type BudgetLimit } from '../../steps/llm/budget.js';
import type { AgentSpec, StepNode, Workflow } from '../model/types.js';
import { planProblems } from '../check/plan.js';
import { buildTeamWorkflow, type TeamTask } from '../check/team.js';
import type { Frame } from './frame.js';
import { runChildInstance } from './subworkflow.js';

/** A team's shared budget: one ledger per attempt of the step, named in messages by the step. */
export interface TeamBudget {
  readonly key: string;
  readonly label: string;
  readonly budget?: BudgetLimit;
}

export function teamBudget(frame: Frame, node: StepNode, budget?: BudgetLimit): TeamBudget {
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

/** The agents a plan may use: those `with: agents` names, else every agent of the workflow. */
function planAgents(frame: Frame, names: readonly string[] | undefined): Record<string, AgentSpec> {
  const all = frame.instance.compiled.workflow.agents ?? {};
  return Object.fromEntries((names ?? Object.keys(all)).filter((name) => Object.hasOwn(all, name)).map((name) => [name, all[name]!]));
}

/** `a, b (needs a)`: a plan in one line, for the step's log. */
function describePlan(tasks: readonly TeamTask[]): string {
  return tasks.map((t) => `${t.id} by ${t.agent}${t.needs?.length ? ` (needs ${t.needs.join(', ')})` : ''}`).join('; ');
}

/**
 * `uses: agents.plan`: asks the model for a plan and checks it (schema, then planProblems, with
 * repairs); only a plan that passes becomes a team's workflow and runs. `context` makes the step's
 * context for the planning call.
 */
export async function runPlan(frame: Frame, node: StepNode, input: PlanInput, signal: AbortSignal, context: () => StepContext): Promise<Record<string, unknown>> {
  const agents = planAgents(frame, input.agents);
  const limits = { maxTasks: input.max_tasks ?? PLAN_DEFAULTS.max_tasks };
  const check = (plan: unknown) => planProblems((plan as { tasks: TeamTask[] }).tasks, agents, limits).map((p) => p.message);
  const budget = teamBudget(frame, node, input.budget);
  const ctx = context();
  const planning = await requestPlan(input, Object.values(agents), check, { ...budget, limit: budget.budget ?? {} }, ctx);
  const { tasks } = planning.json as { tasks: TeamTask[] };
  ctx.log('info', `plan: ${describePlan(tasks)}`);
  const team = buildTeamWorkflow(frame.instance.compiled.workflow, node.id, tasks, node.path);
  const outputs = await runTeamWorkflow(frame, node, team, tasks, budget, signal);
  return { plan: { tasks }, repairs: planning.repairs, ...outputs };
}
