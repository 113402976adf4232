/** llm.chat against an OpenAI-compatible server started by the test, through the real openai client. */
import { describe, expect, it } from 'vitest';
import { llmEnv, llmServers, type LlmServer } from '../../helpers/llm-server.js';
import { finishedOf, logLines, runText, tempDir } from '../../helpers/workflow.js';

const dir = tempDir('arq-llm-chat-');
const serve = llmServers();

const envFor = (server: LlmServer) => llmEnv(server, { OPENAI_API_KEY: 'sk-test-key-123' });

const chat = (withYaml: string) => `
name: chat
steps:
  - id: ask
    uses: llm.chat
    with:
${withYaml}
outputs:
  text: \${{ steps.ask.outputs.text }}
`;

describe('llm.chat', () => {
  it('sends the model, system prompt, prompt and options, and returns text, usage and finish reason', async () => {
    const server = await serve([{ text: 'Paris.', usage: { prompt: 21, completion: 2 } }]);
    const yaml = chat('      model: gpt-test\n      system: You answer briefly.\n      prompt: Capital of France?\n      temperature: 0.2\n      max_tokens: 50\n      stream: false');
    const { result, events } = await runText(yaml, dir, { env: envFor(server) });
    expect(result.status).toBe('succeeded');
    expect(result.outputs).toEqual({ text: 'Paris.' });
    expect(finishedOf(events, 'ask').outputs).toEqual({
      text: 'Paris.', finish_reason: 'stop', model: 'gpt-test', turns: 1, tool_calls: [],
      usage: { prompt_tokens: 21, completion_tokens: 2, total_tokens: 23 }, spend: { requests: 1, tokens: 23 },
    });
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request!.path).toBe('/v1/chat/completions');
    expect(request!.headers.authorization).toBe('Bearer sk-test-key-123');
    expect(request!.body).toEqual({
      model: 'gpt-test', temperature: 0.2, max_tokens: 50, stream: false,
      messages: [{ role: 'system', content: 'You answer briefly.' }, { role: 'user', content: 'Capital of France?' }],
    });
    expect(logLines(events, 'ask')).toEqual(['Paris.']);
  });

  it('streams the answer and shows it a line at a time as step.log events', async () => {
    const server = await serve([{ text: 'first line\nsecond line\nthird', usage: { prompt: 7, completion: 9 } }]);
    const { result, events } = await runText(chat('      model: gpt-test\n      prompt: Three lines please'), dir, { env: envFor(server) });
    expect(result.status).toBe('succeeded');
    expect(result.outputs).toEqual({ text: 'first line\nsecond line\nthird' });
    expect(logLines(events, 'ask')).toEqual(['first line', 'second line', 'third']);
    expect(finishedOf(events, 'ask').outputs).toMatchObject({ usage: { prompt_tokens: 7, completion_tokens: 9, total_tokens: 16 }, finish_reason: 'stop' });
    expect(server.requests[0]!.body).toEqual({
      model: 'gpt-test', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'Three lines please' }],
    });
  });

  it('waits what retry-after says after a 429, logs the retry, and gets the answer', async () => {
    const server = await serve([{ status: 429, message: 'Rate limit reached for requests', headers: { 'retry-after': '1' } }, { text: 'ok' }]);
    const { result, events } = await runText(chat('      model: gpt-test\n      prompt: hi'), dir, { env: envFor(server) });
    expect(result.status).toBe('succeeded');
    expect(logLines(events, 'ask')).toEqual([
      `LLM request to ${server.url} failed: 429 Rate limit reached for requests; retrying in 1000ms (the retry-after of the answer), attempt 2 of 4`,
      'ok',
    ]);
    expect(server.requests.map((r) => r.body)).toEqual([server.requests[0]!.body, server.requests[0]!.body]);
    expect(finishedOf(events, 'ask').outputs).toMatchObject({ spend: { requests: 2, tokens: 15 } });
  });

  it('retries a 500 with backoff and fails after max_retries, naming the status and the message', async () => {
    const server = await serve([{ status: 500, message: 'upstream exploded' }, { status: 502, message: 'bad gateway' }]);
    const { result, events } = await runText(chat('      model: gpt-test\n      prompt: hi\n      max_retries: 1\n      retry_backoff: 20'), dir, { env: envFor(server) });
    expect(result.status).toBe('failed');
    expect(finishedOf(events, 'ask').error).toBe(`LLM request to ${server.url} failed after 2 attempts: 502 bad gateway`);
    expect(logLines(events, 'ask')).toEqual([`LLM request to ${server.url} failed: 500 upstream exploded; retrying in 20ms, attempt 2 of 2`]);
    expect(server.requests).toHaveLength(2);
  });

  it('does not retry a 400: the request is wrong, and the message says why', async () => {
    const server = await serve([{ status: 400, message: 'The model `nope` does not exist' }]);
    const { result, events } = await runText(chat('      model: nope\n      prompt: hi'), dir, { env: envFor(server) });
    expect(result.status).toBe('failed');
    expect(finishedOf(events, 'ask').error).toBe(`LLM request to ${server.url} failed: 400 The model \`nope\` does not exist`);
    expect(server.requests).toHaveLength(1);
  });

  it('gives up on a slow answer after request_timeout and asks again', async () => {
    const server = await serve([{ text: 'too late', delayMs: 20_000 }, { text: 'in time' }]);
    const { result, events } = await runText(chat('      model: gpt-test\n      prompt: hi\n      request_timeout: 3000\n      retry_backoff: 10'), dir, { env: envFor(server) });
    expect(result.status).toBe('succeeded');
    expect(result.outputs).toEqual({ text: 'in time' });
    expect(logLines(events, 'ask')[0]).toBe(`LLM request to ${server.url} failed: no answer within 3000ms (request_timeout); retrying in 10ms, attempt 2 of 4`);
    expect(server.log).toEqual(['arrived 0', 'arrived 1', 'answered 1']);
  });

  it('masks the API key everywhere, even in a message the server echoes it in', async () => {
    const server = await serve([{ status: 401, message: 'Incorrect API key provided: sk-test-key-123' }]);
    const { result, events } = await runText(chat('      model: gpt-test\n      prompt: hi'), dir, { env: envFor(server) });
    expect(result.status).toBe('failed');
    expect(finishedOf(events, 'ask').error).toBe(`LLM request to ${server.url} failed: 401 Incorrect API key provided: ***`);
    expect(result.error).toBe(`Step "ask" failed: LLM request to ${server.url} failed: 401 Incorrect API key provided: ***`);
    expect(JSON.stringify(events)).not.toContain('sk-test-key-123');
  });

  it('fails before sending anything when there is no API key', async () => {
    const server = await serve([]);
    const env = { PATH: process.env.PATH ?? '', OPENAI_BASE_URL: server.url };
    const { events } = await runText(chat('      model: gpt-test\n      prompt: hi'), dir, { env });
    expect(finishedOf(events, 'ask').error).toBe('No API key: set the environment variable OPENAI_API_KEY, or `api_key` in with: (e.g. ${{ secrets.OPENAI_KEY }}); a local server that ignores keys takes any value');
    expect(server.requests).toHaveLength(0);
  });
});
