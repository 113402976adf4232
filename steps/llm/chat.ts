/**
 * The `llm.chat` step: asks an OpenAI-compatible model, with optional tools, and returns its text.
 *
 * @example
 * - id: notes
 *   uses: llm.chat
 *   with: { model: gpt-4o-mini, system: "You write release notes.", prompt: "Changes: ${{ steps.log.outputs.stdout }}" }
 * - run: echo "${{ steps.notes.outputs.text }}"
 */
import type { StepContext, StepType } from '../contract.js';
import { CALL_PROPERTIES, LlmCall, messagesOf, NEEDS_A_PROMPT, type CallInput, type CallOptions } from './call.js';

/** The outputs every LLM step has; llm.json and agent tasks add to them. */
export const LLM_OUTPUTS = {
  text: { type: 'string', description: 'The text of the last answer.' },
  finish_reason: { type: 'string', description: 'Why the model stopped: stop, length, tool_calls, content_filter.' },
  model: { type: 'string', description: 'The model that answered, as the server names it.' },
  usage: { type: 'object', description: 'Tokens of every answer added up: prompt_tokens, completion_tokens, total_tokens.' },
  turns: { type: 'integer', description: 'Questions asked (one more for each answer that called tools).' },
  tool_calls: { type: 'array', description: 'Each tool call: tool, input, ok, error, refused.' },
  spend: { type: 'object', description: "What this step spent: requests, tokens, and usd when the llm: block prices the model." },
} as const;

/**
 * Asks and returns the text answer with the common outputs (llm.chat, and an agent's task).
 *
 * @example
 * const outputs = await runChat({ model: 'gpt-4o-mini', prompt: 'Hi' }, ctx);
 */
export async function runChat(input: CallInput, ctx: StepContext, options: CallOptions = {}): Promise<Record<string, unknown>> {
  const call = await LlmCall.prepare(input, ctx, options);
  return call.outputs(await call.converse(messagesOf(input)));
}

export const llmChat: StepType<CallInput> = {
  type: 'llm.chat',
  description: 'Asks a language model (any OpenAI-compatible server), with optional tools, and returns its answer as text.',
  input: { type: 'object', additionalProperties: false, properties: CALL_PROPERTIES, ...NEEDS_A_PROMPT },
  output: { type: 'object', properties: LLM_OUTPUTS },
  run: (input, ctx) => runChat(input, ctx),
};
