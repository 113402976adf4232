/**
 * Static checks of a team's tasks, the same for tasks written in a workflow (`agents.team`,
 * reported at file:line:col) and for a plan a model wrote (`agents.plan`, fed back to the model):
 * unique ids, known agents, tools the agent has, needs that name tasks, no cycle, every task able
 * to start, and size limits.
 */
import type { AgentSpec } from '../model/types.js';
import { closest } from './closest.js';
import { findCycle } from './dag.js';

/** A task as written (or as a model wrote it), after its schema was checked. */
export interface PlanTask {
  readonly id: string;
  readonly agent: string;
  readonly prompt?: unknown;
  readonly needs?: readonly string[];
  readonly tools?: readonly string[];
}

/** One problem, at a path below the task list (`[2, 'needs', 0]`). */
export interface PlanProblem {
  readonly code: string;
  readonly message: string;
  readonly path: readonly (string | number)[];
}

export interface PlanLimits {
  /** Most tasks a plan may have. */
  readonly maxTasks?: number;
  /** Longest prompt, in characters. */
  readonly maxPromptChars?: number;
}

/** Longest prompt a plan's task may have, in characters. */
export const MAX_PROMPT_CHARS = 20_000;

const quoted = (names: readonly string[]) => names.map((n) => `"${n}"`).join(', ');

function idProblems(tasks: readonly PlanTask[]): PlanProblem[] {
  const seen = new Set<string>();
  const problems: PlanProblem[] = [];
  tasks.forEach((task, i) => {
    if (seen.has(task.id)) problems.push({ code: 'team.duplicate_task', message: `Duplicate task id "${task.id}": each task of a team needs its own id`, path: [i, 'id'] });
    seen.add(task.id);
  });
  return problems;
}

function agentProblems(tasks: readonly PlanTask[], agents: Readonly<Record<string, AgentSpec>>): PlanProblem[] {
  const names = Object.keys(agents);
  const problems: PlanProblem[] = [];
  tasks.forEach((task, i) => {
    const agent = Object.hasOwn(agents, task.agent) ? agents[task.agent] : undefined;
    if (!agent) {
      const guess = closest(task.agent, names);
      const expected = names.length ? `Expected one of the agents: ${names.join(', ')}` : 'The workflow has no agents: block';
      problems.push({ code: 'team.unknown_agent', message: `Unknown agent "${task.agent}" in task "${task.id}".${guess ? ` Did you mean "${guess}"?` : ''} ${expected}`, path: [i, 'agent'] });
      return;
    }
    (task.tools ?? []).forEach((tool, j) => {
      if (agent.tools?.includes(tool)) return;
      const has = agent.tools?.length ? `its tools are ${agent.tools.join(', ')}` : 'it has no tools';
      problems.push({ code: 'team.unknown_tool', message: `Task "${task.id}" asks for tool "${tool}", which agent "${task.agent}" does not have: ${has}`, path: [i, 'tools', j] });
    });
  });
  return problems;
}

function needProblems(tasks: readonly PlanTask[]): PlanProblem[] {
  const ids = tasks.map((t) => t.id);
  const problems: PlanProblem[] = [];
  tasks.forEach((task, i) => {
    (task.needs ?? []).forEach((need, j) => {
      if (need === task.id) problems.push({ code: 'team.needs_self', message: `Task "${task.id}" needs itself; a task can only need other tasks`, path: [i, 'needs', j] });
      else if (!ids.includes(need)) {
        const others = ids.filter((id) => id !== task.id);
        const guess = closest(need, others);
        problems.push({ code: 'team.unknown_need', message: `Task "${task.id}" needs unknown task "${need}".${guess ? ` Did you mean "${guess}"?` : ''} Expected one of: ${others.join(', ')}`, path: [i, 'needs', j] });
      }
    });
  });
  return problems;
}

/** Tasks that can never start: they wait, directly or not, for a cycle or for a task that does not exist. */
function unreachable(tasks: readonly PlanTask[], cycle: readonly string[] | undefined): PlanProblem[] {
  const startable = new Set<string>();
  const ids = new Set(tasks.map((t) => t.id));
  for (let changed = true, rounds = 0; changed && rounds <= tasks.length; rounds++) {
    changed = false;
    for (const task of tasks) {
      if (startable.has(task.id) || !(task.needs ?? []).every((n) => startable.has(n))) continue;
      startable.add(task.id);
      changed = true;
    }
  }
  const problems: PlanProblem[] = [];
  tasks.forEach((task, i) => {
    const needs = task.needs ?? [];
    // A task in the cycle, or with an unknown need, is already reported as such.
    if (startable.has(task.id) || cycle?.includes(task.id) || needs.some((n) => !ids.has(n) || n === task.id)) return;
    const blocked = needs.filter((n) => !startable.has(n));
    problems.push({ code: 'team.unreachable', message: `Task "${task.id}" can never start: it needs ${quoted(blocked)}, which can never finish (a cycle or an unknown task on the way)`, path: [i, 'needs'] });
  });
  return problems;
}

function sizeProblems(tasks: readonly PlanTask[], limits: PlanLimits): PlanProblem[] {
  const problems: PlanProblem[] = [];
  if (limits.maxTasks !== undefined && tasks.length > limits.maxTasks) {
    problems.push({ code: 'team.too_many_tasks', message: `The plan has ${tasks.length} tasks, more than the limit of ${limits.maxTasks} (max_tasks)`, path: [] });
  }
  const maxChars = limits.maxPromptChars ?? MAX_PROMPT_CHARS;
  tasks.forEach((task, i) => {
    if (typeof task.prompt === 'string' && task.prompt.length > maxChars) {
      problems.push({ code: 'team.prompt_too_long', message: `The prompt of task "${task.id}" has ${task.prompt.length} characters, more than the limit of ${maxChars}`, path: [i, 'prompt'] });
    }
  });
  return problems;
}

/**
 * Every static problem of a list of tasks.
 *
 * @example
 * planProblems([{ id: 'a', agent: 'x', needs: ['a'] }], { x: { name: 'x' } });
 * // [{ code: 'team.needs_self', message: 'Task "a" needs itself; ...', path: [0, 'needs', 0] }]
 */
export function planProblems(tasks: readonly PlanTask[], agents: Readonly<Record<string, AgentSpec>>, limits: PlanLimits = {}): PlanProblem[] {
  const nodes = tasks.map((t) => ({ id: t.id, needs: (t.needs ?? []).filter((n) => n !== t.id) }));
  const cycle = findCycle(nodes);
  const problems = [...sizeProblems(tasks, limits), ...idProblems(tasks), ...agentProblems(tasks, agents), ...needProblems(tasks)];
  if (cycle) {
    const at = tasks.findIndex((t) => t.id === cycle[0]);
    problems.push({ code: 'team.cycle', message: `Dependency cycle: ${cycle.join(' -> ')}; tasks cannot need each other in a circle`, path: [at, 'needs'] });
  }
  return [...problems, ...unreachable(tasks, cycle)];
}
