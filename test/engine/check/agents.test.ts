/** agents:, llm: and agents.team checked before anything runs, each problem at its file:line:col. */
import { describe, expect, it } from 'vitest';
import { WorkflowError, formatProblem, sortProblems } from '../../../engine/errors.js';
import { checkText, tempDir } from '../../helpers/workflow.js';

const dir = tempDir('arq-check-agents-');

async function problems(yaml: string): Promise<string[]> {
  try {
    await checkText(yaml, dir, 'team.yaml');
  } catch (error) {
    if (error instanceof WorkflowError) return sortProblems(error.problems).map(formatProblem).map((line) => line.slice(dir.length + 1));
    throw error;
  }
  return [];
}

describe('checking agents and teams', () => {
  it('accepts a team whose agents, tools and needs are all known, and compiles its tasks into a DAG', async () => {
    const yaml = `
agents:
  researcher: { model: m, tools: [fs.read, http.request] }
  writer: { model: m }
steps:
  - id: research
    uses: agents.team
    with:
      tasks:
        - { id: a, agent: researcher, prompt: A, tools: [fs.read] }
        - { id: b, agent: researcher, prompt: B }
        - { id: c, agent: writer, needs: [a, b], prompt: C }
`;
    const workflow = await checkText(yaml, dir, 'team.yaml');
    const team = workflow.stepsById.get('research')!.team!;
    expect(team.main.dag).toBe(true);
    expect(team.main.steps.map((s) => [s.id, s.needs, s.uses])).toEqual([['a', [], 'agents.task'], ['b', [], 'agents.task'], ['c', ['a', 'b'], 'agents.task']]);
  });

  it('reports unknown agents, tools, needs, duplicates and cycles, each where it is written', async () => {
    const yaml = `agents:
  researcher: { model: m, tools: [fs.raed, workflow] }
  writer: { model: m }
steps:
  - id: research
    uses: agents.team
    with:
      tasks:
        - { id: a, agent: reseacher, prompt: A }
        - { id: b, agent: writer, needs: [c], prompt: B }
        - { id: c, agent: writer, needs: [b], prompt: C }
        - { id: d, agent: writer, needs: [c], prompt: D }
        - { id: a, agent: writer, needs: [zzz], prompt: E, tools: [fs.read] }
  - id: ask
    uses: llm.chat
    with: { model: m, prompt: hi, tools: [shel] }
`;
    expect(await problems(yaml)).toEqual([
      'team.yaml:2:35: Unknown tool "fs.raed": a tool is a step type. Did you mean "fs.read"? Run `arq steps` to list them [tools.unknown]',
      'team.yaml:2:44: Unknown tool "workflow": a tool is a step type. "workflow" is run by the engine, not as a tool. Run `arq steps` to list them [tools.unknown]',
      'team.yaml:9:27: Unknown agent "reseacher" in task "a". Did you mean "researcher"? Expected one of the agents: researcher, writer [team.unknown_agent]',
      'team.yaml:10:42: Dependency cycle: b -> c -> b; tasks cannot need each other in a circle [team.cycle]',
      'team.yaml:12:42: Task "d" can never start: it needs "c", which can never finish (a cycle or an unknown task on the way) [team.unreachable]',
      'team.yaml:13:17: Duplicate task id "a": each task of a team needs its own id [team.duplicate_task]',
      'team.yaml:13:43: Task "a" needs unknown task "zzz". Expected one of: b, c, d [team.unknown_need]',
      'team.yaml:13:68: Task "a" asks for tool "fs.read", which agent "writer" does not have: it has no tools [team.unknown_tool]',
      'team.yaml:16:43: Unknown tool "shel": a tool is a step type. Did you mean "shell"? Run `arq steps` to list them [tools.unknown]',
    ]);
  });

  it('refuses computed ids, agents and needs, and expressions in the llm: and agents: blocks', async () => {
    const yaml = `llm: { model: "\${{ inputs.m }}" }
agents:
  writer: { model: m }
steps:
  - id: research
    uses: agents.team
    with:
      tasks:
        - { id: a, agent: "\${{ inputs.who }}", prompt: A }
`;
    expect(await problems(yaml)).toEqual([
      'team.yaml:1:15: Expressions are not evaluated in the llm: block; write a constant here [expr.not_allowed]',
      'team.yaml:9:27: "agent" of a task must be a constant: the team is compiled before it runs [team.not_constant]',
      'team.yaml:9:27: Unknown agent "${{ inputs.who }}" in task "a". Expected one of the agents: writer [team.unknown_agent]',
    ]);
  });

  it('checks the shape of tasks against the schema of agents.team', async () => {
    const yaml = 'agents: { w: { model: m } }\nsteps:\n  - uses: agents.team\n    with:\n      tasks:\n        - { id: a, agent: w, promt: A }\n';
    expect(await problems(yaml)).toEqual([
      'team.yaml:6:30: Unknown key "promt" in item 1 of "tasks". Did you mean "prompt"? Expected one of: id, agent, prompt, needs, outputs, tools, continue_on_error, timeout, retry [input.unknown_key]',
    ]);
  });
});
