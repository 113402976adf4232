/** agents.team: tasks of agents compiled into a DAG of the same engine, against a test LLM server. */
import { describe, expect, it } from 'vitest';
import { llmEnv, llmServers, type LlmRequest, type LlmServer } from '../../helpers/llm-server.js';
import { runCli } from '../../helpers/cli.js';
import { finishedList, finishedOf, runText, tempDir, writeFiles } from '../../helpers/workflow.js';

const dir = tempDir('arq-team-');
const serve = llmServers();

const env = (server: LlmServer) => llmEnv(server);
const promptOf = (request: LlmRequest) => request.body.messages.at(-1)!.content ?? '';
const requestFor = (server: LlmServer, start: string) => server.requests.find((r) => promptOf(r).startsWith(start))!;

const team = (tasks: string, agents = '') => `
name: research
inputs:
  product: { type: string, default: arq }
agents:
  researcher: { model: gpt-research, system: You research facts.${agents} }
  writer: { model: gpt-writer, system: You write reports. }
steps:
  - id: research
    uses: agents.team
    with:
      tasks:
${tasks}
outputs:
  report: \${{ steps.research.outputs.result.text }}
`;

const threeTasks = `        - { id: market, agent: researcher, prompt: "Market of \${{ inputs.product }}" }
        - { id: tech, agent: researcher, prompt: "Tech of \${{ inputs.product }}" }
        - { id: report, agent: writer, needs: [market, tech], prompt: Write the report }`;

describe('agents.team', () => {
  it('runs tasks without needs at the same time and hands both results to the task that needs them', async () => {
    // The two research answers are held until both requests have arrived: they only come if the tasks overlap.
    const server = await serve(async (request, s) => {
      const prompt = promptOf(request);
      if (prompt === 'Market of arq') return s.arrived(2).then(() => ({ text: 'the market is big' }));
      if (prompt === 'Tech of arq') return s.arrived(2).then(() => ({ text: 'the tech is ready' }));
      return { text: 'REPORT: big and ready' };
    });
    const { result, events } = await runText(team(threeTasks), dir, { env: env(server) });
    expect(result.status).toBe('succeeded');
    expect(result.outputs).toEqual({ report: 'REPORT: big and ready' });
    expect(server.log.slice(0, 2)).toEqual(['arrived 0', 'arrived 1']);
    expect(server.log.slice(2, 4).sort()).toEqual(['answered 0', 'answered 1']);
    expect(server.log.slice(4)).toEqual(['arrived 2', 'answered 2']);
    expect(requestFor(server, 'Market').body.model).toBe('gpt-research');
    expect(requestFor(server, 'Market').body.messages).toEqual([{ role: 'system', content: 'You research facts.' }, { role: 'user', content: 'Market of arq' }]);
    expect(server.requests[2]!.body.model).toBe('gpt-writer');
    expect(server.requests[2]!.body.messages).toEqual([
      { role: 'system', content: 'You write reports.' },
      { role: 'user', content: 'Write the report\n\nResults of the tasks this task needs:\n\n### market\nthe market is big\n\n### tech\nthe tech is ready' },
    ]);
    const order = finishedList(events);
    expect(order.slice(0, 2).sort()).toEqual(['research/market:succeeded', 'research/tech:succeeded']);
    expect(order.slice(2)).toEqual(['research/report:succeeded', 'research:succeeded']);
    const outputs = finishedOf(events, 'research').outputs as Record<string, Record<string, unknown>>;
    expect(Object.keys(outputs.tasks!)).toEqual(['market', 'tech', 'report']);
    expect(outputs.tasks!.market).toMatchObject({ text: 'the market is big', spend: { requests: 1, tokens: 15 } });
    expect(outputs.spend).toEqual({ requests: 3, tokens: 45 });
  });

  it('skips the tasks that need a failed task and fails the team with its message', async () => {
    const server = await serve((request) => (promptOf(request) === 'Market of arq' ? { status: 400, message: 'market is off limits' } : { text: 'fine' }));
    const { result, events } = await runText(team(threeTasks), dir, { env: env(server) });
    expect(result.status).toBe('failed');
    expect(finishedList(events).sort()).toEqual(['research/market:failed', 'research/report:skipped', 'research/tech:succeeded', 'research:failed']);
    expect(finishedOf(events, 'research/report').error).toBe('Skipped: it needs "market", which failed');
    expect(finishedOf(events, 'research').error).toBe(`Team "research" failed: Step "market" failed: LLM request to ${server.url} failed: 400 market is off limits`);
    expect(server.requests.map(promptOf).sort()).toEqual(['Market of arq', 'Tech of arq']);
  });

  it('goes on past a failed task with continue_on_error, telling the dependant it failed', async () => {
    const server = await serve((request) => (promptOf(request) === 'Market of arq' ? { status: 400, message: 'off limits' } : { text: 'fine' }));
    const tasks = threeTasks.replace('prompt: "Market of ${{ inputs.product }}" }', 'prompt: "Market of ${{ inputs.product }}", continue_on_error: true }');
    const { result, events } = await runText(team(tasks), dir, { env: env(server) });
    expect(result.status).toBe('succeeded');
    expect(finishedOf(events, 'research/market').status).toBe('failed');
    expect(promptOf(server.requests[2]!)).toBe(
      `Write the report\n\nResults of the tasks this task needs:\n\n### market\n(this task failed: LLM request to ${server.url} failed: 400 off limits)\n\n### tech\nfine`,
    );
  });

  it('charges every task of an agent to the agent\'s budget', async () => {
    const server = await serve(() => ({ text: 'noted' }));
    const tasks = `        - { id: market, agent: researcher, prompt: Market }
        - { id: tech, agent: researcher, needs: market, prompt: Tech }`;
    const { result, events } = await runText(team(tasks, ', budget: { requests: 1 }'), dir, { env: env(server) });
    expect(result.status).toBe('failed');
    expect(finishedOf(events, 'research/tech').error).toBe('LLM budget of agent "researcher" exceeded: another request would make 2, the limit is 1; spent 1 request, 15 tokens');
    expect(server.requests).toHaveLength(1);
  });

  it('answers in JSON when a task has an outputs schema, and hands that JSON on', async () => {
    const server = await serve((request) => (promptOf(request) === 'Rate it' ? { text: '{"score": 7}' } : { text: 'seven' }));
    const tasks = `        - { id: rate, agent: researcher, prompt: Rate it, outputs: { type: object, required: [score], properties: { score: { type: integer } } } }
        - { id: report, agent: writer, needs: rate, prompt: Say it }`;
    const { result, events } = await runText(team(tasks), dir, { env: env(server) });
    expect(result.status).toBe('succeeded');
    expect((finishedOf(events, 'research/rate').outputs as Record<string, unknown>).json).toEqual({ score: 7 });
    expect(promptOf(server.requests[1]!)).toBe('Say it\n\nResults of the tasks this task needs:\n\n### rate\n{"score":7}');
  });
});

