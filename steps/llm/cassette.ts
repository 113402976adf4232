/**
 * Record and replay of LLM calls. `ARQ_LLM_CASSETTE=FILE` with `ARQ_LLM_CASSETTE_MODE=record`
 * sends every request and stores its answer; with `replay` (the default) every answer comes from
 * the file and nothing goes to the network. An answer is keyed by the step, its attempt and a hash
 * of the request (model, messages, tools, options); the same request asked twice in one attempt
 * takes the recorded answers in order. A request the file does not hold fails the step at once.
 * The API key is never written: requests are stored without it.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { StepError, type StepContext } from '../contract.js';
import { writeAtomic } from '../os/atomic.js';
import type { Usage } from './budget.js';

/** A tool call as the model asked for it. */
export interface ToolCall {
  readonly id: string;
  readonly name: string;
  readonly arguments: string;
}

/** One answer of the model, as arq uses it (and as a cassette stores it). */
export interface Answer {
  readonly content: string | null;
  readonly tool_calls: readonly ToolCall[];
  readonly finish_reason: string;
  readonly usage: Usage;
  readonly model: string;
}

export interface CassetteKey {
  readonly step: string;
  readonly attempt: number;
  readonly hash: string;
}

interface Entry extends CassetteKey {
  /** Order among the answers of the same key. */
  readonly seq: number;
  readonly request: unknown;
  readonly response: Answer;
}

type Mode = 'record' | 'replay';

/** JSON with sorted keys: the same request hashes the same whatever order its keys were built in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * A short hash of a request body.
 *
 * @example
 * requestHash({ model: 'm', messages: [] }) === requestHash({ messages: [], model: 'm' }); // true
 */
export function requestHash(request: unknown): string {
  return createHash('sha256').update(canonical(request)).digest('hex').slice(0, 16);
}

const keyOf = (key: CassetteKey) => `${key.step}\0${key.attempt}\0${key.hash}`;

export class Cassette {
  private readonly taken = new Map<string, number>();

  constructor(
    readonly file: string,
    readonly mode: Mode,
    private readonly entries: Entry[],
  ) {}

  /** The recorded answer of a request; throws `llm.cassette_miss` when the cassette has none. */
  take(key: CassetteKey, request: { model: string; messages: readonly { content?: unknown }[] }): Answer {
    const id = keyOf(key);
    const seq = this.taken.get(id) ?? 0;
    const entry = this.entries.find((e) => keyOf(e) === id && e.seq === seq);
    if (entry) {
      this.taken.set(id, seq + 1);
      return entry.response;
    }
    const ofStep = this.entries.filter((e) => e.step === key.step).length;
    const last = JSON.stringify(String(request.messages.at(-1)?.content ?? '').slice(0, 80));
    throw new StepError('llm.cassette_miss',
      `No answer in the cassette ${this.file} for step "${key.step}" attempt ${key.attempt}, request ${key.hash} (model ${request.model}, last message ${last}); ` +
        `it holds ${ofStep} answer${ofStep === 1 ? '' : 's'} of this step, none for this request. Record it again with ARQ_LLM_CASSETTE_MODE=record`);
  }

  record(key: CassetteKey, request: unknown, response: Answer): void {
    const id = keyOf(key);
    const seq = this.taken.get(id) ?? 0;
    this.taken.set(id, seq + 1);
    // A copy: the conversation goes on adding to the messages the request holds.
    this.entries.push({ ...key, seq, request: JSON.parse(JSON.stringify(request)) as unknown, response });
  }

  /** Writes what was recorded (atomically), in a stable order: by step, attempt, then order of asking. */
  async save(): Promise<void> {
    if (this.mode !== 'record') return;
    const order = (a: Entry, b: Entry) => (a.step < b.step ? -1 : a.step > b.step ? 1 : a.attempt - b.attempt || this.entries.indexOf(a) - this.entries.indexOf(b));
    const entries = [...this.entries].sort(order);
    const text = `${JSON.stringify({ version: 1, recorded_by: 'arq (ARQ_LLM_CASSETTE_MODE=record)', entries }, null, 2)}\n`;
    await mkdir(dirname(this.file), { recursive: true });
    await writeAtomic(this.file, text);
  }
}

async function load(file: string, mode: Mode): Promise<Cassette> {
  if (mode === 'record') return new Cassette(file, mode, []);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new StepError('llm.cassette_missing', `The cassette ${file} does not exist: record it first with ARQ_LLM_CASSETTE_MODE=record`);
  }
  try {
    const data = JSON.parse(text) as { entries?: Entry[] };
    if (!Array.isArray(data.entries)) throw new Error('no "entries" list');
    return new Cassette(file, mode, data.entries);
  } catch (error) {
    throw new StepError('llm.cassette_invalid', `The cassette ${file} is not a cassette arq wrote: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * The run's cassette when `ARQ_LLM_CASSETTE` is set (a path relative to the working directory),
 * shared by every LLM step of the run and written when the run ends; else undefined.
 */
export async function openCassette(ctx: StepContext): Promise<Cassette | undefined> {
  const path = ctx.env.ARQ_LLM_CASSETTE;
  if (!path) return undefined;
  const mode = ctx.env.ARQ_LLM_CASSETTE_MODE ?? 'replay';
  if (mode !== 'record' && mode !== 'replay') {
    throw new StepError('llm.cassette_mode', `ARQ_LLM_CASSETTE_MODE must be record or replay; found "${mode}"`);
  }
  const file = resolve(ctx.workdir, path);
  return ctx.run.resource(`llm.cassette:${file}`, () => load(file, mode), (cassette) => cassette.save());
}
