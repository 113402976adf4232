/**
 * An answer in JSON: parsed (a ```json fence around it is allowed), validated with ajv against a
 * JSON Schema and, when a check is given, checked further (a plan: no cycles, known agents). An
 * invalid answer is sent back with its problems for a bounded number of repairs.
 */
import { StepError, type JSONSchema } from '../contract.js';
import type { LlmCall } from './call.js';
import type { Exchange } from './converse.js';
import type { Message } from './transport.js';

export interface JsonAnswerOptions {
  readonly schema: JSONSchema;
  /** Problems beyond the schema, for a value the schema accepts. */
  readonly check?: (value: unknown) => string[];
  /** Repairs asked for at most after the first answer. */
  readonly maxRepairs: number;
  /** What messages call the answer: `answer`, `plan`. */
  readonly what: string;
}

export interface JsonAnswer {
  readonly value: unknown;
  readonly exchange: Exchange;
  readonly repairs: number;
}

type Validate = ((value: unknown) => boolean) & { errors?: { instancePath: string; message?: string; params: Record<string, unknown> }[] | null };

async function compile(schema: JSONSchema): Promise<Validate> {
  const { Ajv } = await import('ajv');
  return new Ajv({ allErrors: true, strict: false }).compile(schema) as Validate;
}

/** `at /tasks/0/id: must be string`, with the offending key named where ajv only says "additional". */
function describeErrors(validate: Validate): string[] {
  return (validate.errors ?? []).map((e) => {
    const extra = typeof e.params.additionalProperty === 'string' ? ` ("${e.params.additionalProperty}")` : '';
    return `at ${e.instancePath || 'the top level'}: ${e.message ?? 'is invalid'}${extra}`;
  });
}

/** The JSON text of an answer: its content, without a Markdown code fence around it. */
export function jsonText(content: string | null): string {
  const text = (content ?? '').trim();
  const fenced = /^```(?:json)?\s*\n?([\s\S]*?)\n?```$/i.exec(text);
  return fenced ? fenced[1]!.trim() : text;
}

function problemsOf(content: string | null, validate: Validate, check?: (value: unknown) => string[]): { value?: unknown; problems: string[] } {
  let value: unknown;
  try {
    value = JSON.parse(jsonText(content));
  } catch (error) {
    return { problems: [`the answer is not JSON: ${error instanceof Error ? error.message : String(error)}`] };
  }
  if (!validate(value)) return { problems: describeErrors(validate) };
  return { value, problems: check?.(value) ?? [] };
}

function repairRequest(what: string, problems: readonly string[]): Message {
  const list = problems.map((p) => `- ${p}`).join('\n');
  return { role: 'user', content: `Your ${what} is not valid:\n${list}\nAnswer again with the whole corrected ${what} as JSON only.` };
}

/**
 * Asks until the answer is valid JSON of the schema (and passes `check`), at most `maxRepairs`
 * times more; then fails the step listing the problems.
 *
 * @example
 * const { value } = await answerJson(call, messages, { schema, maxRepairs: 2, what: 'answer' }, ctx.log);
 */
export async function answerJson(call: LlmCall, messages: Message[], options: JsonAnswerOptions, log: (line: string) => void): Promise<JsonAnswer> {
  const validate = await compile(options.schema);
  for (let repairs = 0; ; repairs++) {
    const exchange = await call.converse(messages);
    const { value, problems } = problemsOf(exchange.answer.content, validate, options.check);
    if (!problems.length) return { value, exchange, repairs };
    const list = problems.map((p) => `\n- ${p}`).join('');
    if (repairs >= options.maxRepairs) {
      const after = options.maxRepairs ? ` after ${options.maxRepairs} repair${options.maxRepairs === 1 ? '' : 's'}` : '';
      throw new StepError('llm.invalid_answer', `The model's ${options.what} is still invalid${after}:${list}`, { problems });
    }
    log(`the model's ${options.what} is invalid; asking for repair ${repairs + 1} of ${options.maxRepairs}:${list}`);
    messages.push(repairRequest(options.what, problems));
  }
}
