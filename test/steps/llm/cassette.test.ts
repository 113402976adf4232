/** Cassettes: record every LLM answer of a run, then replay them with no server at all. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requestHash } from '../../../steps/llm/cassette.js';
import { scripted, startLlmServer } from '../../helpers/llm-server.js';
import { finishedOf, logLines, runText, tempDir, writeFiles } from '../../helpers/workflow.js';

const dir = tempDir('arq-llm-cassette-');
writeFiles(dir, { 'notes.txt': 'ship on friday\n' });

const workflow = (question: string) => `
llm: { model: gpt-test }
steps:
  - id: summary
    uses: llm.chat
    with: { prompt: "Summarise: arq runs workflows" }
  - id: ask
    uses: llm.chat
    with: { prompt: "${question}", tools: [fs.read], stream: false }
outputs:
  summary: \${{ steps.summary.outputs.text }}
  answer: \${{ steps.ask.outputs.text }}
`;

interface Recorded {
  entries: { step: string; attempt: number; hash: string; seq: number; request: { messages: unknown[] }; response: { content: string | null } }[];
}

describe('LLM cassettes', () => {
  it('records every answer keyed by step, attempt and request hash, then replays them with the server gone', async () => {
    const server = await startLlmServer(scripted([
      { text: 'arq runs\nworkflows.' },
      { toolCalls: [{ name: 'fs_read', arguments: { path: 'notes.txt' } }] },
      { text: 'On Friday.' },
    ]));
    const cassette = join(dir, 'cassettes', 'run.json');
    const recordEnv = { PATH: process.env.PATH ?? '', OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'sk-record-key', ARQ_LLM_CASSETTE: 'cassettes/run.json', ARQ_LLM_CASSETTE_MODE: 'record' };
    const recorded = await runText(workflow('When do we ship?'), dir, { env: recordEnv });
    expect(recorded.result.status).toBe('succeeded');
    await server.close();

    const text = readFileSync(cassette, 'utf8');
    expect(text).not.toContain('sk-record-key');
    const { entries } = JSON.parse(text) as Recorded;
    expect(entries.map((e) => [e.step, e.attempt, e.seq, e.response.content])).toEqual([
      ['ask', 1, 0, null],
      ['ask', 1, 0, 'On Friday.'],
      ['summary', 1, 0, 'arq runs\nworkflows.'],
    ]);
    expect(entries.map((e) => e.hash)).toEqual(entries.map((e) => requestHash(e.request)));
    expect(entries.map((e) => e.request)).toEqual([server.requests[1]!.body, server.requests[2]!.body, server.requests[0]!.body].map(({ stream, stream_options, ...request }) => request));

    // No server, no key: every answer comes from the cassette.
    const replayEnv = { PATH: process.env.PATH ?? '', OPENAI_BASE_URL: server.url, ARQ_LLM_CASSETTE: cassette };
    const replayed = await runText(workflow('When do we ship?'), dir, { env: replayEnv });
    expect(replayed.result.status).toBe('succeeded');
    expect(replayed.result.outputs).toEqual({ summary: 'arq runs\nworkflows.', answer: 'On Friday.' });
    expect(replayed.result.outputs).toEqual(recorded.result.outputs);
    expect(logLines(replayed.events, 'summary')).toEqual(['arq runs', 'workflows.']);
    expect(logLines(replayed.events, 'ask')).toEqual(logLines(recorded.events, 'ask'));
    expect(finishedOf(replayed.events, 'ask').outputs).toEqual(finishedOf(recorded.events, 'ask').outputs);

    // A request the cassette does not hold fails loudly, naming it.
    const changed = await runText(workflow('When do we launch?'), dir, { env: replayEnv });
    expect(changed.result.status).toBe('failed');
    const request = { model: 'gpt-test', messages: [{ role: 'user', content: 'When do we launch?' }], tools: server.requests[1]!.body.tools };
    expect(finishedOf(changed.events, 'ask').error).toBe(
      `No answer in the cassette ${cassette} for step "ask" attempt 1, request ${requestHash(request)} (model gpt-test, last message "When do we launch?"); ` +
        'it holds 2 answers of this step, none for this request. Record it again with ARQ_LLM_CASSETTE_MODE=record',
    );
  });

  it('fails at once when the cassette to replay does not exist', async () => {
    const env = { PATH: process.env.PATH ?? '', ARQ_LLM_CASSETTE: 'missing.json', ARQ_LLM_CASSETTE_MODE: 'replay' };
    const { events } = await runText(workflow('x'), dir, { env });
    expect(finishedOf(events, 'summary').error).toBe(`The cassette ${join(dir, 'missing.json')} does not exist: record it first with ARQ_LLM_CASSETTE_MODE=record`);
  });

  it('keys answers by the full step path: foreach items asking the same question get back their own answers', async () => {
    const server = await startLlmServer(scripted([{ text: 'first answer' }, { text: 'second answer' }]));
    const yaml = `
llm: { model: gpt-test }
steps:
  - id: ask
    foreach: [1, 2]
    concurrency: 1
    uses: llm.chat
    with: { prompt: "Same question", stream: false }
outputs:
  answers: \${{ steps.ask.outputs }}
`;
    const recordEnv = { PATH: process.env.PATH ?? '', OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'sk-k', ARQ_LLM_CASSETTE: 'cassettes/items.json', ARQ_LLM_CASSETTE_MODE: 'record' };
    const recorded = await runText(yaml, dir, { env: recordEnv });
    await server.close();
    const { entries } = JSON.parse(readFileSync(join(dir, 'cassettes', 'items.json'), 'utf8')) as Recorded;
    expect(entries.map((e) => [e.step, e.response.content])).toEqual([['ask[0]', 'first answer'], ['ask[1]', 'second answer']]);
    const replayed = await runText(yaml.replace('concurrency: 1', 'concurrency: 2'), dir, { env: { PATH: process.env.PATH ?? '', ARQ_LLM_CASSETTE: 'cassettes/items.json' } });
    expect(replayed.result.outputs).toEqual(recorded.result.outputs);
    expect((replayed.result.outputs.answers as { text: string }[]).map((a) => a.text)).toEqual(['first answer', 'second answer']);
  });
});
