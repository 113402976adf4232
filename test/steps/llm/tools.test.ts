/** Step types granted to a model as tools: run through the engine, refused when not granted. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fsRead } from '../../../steps/os/fs-read.js';
import { llmEnv, llmServers, type LlmServer } from '../../helpers/llm-server.js';
import { finishedOf, logLines, runText, tempDir, writeFiles } from '../../helpers/workflow.js';

const dir = tempDir('arq-llm-tools-');
writeFiles(dir, { 'notes.txt': 'ship on friday\n' });
const serve = llmServers();

const env = (server: LlmServer) => llmEnv(server);

const workflow = (extra = '') => `
name: tools
steps:
  - id: ask
    uses: llm.chat
    with:
      model: gpt-test
      prompt: When do we ship?
      tools: [fs.read]${extra}
`;

const toolMessage = (server: LlmServer, request: number) => server.requests[request]!.body.messages.find((m) => m.role === 'tool');

describe('llm.chat with tools', () => {
  it('describes the granted step types, runs the call through the engine and hands the outputs back', async () => {
    const server = await serve([{ toolCalls: [{ name: 'fs_read', arguments: { path: 'notes.txt' } }] }, { text: 'On Friday.' }]);
    const { result, events } = await runText(workflow(), dir, { env: env(server) });
    expect(result.status).toBe('succeeded');
    const { description, input } = fsRead;
    expect(server.requests[0]!.body.tools).toEqual([{ type: 'function', function: { name: 'fs_read', description, parameters: input } }]);
    expect(server.requests[1]!.body.messages).toEqual([
      { role: 'user', content: 'When do we ship?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'fs_read', arguments: '{"path":"notes.txt"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: '{"content":"ship on friday\\n","size":15}' },
    ]);
    expect(logLines(events, 'ask')).toEqual(['tool fs.read {"path":"notes.txt"}', 'tool fs.read succeeded', 'On Friday.']);
    expect(finishedOf(events, 'ask').outputs).toMatchObject({ text: 'On Friday.', turns: 2, tool_calls: [{ tool: 'fs.read', input: { path: 'notes.txt' }, ok: true }], spend: { requests: 2, tokens: 30 } });
  });

  it('refuses a tool that was not granted, tells the model, and never runs it', async () => {
    const server = await serve([{ toolCalls: [{ name: 'fs_write', arguments: { path: 'pwned.txt', content: 'x' } }] }, { text: 'I cannot write files.' }]);
    const { result, events } = await runText(workflow(), dir, { env: env(server) });
    expect(result.status).toBe('succeeded');
    const refusal = 'Tool "fs_write" is not granted to this step, so it was not run; the tools you may call: fs_read';
    expect(toolMessage(server, 1)).toEqual({ role: 'tool', tool_call_id: 'call_1', content: JSON.stringify({ error: refusal }) });
    expect(existsSync(join(dir, 'pwned.txt'))).toBe(false);
    expect(logLines(events, 'ask')).toEqual(['refused a call of tool "fs_write": not granted', 'I cannot write files.']);
    expect(finishedOf(events, 'ask').outputs).toMatchObject({ tool_calls: [{ tool: 'fs_write', input: '{"path":"pwned.txt","content":"x"}', ok: false, refused: true, error: refusal }] });
  });

  it('validates the model\'s input against the step schema and reports the problem to the model', async () => {
    const server = await serve([{ toolCalls: [{ name: 'fs_read', arguments: { path: 5 } }] }, { text: 'sorry' }]);
    const { result } = await runText(workflow(), dir, { env: env(server) });
    expect(result.status).toBe('succeeded');
    expect(toolMessage(server, 1)!.content).toBe(JSON.stringify({ error: 'Invalid input for "fs.read" at with.path: "path" must be a string; found the integer 5' }));
  });

  it('keeps a tool inside the folders the workflow may touch', async () => {
    const server = await serve([{ toolCalls: [{ name: 'fs_read', arguments: { path: '../../../etc/passwd' } }] }, { text: 'no access' }]);
    await runText(workflow(), dir, { env: env(server) });
    const { error } = JSON.parse(toolMessage(server, 1)!.content!) as { error: string };
    expect(error).toBe(`Path "../../../etc/passwd" resolves to /etc/passwd, outside the folders this workflow may touch (${dir}); add it to permissions.paths to allow it`);
  });

  it('fails the step when the model still calls tools after max_turns', async () => {
    const call = { toolCalls: [{ name: 'fs_read', arguments: { path: 'notes.txt' } }] };
    const server = await serve([call, call]);
    const { result, events } = await runText(workflow('\n      max_turns: 2'), dir, { env: env(server) });
    expect(result.status).toBe('failed');
    expect(finishedOf(events, 'ask').error).toBe('The model still called tools after 2 turns (max_turns: 2); last calls: fs_read');
    expect(server.requests).toHaveLength(2);
  });
});
