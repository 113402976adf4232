/** llm.json: answers parsed and validated with ajv, invalid ones sent back with their errors. */
import { describe, expect, it } from 'vitest';
import { llmEnv, llmServers, type LlmServer } from '../../helpers/llm-server.js';
import { finishedOf, logLines, runText, tempDir } from '../../helpers/workflow.js';

const dir = tempDir('arq-llm-json-');
const serve = llmServers();

const env = (server: LlmServer) => llmEnv(server);

const schema = { type: 'object', additionalProperties: false, required: ['severity', 'reason'], properties: { severity: { enum: ['low', 'high'] }, reason: { type: 'string' } } };
const workflow = (extra = '') => `
name: triage
steps:
  - id: triage
    uses: llm.json
    with:
      model: gpt-test
      system: You triage tickets.
      prompt: "Disk full on db-1"
      stream: false
      schema: ${JSON.stringify(schema)}${extra}
outputs:
  severity: \${{ steps.triage.outputs.json.severity }}
`;
const instruction = `You triage tickets.\n\nAnswer with JSON only, no other text, matching this JSON Schema:\n${JSON.stringify(schema)}`;

describe('llm.json', () => {
  it('asks for JSON of the schema and returns the parsed answer', async () => {
    const server = await serve([{ text: '```json\n{"severity": "high", "reason": "a full disk stops writes"}\n```' }]);
    const { result, events } = await runText(workflow(), dir, { env: env(server) });
    expect(result.status).toBe('succeeded');
    expect(result.outputs).toEqual({ severity: 'high' });
    expect(finishedOf(events, 'triage').outputs).toMatchObject({ json: { severity: 'high', reason: 'a full disk stops writes' }, repairs: 0, turns: 1 });
    expect(server.requests[0]!.body).toEqual({
      model: 'gpt-test', stream: false,
      messages: [{ role: 'system', content: instruction }, { role: 'user', content: 'Disk full on db-1' }],
      response_format: { type: 'json_schema', json_schema: { name: 'answer', schema, strict: false } },
    });
  });

  it('sends an invalid answer back with the validation errors, and takes the repaired one', async () => {
    const server = await serve([{ text: '{"severity": "urgent"}' }, { text: '{"severity": "low", "reason": "cleanup"}' }]);
    const { result, events } = await runText(workflow(), dir, { env: env(server) });
    expect(result.status).toBe('succeeded');
    expect(result.outputs).toEqual({ severity: 'low' });
    const problems = "- at the top level: must have required property 'reason'\n- at /severity: must be equal to one of the allowed values";
    expect(server.requests[1]!.body.messages.slice(2)).toEqual([
      { role: 'assistant', content: '{"severity": "urgent"}' },
      { role: 'user', content: `Your answer is not valid:\n${problems}\nAnswer again with the whole corrected answer as JSON only.` },
    ]);
    expect(logLines(events, 'triage')).toContain(`the model's answer is invalid; asking for repair 1 of 2:\n${problems}`);
    expect(finishedOf(events, 'triage').outputs).toMatchObject({ repairs: 1, turns: 2, spend: { requests: 2, tokens: 30 } });
  });

  it('fails listing the problems when the answer is still invalid after max_repairs', async () => {
    const server = await serve([{ text: 'no idea' }, { text: '{"severity": "low"}' }]);
    const { result, events } = await runText(workflow('\n      max_repairs: 1'), dir, { env: env(server) });
    expect(result.status).toBe('failed');
    expect(finishedOf(events, 'triage').error).toBe("The model's answer is still invalid after 1 repair:\n- at the top level: must have required property 'reason'");
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.body.messages.at(-1)!.content).toBe(
      'Your answer is not valid:\n- the answer is not JSON: Unexpected token \'o\', "no idea" is not valid JSON\nAnswer again with the whole corrected answer as JSON only.',
    );
  });
});
