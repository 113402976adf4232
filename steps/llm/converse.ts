/**
 * A conversation with tools: ask, run the tools the model calls, hand their results back, and ask
 * again, until the model answers without calling a tool or `max_turns` questions were asked.
 */
import { StepError, type StepContext } from '../contract.js';
import type { Usage } from './budget.js';
import type { Answer } from './cassette.js';
import type { Toolbox } from './tools.js';
import { ask, type ChatRequest, type Message, type Transport } from './transport.js';

/** Everything but the messages: the same for every question of the conversation. */
export interface Conversation {
  readonly request: Omit<ChatRequest, 'messages' | 'tools'>;
  readonly transport: Transport;
  readonly toolbox: Toolbox;
  readonly maxTurns: number;
}

export interface Exchange {
  /** The last answer: the one without tool calls. */
  readonly answer: Answer;
  /** Questions asked. */
  readonly turns: number;
}

/** Token counts summed over answers. */
export function addUsage(a: Usage, b: Usage): Usage {
  return { prompt_tokens: a.prompt_tokens + b.prompt_tokens, completion_tokens: a.completion_tokens + b.completion_tokens, total_tokens: a.total_tokens + b.total_tokens };
}

function assistantMessage(answer: Answer): Message {
  if (!answer.tool_calls.length) return { role: 'assistant', content: answer.content };
  const calls = answer.tool_calls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.arguments } }));
  return { role: 'assistant', content: answer.content, tool_calls: calls };
}

/**
 * Runs the conversation on from `messages` (which it extends with the answers and tool results);
 * `onAnswer` sees every answer (for usage).
 *
 * @example
 * const { answer } = await converse(conversation, [{ role: 'user', content: 'Read notes.txt' }], ctx, () => {});
 */
export async function converse(conversation: Conversation, messages: Message[], ctx: StepContext, onAnswer: (answer: Answer) => void): Promise<Exchange> {
  const { toolbox, maxTurns } = conversation;
  const tools = toolbox.definitions.length ? toolbox.definitions : undefined;
  for (let turn = 1; ; turn++) {
    const answer = await ask({ ...conversation.request, messages, tools }, conversation.transport, ctx);
    onAnswer(answer);
    messages.push(assistantMessage(answer));
    if (!answer.tool_calls.length) return { answer, turns: turn };
    if (turn >= maxTurns) {
      throw new StepError('llm.max_turns', `The model still called tools after ${maxTurns} turn${maxTurns === 1 ? '' : 's'} (max_turns: ${maxTurns}); last calls: ${answer.tool_calls.map((c) => c.name).join(', ')}`);
    }
    for (const call of answer.tool_calls) messages.push({ role: 'tool', tool_call_id: call.id, content: await toolbox.call(call) });
  }
}
