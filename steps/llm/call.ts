/**
 * The inputs every LLM step shares (model, server, sampling, retries, budget, tools) with their
 * schema, and one prepared call: the conversation set up from them, its usage and spend added up.
 */
import type { JSONSchema, StepContext } from '../contract.js';
import { BUDGET_SCHEMA, Budgets, Ledger, ledgersOf, spendOutput, type BudgetLimit, type SharedBudget, type Usage } from './budget.js';
import { openCassette } from './cassette.js';
import { addUsage, converse, type Conversation, type Exchange } from './converse.js';
import { connectionOf, priceOf, type ConnectionInput } from './settings.js';
import { Toolbox } from './tools.js';
import type { Message } from './transport.js';

export interface CallInput extends ConnectionInput {
  readonly system?: string;
  readonly prompt?: string;
  readonly messages?: readonly { readonly role: 'system' | 'user' | 'assistant'; readonly content: string }[];
  readonly temperature?: number;
  readonly max_tokens?: number;
  readonly stream?: boolean;
  readonly request_timeout?: number;
  readonly max_retries?: number;
  readonly retry_backoff?: number;
  readonly budget?: BudgetLimit;
  readonly tools?: readonly string[];
  readonly max_turns?: number;
}

/** Defaults of the optional inputs. */
const DEFAULTS = { stream: true, request_timeout: 120_000, max_retries: 3, retry_backoff: 1000, max_turns: 8 };

const ms = (description: string) => ({ type: 'integer', minimum: 1, maximum: 2147483647, description });

/** Schema properties of the connection: also what an agent of the `agents:` block may set. */
export const CONNECTION_PROPERTIES: Record<string, JSONSchema> = {
  model: { type: 'string', minLength: 1, description: "The model (e.g. gpt-4o-mini). Default: the llm: block's model." },
  base_url: { type: 'string', minLength: 1, description: "An OpenAI-compatible server's base URL. Default: the llm: block's base_url, else OPENAI_BASE_URL, else OpenAI." },
  api_key: { type: 'string', description: 'The API key (masked everywhere). Default: OPENAI_API_KEY.' },
};

/** Schema properties of the call itself. */
export const CALL_PROPERTIES: Record<string, JSONSchema> = {
  ...CONNECTION_PROPERTIES,
  system: { type: 'string', description: 'The system prompt.' },
  prompt: { type: 'string', description: 'The user message (or give `messages`).' },
  messages: {
    type: 'array', minItems: 1, description: 'The conversation so far, after the system prompt.',
    items: {
      type: 'object', additionalProperties: false, required: ['role', 'content'],
      properties: { role: { enum: ['system', 'user', 'assistant'] }, content: { type: 'string' } },
    },
  },
  temperature: { type: 'number', minimum: 0, maximum: 2, description: 'Sampling temperature.' },
  max_tokens: { type: 'integer', minimum: 1, description: 'The most tokens an answer may have.' },
  stream: { type: 'boolean', default: DEFAULTS.stream, description: 'Stream the answer, shown line by line in the progress display as it comes.' },
  request_timeout: ms('Milliseconds to wait for the server to answer one request before retrying it. Default: 120000.'),
  max_retries: { type: 'integer', minimum: 0, maximum: 20, default: DEFAULTS.max_retries, description: 'Retries of a request that hit a rate limit (429, honouring retry-after), a 5xx, a timeout or a lost connection; other 4xx are not retried.' },
  retry_backoff: ms('Milliseconds before the first retry; doubled for each next one (capped at 30 s) unless the server says retry-after. Default: 1000.'),
  budget: BUDGET_SCHEMA,
  tools: { type: 'array', uniqueItems: true, items: { type: 'string', minLength: 1 }, description: 'Step types the model may call as tools (e.g. fs.read, http.request); a call of any other is refused.' },
  max_turns: { type: 'integer', minimum: 1, maximum: 100, default: DEFAULTS.max_turns, description: 'Questions asked at most: each answer that calls tools costs one.' },
};

/** `prompt` or `messages`: one of them is needed. */
export const NEEDS_A_PROMPT = { anyOf: [{ required: ['prompt'] }, { required: ['messages'] }], 'x-expected': 'inputs with `prompt` or `messages`' };

/** The system prompt, then `messages` or the prompt. */
export function messagesOf(input: CallInput): Message[] {
  const messages: Message[] = input.system ? [{ role: 'system', content: input.system }] : [];
  for (const m of input.messages ?? []) messages.push({ role: m.role, content: m.content });
  if (input.prompt !== undefined) messages.push({ role: 'user', content: input.prompt });
  return messages;
}

/** Where to read what a call is charged to besides its own budget. */
export interface CallOptions {
  /** How messages name the call's own budget. Default: `step "ID"`. */
  readonly label?: string;
  readonly shared?: readonly SharedBudget[];
  readonly responseFormat?: Record<string, unknown>;
}

const ZERO: Usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };

/** One step's conversation with the model, with its usage and spend. */
export class LlmCall {
  usage: Usage = ZERO;
  turns = 0;

  private constructor(
    readonly conversation: Conversation,
    private readonly own: Ledger,
    private readonly ctx: StepContext,
  ) {}

  /** Sets up the connection, cassette, budgets and tools of a call from its inputs. */
  static async prepare(input: CallInput, ctx: StepContext, options: CallOptions = {}): Promise<LlmCall> {
    const cassette = await openCassette(ctx);
    const connection = connectionOf(input, ctx, cassette?.mode === 'replay');
    const own = new Ledger(options.label ?? `step "${ctx.stepId}"`, input.budget);
    const budgets = new Budgets(await ledgersOf(ctx, own, options.shared ?? []), priceOf(ctx, connection.model));
    const transport = {
      connection, cassette, budgets,
      stream: input.stream ?? DEFAULTS.stream,
      timeoutMs: input.request_timeout ?? DEFAULTS.request_timeout,
      maxRetries: input.max_retries ?? DEFAULTS.max_retries,
      backoffMs: input.retry_backoff ?? DEFAULTS.retry_backoff,
    };
    const request = { model: connection.model, temperature: input.temperature, max_tokens: input.max_tokens, response_format: options.responseFormat };
    const conversation = { request, transport, toolbox: new Toolbox(input.tools ?? [], ctx), maxTurns: input.max_turns ?? DEFAULTS.max_turns };
    return new LlmCall(conversation, own, ctx);
  }

  /** Goes on with the conversation from `messages` (extended in place). */
  async converse(messages: Message[]): Promise<Exchange> {
    const exchange = await converse(this.conversation, messages, this.ctx, (answer) => (this.usage = addUsage(this.usage, answer.usage)));
    this.turns += exchange.turns;
    return exchange;
  }

  /** The outputs every LLM step has. */
  outputs(exchange: Exchange): Record<string, unknown> {
    const { answer } = exchange;
    return {
      text: answer.content ?? '', finish_reason: answer.finish_reason, model: answer.model, usage: this.usage, turns: this.turns,
      tool_calls: this.conversation.toolbox.calls, spend: spendOutput(this.own),
    };
  }
}
