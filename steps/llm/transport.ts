/**
 * One question to the model: the request goes through the budgets, then to the cassette (replay)
 * or to the server with arq's own retry loop (each retry logged and charged as a request; the
 * SDK's own retries are off), and the answer is recorded (record) and charged.
 */
import { setTimeout as wait } from 'node:timers/promises';
import { StepError, type StepContext } from '../contract.js';
import type { Budgets } from './budget.js';
import { requestHash, type Answer, type Cassette } from './cassette.js';
import { backoffDelay, failureOf, MAX_RETRY_AFTER_MS, type Failure } from './retry.js';
import type { Connection } from './settings.js';
import { answerOf, LineLog, readStream } from './stream.js';

/** A message of the conversation, in the wire format. */
export interface Message {
  readonly role: 'system' | 'user' | 'assistant' | 'tool';
  readonly content: string | null;
  readonly tool_calls?: readonly { id: string; type: 'function'; function: { name: string; arguments: string } }[];
  readonly tool_call_id?: string;
}

/** A function the model may call. */
export interface ToolDefinition {
  readonly type: 'function';
  readonly function: { readonly name: string; readonly description: string; readonly parameters: Record<string, unknown> };
}

/** The body of a chat completions request (streaming is the transport's business). */
export interface ChatRequest {
  readonly model: string;
  readonly messages: readonly Message[];
  readonly tools?: readonly ToolDefinition[];
  readonly temperature?: number;
  readonly max_tokens?: number;
  readonly response_format?: Record<string, unknown>;
}

/** How requests travel. */
export interface Transport {
  readonly connection: Connection;
  readonly stream: boolean;
  readonly timeoutMs: number;
  /** Retries after the first request (0: none). */
  readonly maxRetries: number;
  readonly backoffMs: number;
  readonly budgets: Budgets;
  readonly cassette?: Cassette;
}

type Sdk = typeof import('openai');
type Client = InstanceType<Sdk['OpenAI']>;

function target(transport: Transport): string {
  return `LLM request to ${transport.connection.baseURL ?? 'https://api.openai.com/v1'}`;
}

function showLines(text: string | null, ctx: StepContext): void {
  if (!text) return;
  const lines = new LineLog((line) => ctx.log('stdout', line));
  lines.add(text);
  lines.flush();
}

async function sendOnce(client: Client, request: ChatRequest, transport: Transport, ctx: StepContext): Promise<Answer> {
  const options = { signal: ctx.signal, timeout: transport.timeoutMs, maxRetries: 0 };
  const body = request as Parameters<Client['chat']['completions']['create']>[0];
  if (!transport.stream) {
    const answer = answerOf(await client.chat.completions.create({ ...body, stream: false }, options));
    showLines(answer.content, ctx);
    return answer;
  }
  const chunks = await client.chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } }, options);
  return readStream(chunks, new LineLog((line) => ctx.log('stdout', line)), request.model);
}

/** Throws when a failure is final: not retryable, out of retries, or a retry-after too long to wait. */
function giveUpOn(failure: Failure, attempt: number, transport: Transport, error: unknown): void {
  const where = target(transport);
  const details = { status: failure.status };
  if (!failure.retry) throw new StepError('llm.request', `${where} failed: ${failure.reason}`, details, { cause: error });
  if (attempt > transport.maxRetries) throw new StepError('llm.request', `${where} failed after ${attempt} attempts: ${failure.reason}`, details, { cause: error });
  if ((failure.retryAfterMs ?? 0) > MAX_RETRY_AFTER_MS) {
    throw new StepError('llm.request', `${where} failed: ${failure.reason}; the server asks to retry after ${Math.round(failure.retryAfterMs! / 1000)}s, longer than arq waits (${MAX_RETRY_AFTER_MS / 1000}s)`, details, { cause: error });
  }
}

async function sendWithRetries(request: ChatRequest, transport: Transport, ctx: StepContext): Promise<Answer> {
  const sdk = await import('openai');
  const { apiKey, baseURL } = transport.connection;
  const client = new sdk.OpenAI({ apiKey, baseURL, maxRetries: 0, timeout: transport.timeoutMs });
  for (let attempt = 1; ; attempt++) {
    transport.budgets.beforeRequest(request.model);
    try {
      return await sendOnce(client, request, transport, ctx);
    } catch (error) {
      if (ctx.signal.aborted) throw error;
      const failure = failureOf(error, sdk, transport.timeoutMs);
      giveUpOn(failure, attempt, transport, error);
      const delay = failure.retryAfterMs ?? backoffDelay(transport.backoffMs, attempt);
      const why = failure.retryAfterMs === undefined ? '' : ' (the retry-after of the answer)';
      ctx.log('info', `${target(transport)} failed: ${failure.reason}; retrying in ${delay}ms${why}, attempt ${attempt + 1} of ${transport.maxRetries + 1}`);
      await wait(delay, undefined, { signal: ctx.signal });
    }
  }
}

/**
 * Asks the model one question and returns its answer, charged to the budgets.
 *
 * @example
 * const answer = await ask({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] }, transport, ctx);
 * answer.content; // 'Hello!'
 */
export async function ask(request: ChatRequest, transport: Transport, ctx: StepContext): Promise<Answer> {
  // The step's full path: two foreach items or team tasks of the same id never share answers.
  const key = { step: ctx.path ?? ctx.stepId, attempt: ctx.attempt, hash: requestHash(request) };
  const { cassette, budgets } = transport;
  let answer: Answer;
  if (cassette?.mode === 'replay') {
    budgets.beforeRequest(request.model);
    answer = cassette.take(key, request);
    showLines(answer.content, ctx);
  } else {
    answer = await sendWithRetries(request, transport, ctx);
    cassette?.record(key, request, answer);
  }
  budgets.afterAnswer(answer.usage);
  return answer;
}
