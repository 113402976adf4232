/**
 * Step types granted to a model as tools (`tools: [fs.read, http.request]`). Each is described to
 * the model by its description and input schema; a call runs the step type through the engine
 * (StepContext.runStep: input validated, same signal, folders and log) and its outputs, or its
 * error, go back to the model. A call of a tool that was not granted is refused and reported to
 * the model; it never runs.
 */
import { StepError, type StepContext } from '../contract.js';
import type { ToolCall } from './cassette.js';
import type { ToolDefinition } from './transport.js';

/** What a step's `tool_calls` output lists for each call. */
export interface ToolRecord {
  readonly tool: string;
  readonly input: unknown;
  readonly ok: boolean;
  readonly error?: string;
  readonly refused?: boolean;
}

/** Longest tool result handed back to the model, in characters. */
const MAX_RESULT = 20_000;

/**
 * The function name a step type goes by: OpenAI allows only letters, digits, `_` and `-`.
 *
 * @example
 * toolName('fs.read'); // 'fs_read'
 */
export function toolName(type: string): string {
  return type.replace(/[^A-Za-z0-9_-]/g, '_');
}

/** A schema without arq's own `x-*` words, which mean nothing to a model. */
function plainSchema(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plainSchema);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !key.startsWith('x-')).map(([key, v]) => [key, plainSchema(v)]));
}

function clip(text: string): string {
  return text.length > MAX_RESULT ? `${text.slice(0, MAX_RESULT)}… (cut at ${MAX_RESULT} characters)` : text;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class Toolbox {
  /** Granted step types by function name. */
  private readonly byName = new Map<string, string>();
  readonly definitions: ToolDefinition[] = [];
  readonly calls: ToolRecord[] = [];

  constructor(granted: readonly string[], private readonly ctx: StepContext) {
    for (const type of granted) {
      const described = ctx.describeStep?.(type);
      if (!described) throw new StepError('llm.unknown_tool', `Tool "${type}" is not a step type this workflow can run as a tool; run \`arq steps\` to list them`);
      this.byName.set(toolName(type), type);
      this.definitions.push({ type: 'function', function: { name: toolName(type), description: described.description, parameters: plainSchema(described.input) as Record<string, unknown> } });
    }
  }

  /** Runs one call the model asked for; returns what goes back to the model. */
  async call(call: ToolCall): Promise<string> {
    const type = this.byName.get(call.name);
    if (!type) return this.refuse(call);
    let input: unknown;
    try {
      input = JSON.parse(call.arguments || '{}');
    } catch (error) {
      return this.failed(type, call.arguments, `the arguments are not valid JSON (${errorMessage(error)})`);
    }
    if (input === null || typeof input !== 'object' || Array.isArray(input)) return this.failed(type, input, 'the arguments must be a JSON object');
    this.ctx.log('info', `tool ${type} ${clip(call.arguments)}`);
    try {
      const outputs = await this.ctx.runStep!(type, input as Record<string, unknown>);
      this.calls.push({ tool: type, input, ok: true });
      this.ctx.log('info', `tool ${type} succeeded`);
      return clip(JSON.stringify(outputs));
    } catch (error) {
      if (this.ctx.signal.aborted) throw error;
      return this.failed(type, input, errorMessage(error));
    }
  }

  private failed(type: string, input: unknown, message: string): string {
    this.calls.push({ tool: type, input, ok: false, error: message });
    this.ctx.log('info', `tool ${type} failed: ${message}`);
    return JSON.stringify({ error: message });
  }

  private refuse(call: ToolCall): string {
    const granted = [...this.byName.keys()];
    const message = `Tool "${call.name}" is not granted to this step, so it was not run; ${granted.length ? `the tools you may call: ${granted.join(', ')}` : 'no tools are granted'}`;
    this.calls.push({ tool: call.name, input: call.arguments, ok: false, error: message, refused: true });
    this.ctx.log('info', `refused a call of tool "${call.name}": not granted`);
    return JSON.stringify({ error: message });
  }
}