describe('a large team', () => {
  it('runs 100 tasks at once and 100 more as their needs end, through the DAG coordinator', async () => {
    // Every first-wave answer waits until all 100 first-wave requests have arrived.
    const server = await serve(async (request, s) => {
      const prompt = promptOf(request);
      if (/^first \d+$/.test(prompt)) await s.arrived(100, 20_000);
      return { text: `done ${prompt.split('\n')[0]}` };
    });
    const tasks = Array.from({ length: 200 }, (_, i) =>
      i < 100 ? `        - { id: t${i}, agent: writer, prompt: first ${i} }` : `        - { id: t${i}, agent: writer, prompt: second ${i}, needs: [t${i - 100}] }`);
    const yaml = `agents: { writer: { model: m } }\nsteps:\n  - id: big\n    uses: agents.team\n    with:\n      tasks:\n${tasks.join('\n')}\n`;
    const { result, events } = await runText(yaml, dir, { env: env(server) });
    expect(result.status).toBe('succeeded');
    expect(server.log.slice(0, 100)).toEqual(Array.from({ length: 100 }, (_, i) => `arrived ${i}`));
    expect(finishedList(events).filter((e) => e.endsWith(':succeeded'))).toHaveLength(201);
    const second = server.requests.find((r) => promptOf(r).startsWith('second 150'))!;
    expect(promptOf(second)).toBe('second 150\n\nResults of the tasks this task needs:\n\n### t50\ndone first 50');
  });
});

describe('a team under a timeout', () => {
  it('stops its running tasks when the team step times out', async () => {
    const server = await serve(() => ({ hang: true }));
    const yaml = team(threeTasks).replace('    uses: agents.team\n', '    uses: agents.team\n    timeout: 5s\n');
    const { result, events } = await runText(yaml, dir, { env: env(server) });
    expect(result.status).toBe('failed');
    expect(finishedOf(events, 'research').error).toBe('Timed out after 5s');
    expect(finishedList(events).sort()).toEqual(['research/market:cancelled', 'research/tech:cancelled', 'research:failed']);
    expect(server.requests.map(promptOf).sort()).toEqual(['Market of arq', 'Tech of arq']);
  });
});

describe('arq graph of a team', () => {
  it('draws the team\'s tasks as the DAG that runs them: a coordinator, a machine per task, the needs between them', async () => {
    writeFiles(dir, { 'graph.yaml': team(threeTasks) });
    const { code, stdout } = await runCli(['graph', 'graph.yaml'], dir);
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines).toContain('    state "research ⟶ team research/ (tasks market, tech, report)" as unit_research__research');
    expect(lines).toContain('  state "research/block:tasks" as research_block_tasks {');
    for (const task of ['market', 'tech', 'report']) expect(lines).toContain(`    state "${task} (step)" as research_unit_${task}__${task}`);
    expect(lines.filter((l) => l.endsWith(': needs'))).toEqual(['  research_unit_market --> research_unit_report : needs', '  research_unit_tech --> research_unit_report : needs']);
    expect(lines.filter((l) => l.endsWith(': starts') && l.startsWith('  research_'))).toEqual(['  research_block_tasks__dag --> research_unit_market : starts', '  research_block_tasks__dag --> research_unit_tech : starts']);
  });
});
