/**
 * Answers as arq uses them: a streamed answer assembled from its chunks (content, tool-call
 * deltas, the final usage chunk), or a whole completion, both as an {@link Answer}. The text is
 * shown live in the step's log a line at a time, never a token at a time: the journal gets one
 * event per line.
 */
import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { Answer, ToolCall } from './cassette.js';

const NO_USAGE = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };

/** Text in, whole lines out; a line longer than `max` is cut into pieces of `max`. */
export class LineLog {
  private pending = '';

  constructor(
    private readonly write: (line: string) => void,
    private readonly max = 400,
  ) {}

  add(text: string): void {
    this.pending += text;
    let newline = this.pending.indexOf('\n');
    while (newline >= 0 || this.pending.length > this.max) {
      const end = newline >= 0 && newline <= this.max ? newline : this.max;
      this.write(this.pending.slice(0, end).replace(/\r$/, ''));
      this.pending = this.pending.slice(newline === end ? end + 1 : end);
      newline = this.pending.indexOf('\n');
    }
  }

  /** Writes what is left of the last line. */
  flush(): void {
    if (this.pending) this.write(this.pending);
    this.pending = '';
  }
}

/** An answer that arrived whole. */
export function answerOf(completion: ChatCompletion): Answer {
  const choice = completion.choices[0];
  const calls = (choice?.message.tool_calls ?? []).flatMap((c) => (c.type === 'function' ? [{ id: c.id, name: c.function.name, arguments: c.function.arguments }] : []));
  const { prompt_tokens = 0, completion_tokens = 0, total_tokens = 0 } = completion.usage ?? NO_USAGE;
  return { content: choice?.message.content ?? null, tool_calls: calls, finish_reason: choice?.finish_reason ?? 'unknown', usage: { prompt_tokens, completion_tokens, total_tokens }, model: completion.model };
}

interface Partial {
  content: string;
  hasContent: boolean;
  calls: { id: string; name: string; arguments: string }[];
  finish: string;
  usage: Answer['usage'];
  model: string;
}

function addChunk(into: Partial, chunk: ChatCompletionChunk, lines: LineLog): void {
  if (chunk.model) into.model = chunk.model;
  if (chunk.usage) into.usage = { prompt_tokens: chunk.usage.prompt_tokens, completion_tokens: chunk.usage.completion_tokens, total_tokens: chunk.usage.total_tokens };
  const choice = chunk.choices[0];
  if (!choice) return;
  if (choice.finish_reason) into.finish = choice.finish_reason;
  const { content, tool_calls: calls } = choice.delta;
  if (typeof content === 'string') {
    into.content += content;
    into.hasContent ||= content.length > 0;
    lines.add(content);
  }
  for (const delta of calls ?? []) {
    const call = (into.calls[delta.index] ??= { id: '', name: '', arguments: '' });
    if (delta.id) call.id = delta.id;
    if (delta.function?.name) call.name += delta.function.name;
    if (delta.function?.arguments) call.arguments += delta.function.arguments;
  }
}

/** Reads a stream to its end, logging the text line by line as it comes. */
export async function readStream(chunks: AsyncIterable<ChatCompletionChunk>, lines: LineLog, model: string): Promise<Answer> {
  const partial: Partial = { content: '', hasContent: false, calls: [], finish: 'unknown', usage: NO_USAGE, model };
  for await (const chunk of chunks) addChunk(partial, chunk, lines);
  lines.flush();
  const toolCalls: ToolCall[] = partial.calls.filter((c) => c !== undefined);
  return { content: partial.hasContent ? partial.content : null, tool_calls: toolCalls, finish_reason: partial.finish, usage: partial.usage, model: partial.model };
}
