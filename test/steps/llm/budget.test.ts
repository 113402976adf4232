/** LLM budgets of a step and of the run: a call that would go past one fails with the spend. */
import { describe, expect, it } from 'vitest';
import { llmEnv, llmServers, type LlmServer, type Reply } from '../../helpers/llm-server.js';
import { finishedList, finishedOf, runText, tempDir, writeFiles } from '../../helpers/workflow.js';

const dir = tempDir('arq-llm-budget-');
writeFiles(dir, { 'notes.txt': 'ship on friday\n' });
const serve = llmServers();

const env = (server: LlmServer) => llmEnv(server);
const readCall: Reply = { toolCalls: [{ name: 'fs_read', arguments: { path: 'notes.txt' } }] };

describe('LLM budgets', () => {
  it('does not send a request past the step\'s request budget, and says what was spent', async () => {
    const server = await serve([readCall, { text: 'never asked' }]);
    const yaml = 'steps:\n  - id: ask\n    uses: llm.chat\n    with: { model: gpt-test, prompt: When?, tools: [fs.read], budget: { requests: 1 } }\n';
    const { result, events } = await runText(yaml, dir, { env: env(server) });
    expect(result.status).toBe('failed');
    expect(finishedOf(events, 'ask').error).toBe('LLM budget of step "ask" exceeded: another request would make 2, the limit is 1; spent 1 request, 15 tokens');
    expect(server.requests).toHaveLength(1);
  });

  it('fails the step when an answer takes it past its token budget', async () => {
    const server = await serve([{ text: 'a long answer', usage: { prompt: 12, completion: 30 } }]);
    const yaml = 'steps:\n  - id: ask\n    uses: llm.chat\n    with: { model: gpt-test, prompt: Talk, budget: { tokens: 40 } }\n';
    const { events } = await runText(yaml, dir, { env: env(server) });
    expect(finishedOf(events, 'ask').error).toBe('LLM budget of step "ask" exceeded: 42 tokens used, the limit is 40; spent 1 request, 42 tokens');
  });

  it('counts every step of the run against the llm: budget', async () => {
    const server = await serve([{ text: 'one' }, readCall, { text: 'never asked' }]);
    const yaml = `
llm: { model: gpt-test, budget: { requests: 2 } }
steps:
  - id: first
    uses: llm.chat
    with: { prompt: One }
  - id: second
    uses: llm.chat
    with: { prompt: When?, tools: [fs.read] }
`;
    const { events } = await runText(yaml, dir, { env: env(server) });
    expect(finishedList(events)).toEqual(['first:succeeded', 'second:failed']);
    expect(finishedOf(events, 'first').outputs).toMatchObject({ spend: { requests: 1, tokens: 15 } });
    expect(finishedOf(events, 'second').error).toBe('LLM budget of the run exceeded: another request would make 3, the limit is 2; spent 2 requests, 30 tokens');
    expect(server.requests.map((r) => r.body.model)).toEqual(['gpt-test', 'gpt-test']);
  });

  it('prices the tokens of a model for a budget in usd, and records the cost as spend', async () => {
    const server = await serve([{ text: 'one' }, { text: 'never asked' }]);
    const yaml = `
llm:
  model: gpt-test
  budget: { usd: 0.02 }
  prices: { gpt-test: { input: 1000, output: 2000 } }
steps:
  - id: first
    uses: llm.chat
    with: { prompt: One }
  - id: second
    uses: llm.chat
    with: { prompt: Two }
`;
    const { events } = await runText(yaml, dir, { env: env(server) });
    expect(finishedOf(events, 'first').outputs).toMatchObject({ spend: { requests: 1, tokens: 15, usd: 0.02 } });
    expect(finishedOf(events, 'second').error).toBe('LLM budget of the run exceeded: no money left of $0.02; spent 1 request, 15 tokens, $0.0200');
    expect(server.requests).toHaveLength(1);
  });

  it('refuses a budget in usd for a model without a price', async () => {
    const server = await serve([]);
    const yaml = 'steps:\n  - id: ask\n    uses: llm.chat\n    with: { model: gpt-test, prompt: Hi, budget: { usd: 1 } }\n';
    const { events } = await runText(yaml, dir, { env: env(server) });
    expect(finishedOf(events, 'ask').error).toBe('The budget of step "ask" is in usd, but the llm: block has no price for model "gpt-test": add llm: { prices: { "gpt-test": { input: USD, output: USD } } } (per million tokens)');
    expect(server.requests).toHaveLength(0);
  });
});
