/**
 * Where an LLM call goes and what it costs: the model, the server and the API key, from the step's
 * inputs, then the workflow's `llm:` block (RunScope.settings.llm), then the environment
 * (`OPENAI_BASE_URL`, `OPENAI_API_KEY`). The key is masked as soon as it is read.
 */
import { StepError, type StepContext } from '../contract.js';

/** USD per million tokens, as providers list them. */
export interface Price {
  readonly input: number;
  readonly output: number;
}

/** The workflow's `llm:` block. */
export interface LlmSettings {
  readonly model?: string;
  readonly base_url?: string;
  readonly budget?: Readonly<Record<string, number>>;
  readonly prices?: Readonly<Record<string, Price>>;
}

/** What a step may say about the connection (`with:` of llm.chat, or an agent). */
export interface ConnectionInput {
  readonly model?: string;
  readonly base_url?: string;
  readonly api_key?: string;
}

export interface Connection {
  readonly model: string;
  /** undefined: the SDK's default (api.openai.com). */
  readonly baseURL?: string;
  /** undefined only when answers come from a cassette. */
  readonly apiKey?: string;
}

/**
 * The workflow's `llm:` block, or an empty one.
 *
 * @example
 * llmSettings(ctx).budget; // { tokens: 20000 }
 */
export function llmSettings(ctx: StepContext): LlmSettings {
  const value = ctx.run.settings?.llm;
  return value !== null && typeof value === 'object' ? (value as LlmSettings) : {};
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

/**
 * The model, server and key of a call. A missing key is an error unless `keyless` (answers come
 * from a cassette); the key is registered with the engine's masking.
 *
 * @example
 * connectionOf({ model: 'gpt-4o-mini' }, ctx, false); // { model, baseURL: env OPENAI_BASE_URL, apiKey: env OPENAI_API_KEY }
 */
export function connectionOf(input: ConnectionInput, ctx: StepContext, keyless: boolean): Connection {
  const settings = llmSettings(ctx);
  const model = nonEmpty(input.model) ?? nonEmpty(settings.model);
  if (!model) throw new StepError('llm.no_model', 'No model given: set `model` in with: (or in the agent), or `model` in the workflow\'s llm: block');
  const baseURL = nonEmpty(input.base_url) ?? nonEmpty(settings.base_url) ?? nonEmpty(ctx.env.OPENAI_BASE_URL);
  const apiKey = nonEmpty(input.api_key) ?? nonEmpty(ctx.env.OPENAI_API_KEY);
  if (apiKey) ctx.maskSecret?.(apiKey);
  if (!apiKey && !keyless) {
    throw new StepError('llm.no_key', 'No API key: set the environment variable OPENAI_API_KEY, or `api_key` in with: (e.g. ${{ secrets.OPENAI_KEY }}); a local server that ignores keys takes any value');
  }
  return { model, baseURL, apiKey };
}

/** The price of a model from the `llm:` block's `prices:`, if listed. */
export function priceOf(ctx: StepContext, model: string): Price | undefined {
  return llmSettings(ctx).prices?.[model];
}
