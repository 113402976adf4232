/** agents.plan: a model writes the plan; arq checks it, feeds problems back, and runs only a valid one. */
import { describe, expect, it } from 'vitest';
import { PLAN_SCHEMA } from '../../../steps/agents/schema.js';
import { llmEnv, llmServers, type LlmServer } from '../../helpers/llm-server.js';
import { checkText, finishedList, finishedOf, logLines, runText, tempDir } from '../../helpers/workflow.js';
import { WorkflowError, formatProblem } from '../../../engine/errors.js';

const dir = tempDir('arq-plan-');
const serve = llmServers();

const env = (server: LlmServer) => llmEnv(server);

const workflow = (extra = '') => `
name: planned
llm: { model: gpt-planner }
agents:
  researcher: { description: Finds facts., model: gpt-research, tools: [fs.read] }
  writer: { description: Writes reports., model: gpt-writer }
steps:
  - id: plan
    uses: agents.plan
    with:
      goal: A one-line report on arq
      stream: false${extra}
outputs:
  report: \${{ steps.plan.outputs.result.text }}
`;

const plan = (tasks: object[]) => ({ text: JSON.stringify({ tasks }) });
const cyclic = plan([
  { id: 'facts', agent: 'researcher', prompt: 'Find facts', needs: ['report'] },
  { id: 'report', agent: 'writer', prompt: 'Write it', needs: ['facts'] },
]);
const valid = plan([
  { id: 'facts', agent: 'researcher', prompt: 'Find facts' },
  { id: 'report', agent: 'writer', prompt: 'Write it', needs: ['facts'] },
]);

const plannerSystem = [
  'You plan the work of a team of agents. Split the goal into tasks; each task is done by one of these agents:',
  '- researcher: Finds facts. (tools: fs.read)',
  '- writer: Writes reports. (no tools)',
  'A task lists in "needs" the ids of the tasks that must finish before it; it is then given their results. Tasks without needs run at the same time.',
  'Use at most 10 tasks, only these agents, and no cycles in needs.',
  '',
  `Answer with JSON only, no other text, matching this JSON Schema:\n${JSON.stringify(PLAN_SCHEMA)}`,
].join('\n');

describe('agents.plan', () => {
  it('sends a plan with a cycle back with the problem, then runs the repaired plan as a team', async () => {
    const server = await serve([cyclic, valid, { text: 'arq is a workflow engine' }, { text: 'Report: arq is a workflow engine.' }]);
    const { result, events } = await runText(workflow(), dir, { env: env(server) });
    expect(result.status).toBe('succeeded');
    expect(result.outputs).toEqual({ report: 'Report: arq is a workflow engine.' });
    expect(server.requests[0]!.body).toEqual({
      model: 'gpt-planner', stream: false,
      messages: [{ role: 'system', content: plannerSystem }, { role: 'user', content: 'Goal: A one-line report on arq' }],
      response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: PLAN_SCHEMA, strict: false } },
    });
    expect(server.requests[1]!.body.messages.slice(2)).toEqual([
      { role: 'assistant', content: cyclic.text },
      { role: 'user', content: 'Your plan is not valid:\n- Dependency cycle: facts -> report -> facts; tasks cannot need each other in a circle\nAnswer again with the whole corrected plan as JSON only.' },
    ]);
    expect(server.requests.slice(2).map((r) => [r.body.model, r.body.messages.at(-1)!.content])).toEqual([
      ['gpt-research', 'Find facts'],
      ['gpt-writer', 'Write it\n\nResults of the tasks this task needs:\n\n### facts\narq is a workflow engine'],
    ]);
    expect(server.requests[2]!.body.tools!.map((t) => t.function.name)).toEqual(['fs_read']);
    expect(finishedList(events)).toEqual(['plan/facts:succeeded', 'plan/report:succeeded', 'plan:succeeded']);
    expect(logLines(events, 'plan')).toEqual([
      cyclic.text,
      "the model's plan is invalid; asking for repair 1 of 2:\n- Dependency cycle: facts -> report -> facts; tasks cannot need each other in a circle",
      valid.text,
      'plan: facts by researcher; report by writer (needs facts)',
    ]);
    expect(finishedOf(events, 'plan').outputs).toMatchObject({ plan: JSON.parse(valid.text!), repairs: 1, spend: { requests: 4, tokens: 60 } });
  });

  it('fails with the problems of a plan that stays invalid, and runs none of it', async () => {
    const bad = plan([
      { id: 'scan', agent: 'hacker', prompt: 'Scan everything' },
      { id: 'dump', agent: 'writer', prompt: 'Dump', tools: ['fs.read'] },
      { id: 'send', agent: 'writer', prompt: 'Send', needs: ['mail'] },
    ]);
    const server = await serve([bad, bad]);
    const { result, events } = await runText(workflow('\n      max_tasks: 2\n      max_repairs: 1'), dir, { env: env(server) });
    expect(result.status).toBe('failed');
    expect(finishedOf(events, 'plan').error).toBe([
      "The model's plan is still invalid after 1 repair:",
      '- The plan has 3 tasks, more than the limit of 2 (max_tasks)',
      '- Unknown agent "hacker" in task "scan". Expected one of the agents: researcher, writer',
      '- Task "dump" asks for tool "fs.read", which agent "writer" does not have: it has no tools',
      '- Task "send" needs unknown task "mail". Expected one of: scan, dump',
    ].join('\n'));
    expect(server.requests).toHaveLength(2);
    expect(finishedList(events)).toEqual(['plan:failed']);
  });

  it('is checked with its workflow: it needs agents, and names only known ones', async () => {
    const yaml = 'agents: { writer: { model: m } }\nsteps:\n  - uses: agents.plan\n    with: { goal: g, agents: [writer, witer] }\n';
    const error = await checkText(yaml, dir, 'p.yaml').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowError);
    expect((error as WorkflowError).problems.map(formatProblem)).toEqual([`${dir}/p.yaml:4:39: Unknown agent "witer". Did you mean "writer"? Expected one of the agents: writer [plan.unknown_agent]`]);
  });
});
