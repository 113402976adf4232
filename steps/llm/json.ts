/**
 * The `llm.json` step: asks for an answer in JSON matching a schema; the answer is parsed and
 * validated with ajv, and an invalid one is sent back with the validation errors for repair.
 *
 * @example
 * - id: triage
 *   uses: llm.json
 *   with:
 *     prompt: "Classify: ${{ inputs.ticket }}"
 *     schema: { type: object, required: [severity], properties: { severity: { enum: [low, high] } } }
 * - run: echo "${{ steps.triage.outputs.json.severity }}"
 */
import type { JSONSchema, StepContext, StepType } from '../contract.js';
import { CALL_PROPERTIES, LlmCall, messagesOf, NEEDS_A_PROMPT, type CallInput, type CallOptions } from './call.js';
import { LLM_OUTPUTS } from './chat.js';
import { answerJson } from './json-answer.js';
import type { Message } from './transport.js';

export interface JsonInput extends CallInput {
  readonly schema: JSONSchema;
  readonly max_repairs?: number;
  readonly response_format?: 'json_schema' | 'json_object' | 'none';
}

/** The `response_format` a server is sent: the schema itself, plain JSON mode, or none. */
export function responseFormat(kind: JsonInput['response_format'], schema: JSONSchema): Record<string, unknown> | undefined {
  if (kind === 'none') return undefined;
  if (kind === 'json_object') return { type: 'json_object' };
  return { type: 'json_schema', json_schema: { name: 'answer', schema, strict: false } };
}

/** The instruction that says what to answer: added to the system prompt, so any server gets it. */
export function jsonInstruction(schema: JSONSchema): string {
  return `Answer with JSON only, no other text, matching this JSON Schema:\n${JSON.stringify(schema)}`;
}

/** The system prompt with the JSON instruction after it. */
export function withJsonInstruction(messages: Message[], schema: JSONSchema): Message[] {
  const instruction = jsonInstruction(schema);
  const [first, ...rest] = messages;
  if (first?.role === 'system') return [{ role: 'system', content: `${first.content}\n\n${instruction}` }, ...rest];
  return [{ role: 'system', content: instruction }, ...messages];
}

/** How a JSON answer is asked for and checked. */
export interface JsonAsk {
  readonly schema: JSONSchema;
  readonly maxRepairs: number;
  readonly format?: JsonInput['response_format'];
  /** Problems beyond the schema (a plan's cycles, unknown agents). */
  readonly check?: (value: unknown) => string[];
  /** What messages call the answer. Default: `answer`. */
  readonly what?: string;
}

/**
 * Asks for JSON of a schema, repairing invalid answers; returns the common outputs plus `json`
 * and `repairs` (llm.json, and an agent's task with an outputs schema).
 *
 * @example
 * const { json } = await runJson({ prompt: 'Rate it' }, { schema, maxRepairs: 2 }, ctx);
 */
export async function runJson(input: CallInput, ask: JsonAsk, ctx: StepContext, options: CallOptions = {}): Promise<Record<string, unknown>> {
  const call = await LlmCall.prepare(input, ctx, { ...options, responseFormat: responseFormat(ask.format, ask.schema) });
  const messages = withJsonInstruction(messagesOf(input), ask.schema);
  const checks = { schema: ask.schema, maxRepairs: ask.maxRepairs, check: ask.check, what: ask.what ?? 'answer' };
  const { value, exchange, repairs } = await answerJson(call, messages, checks, (line) => ctx.log('info', line));
  return { ...call.outputs(exchange), json: value, repairs };
}

export const llmJson: StepType<JsonInput> = {
  type: 'llm.json',
  description: 'Asks a language model for JSON matching a schema; an invalid answer is sent back with its errors for repair.',
  input: {
    type: 'object', additionalProperties: false, required: ['schema'], ...NEEDS_A_PROMPT,
    properties: {
      ...CALL_PROPERTIES,
      schema: { type: 'object', description: 'The JSON Schema the answer must match (checked with ajv).' },
      max_repairs: { type: 'integer', minimum: 0, maximum: 10, default: 2, description: 'How many times an invalid answer is sent back with its errors before the step fails.' },
      response_format: { enum: ['json_schema', 'json_object', 'none'], default: 'json_schema', description: 'What the server is asked for: JSON of the schema (OpenAI structured outputs), any JSON, or nothing special (the prompt still asks for JSON).' },
    },
  },
  output: { type: 'object', properties: { ...LLM_OUTPUTS, json: { description: 'The answer, parsed and valid against the schema.' }, repairs: { type: 'integer', description: 'Invalid answers sent back for repair.' } } },
  run: (input, ctx) => runJson(input, { schema: input.schema, maxRepairs: input.max_repairs ?? 2, format: input.response_format }, ctx),
};
