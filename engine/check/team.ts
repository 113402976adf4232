/**
 * `uses: agents.team`: the tasks are checked (constant ids, agents and needs; known agents and
 * tools; no cycle; every task able to start) and compiled into a workflow of their own whose main
 * list is a DAG of `agents.task` steps. The engine runs it as it runs a sub-workflow, so the DAG
 * coordinator starts a child actor per task: no wide parallel state, whatever the team's size.
 * A plan a model wrote (`agents.plan`) becomes the same workflow at run time.
 */
import { agentTask } from '../../steps/agents/task.js';
import { compileValue } from '../expr/index.js';
import type { YamlPath } from '../load/load.js';
import type { AgentSpec, Block, StepNode, Workflow } from '../model/types.js';
import { asList, asRecord, valueAt, type Checker } from './checker.js';
import { closest } from './closest.js';
import { planProblems, type PlanTask } from './plan.js';
import { durationOf, retryOf, type DraftStep } from './steps.js';

/** A task as written, after its schema was checked. */
export interface TeamTask extends PlanTask {
  readonly outputs?: unknown;
  readonly continue_on_error?: boolean;
  readonly timeout?: unknown;
  readonly retry?: unknown;
}

/** The parts of the calling workflow a team's workflow keeps: its file, folders and types. */
export type TeamParent = Pick<Workflow, 'file' | 'doc' | 'allowedPaths' | 'customSteps' | 'permissions'>;

/** Fields that decide the team's shape: they must be written out, not computed. */
const SHAPE = ['id', 'agent', 'needs', 'tools'] as const;

const hasExpression = (value: unknown): boolean => JSON.stringify(value ?? null).includes('${{');

/** The tasks of a team as plain data, `needs: x` read as `[x]`. */
function tasksOf(raw: unknown): TeamTask[] {
  return asList(raw).flatMap((item) => {
    const task = asRecord(item);
    if (!task || typeof task.id !== 'string' || typeof task.agent !== 'string') return [];
    const needs = typeof task.needs === 'string' ? [task.needs] : asList(task.needs).filter((n): n is string => typeof n === 'string');
    return [{ ...task, id: task.id, agent: task.agent, needs }];
  });
}

/** Reports what makes a team's tasks unusable; returns them when there is nothing to report. */
function checkTeam(checker: Checker, node: DraftStep, agents: Readonly<Record<string, AgentSpec>>): TeamTask[] | undefined {
  const base: YamlPath = [...node.path, 'with', 'tasks'];
  const raw = valueAt(checker.doc.data, base);
  if (!Array.isArray(raw)) {
    if (typeof raw === 'string') checker.report('team.not_constant', 'The tasks of a team must be written out as a list; for tasks decided at run time, use agents.plan', base);
    return undefined;
  }
  const before = checker.problems.length;
  raw.forEach((item, i) => {
    for (const key of SHAPE) if (hasExpression(asRecord(item)?.[key])) checker.report('team.not_constant', `"${key}" of a task must be a constant: the team is compiled before it runs`, [...base, i, key]);
  });
  const tasks = tasksOf(raw);
  for (const problem of planProblems(tasks, agents)) checker.report(problem.code, problem.message, [...base, ...problem.path]);
  return checker.problems.length === before && tasks.length === raw.length ? tasks : undefined;
}

/** An `agents.plan` step: the workflow has agents, and `with: agents` names only them. */
function checkPlan(checker: Checker, node: DraftStep, agents: Readonly<Record<string, AgentSpec>>): void {
  const names = Object.keys(agents);
  if (!names.length) {
    checker.report('plan.no_agents', "agents.plan plans work for the workflow's agents, and it has none: define them in an agents: block", [...node.path, 'uses']);
    return;
  }
  asList(valueAt(checker.doc.data, [...node.path, 'with', 'agents'])).forEach((name, i) => {
    if (typeof name !== 'string' || names.includes(name)) return;
    const guess = closest(name, names);
    checker.report('plan.unknown_agent', `Unknown agent "${name}".${guess ? ` Did you mean "${guess}"?` : ''} Expected one of the agents: ${names.join(', ')}`, [...node.path, 'with', 'agents', i]);
  });
}

/**
 * Checks every team (and plan) of a workflow; returns how to build each team's workflow once the calling
 * workflow exists (the team keeps its file and permissions).
 */
export function checkTeams(checker: Checker, nodes: readonly DraftStep[], agents: Readonly<Record<string, AgentSpec>> | undefined): (parent: TeamParent) => void {
  const built: [DraftStep, TeamTask[]][] = [];
  // Indexed: a for-of allocates an iterator result per step until the loop is optimised.
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    if (node.uses === 'agents.plan') checkPlan(checker, node, agents ?? {});
    if (node.uses !== 'agents.team') continue;
    const tasks = checkTeam(checker, node, agents ?? {});
    if (tasks) built.push([node, tasks]);
  }
  return (parent) => {
    for (const [node, tasks] of built) node.team = buildTeamWorkflow(parent, node.id, tasks, [...node.path, 'with', 'tasks']);
  };
}

/** `inputs.tasks['ID']`: brackets, since an id may hold `-`. */
const ref = (context: string, id: string) => `${context}['${id}']`;

function taskNode(task: TeamTask, path: YamlPath): StepNode {
  const needs = task.needs ?? [];
  const input = {
    task: `\${{ ${ref('inputs.tasks', task.id)} }}`,
    context: Object.fromEntries(needs.map((need) => [need, `\${{ ${ref('steps', need)} }}`])),
    team: '${{ inputs.team }}',
  };
  return {
    id: task.id, named: true, label: task.id, path, kind: 'action', needs,
    continueOnError: task.continue_on_error === true, timeoutMs: durationOf(task.timeout), retry: retryOf(task.retry),
    uses: agentTask.type, custom: agentTask, with: compileValue(input, ['inputs', 'steps']).compiled,
  };
}

const emptyBlock = (name: string): Block => ({ name, steps: [], dag: false });

/**
 * The workflow a team runs: its tasks as a DAG of `agents.task` steps, whose inputs are the
 * team's evaluated tasks (`inputs.tasks`) and budget (`inputs.team`), and whose outputs are each
 * task's outputs by id.
 *
 * @example
 * const team = buildTeamWorkflow(workflow, 'research', [{ id: 'a', agent: 'x' }], ['steps', 0, 'with', 'tasks']);
 * team.main.dag; // true
 */
export function buildTeamWorkflow(parent: TeamParent, stepId: string, tasks: readonly TeamTask[], path: YamlPath): Workflow {
  const nodes = tasks.map((task, i) => taskNode(task, [...path, i]));
  const outputs = { tasks: Object.fromEntries(tasks.map((t) => [t.id, `\${{ ${ref('steps', t.id)}.outputs }}`])) };
  return {
    file: parent.file, doc: parent.doc, name: `${stepId} (team)`, secrets: {},
    inputs: { tasks: { type: 'object', required: true }, team: { type: 'object', required: true } },
    main: { name: 'tasks', steps: nodes, dag: true }, onFailure: emptyBlock('on_failure'), finally: emptyBlock('finally'),
    outputs: compileValue(outputs, ['steps']).compiled,
    allowedPaths: parent.allowedPaths, customSteps: parent.customSteps, permissions: parent.permissions, schedules: [],
    stepsById: new Map(nodes.map((n) => [n.id, n])),
  };
}
