/**
 * An OpenAI-compatible chat completions server for tests, on 127.0.0.1 (port 0), speaking the
 * real wire format: JSON completions, streaming SSE chunks (content and tool-call deltas, a final
 * usage chunk, `data: [DONE]`), tool calls, usage, errors as `{ error: { message, type, code } }`
 * with any status and headers (429 with retry-after, 500), and slow or never-coming answers.
 *
 * It records every request it got (body, headers) and an ordered log of arrivals and answers, so
 * a test asserts what the client sent and whether two requests overlapped, never timing.
 *
 * @example
 * const server = await startLlmServer(async (req) => ({ text: `echo ${req.body.model}` }));
 * // ... run a workflow with base_url: server.url ...
 * server.requests[0]!.body.messages; // what the client sent
 * await server.close();
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';

/** A request the server received. */
export interface LlmRequest {
  /** 0 for the first request the server got, 1 for the second, ... */
  readonly index: number;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: ChatRequestBody;
}

/** A message as the client sent it. */
export interface ChatMessage {
  readonly role: string;
  readonly content: string | null;
  readonly tool_calls?: readonly { id: string; type: string; function: { name: string; arguments: string } }[];
  readonly tool_call_id?: string;
}

/** The body of a chat completions request. */
export interface ChatRequestBody {
  readonly model: string;
  readonly messages: readonly ChatMessage[];
  readonly tools?: readonly { type: string; function: { name: string; description?: string; parameters?: Record<string, unknown> } }[];
  readonly stream?: boolean;
  readonly stream_options?: { readonly include_usage?: boolean };
  readonly temperature?: number;
  readonly max_tokens?: number;
  readonly response_format?: Record<string, unknown>;
  readonly [key: string]: unknown;
}

export interface ToolCallReply {
  readonly name: string;
  /** The arguments as the model writes them: a JSON text (an object is stringified). */
  readonly arguments: string | Record<string, unknown>;
  readonly id?: string;
}

/** What to answer. */
export interface Reply {
  readonly text?: string;
  readonly toolCalls?: readonly ToolCallReply[];
  readonly finishReason?: string;
  readonly usage?: { readonly prompt: number; readonly completion: number };
  /** Answer with this HTTP error status and message (`{ error: { message, type, code } }`). */
  readonly status?: number;
  readonly message?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Wait this long before answering (a slow server). */
  readonly delayMs?: number;
  /** Never answer (until the server closes). */
  readonly hang?: boolean;
}

export type Responder = (request: LlmRequest, server: LlmServer) => Reply | Promise<Reply>;

/** One line of the server's log: a request arrived, or its answer was sent. */
export type LlmLogEntry = `arrived ${number}` | `answered ${number}`;

export interface LlmServer {
  /** The base URL a client is given (`http://127.0.0.1:PORT/v1`). */
  readonly url: string;
  readonly requests: LlmRequest[];
  readonly log: LlmLogEntry[];
  /**
   * Resolves once `count` requests have arrived; rejects after `timeoutMs` (bounded: a test that
   * holds answers until two requests overlap fails instead of hanging when they never do).
   */
  arrived(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const DEFAULT_USAGE = { prompt: 10, completion: 5 };

function completionId(index: number): string {
  return `chatcmpl-test-${index}`;
}

function toolCalls(reply: Reply) {
  return (reply.toolCalls ?? []).map((call, i) => ({
    id: call.id ?? `call_${i + 1}`,
    type: 'function',
    function: { name: call.name, arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments) },
  }));
}

function usageOf(reply: Reply) {
  const { prompt, completion } = reply.usage ?? DEFAULT_USAGE;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

function finishOf(reply: Reply): string {
  return reply.finishReason ?? (reply.toolCalls?.length ? 'tool_calls' : 'stop');
}

function sendCompletion(res: ServerResponse, request: LlmRequest, reply: Reply): void {
  const calls = toolCalls(reply);
  const message = { role: 'assistant', content: reply.text ?? null, refusal: null, ...(calls.length ? { tool_calls: calls } : {}) };
  const body = {
    id: completionId(request.index), object: 'chat.completion', created: 1_700_000_000, model: request.body.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishOf(reply) }],
    usage: usageOf(reply),
  };
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Text in pieces of a few characters, as a model streams it. */
function pieces(text: string, size = 4): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

function streamDeltas(reply: Reply): object[] {
  const deltas: object[] = [{ role: 'assistant', content: '' }, ...pieces(reply.text ?? '').map((content) => ({ content }))];
  toolCalls(reply).forEach((call, index) => {
    const args = call.function.arguments;
    const half = Math.ceil(args.length / 2);
    deltas.push({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: args.slice(0, half) } }] });
    deltas.push({ tool_calls: [{ index, function: { arguments: args.slice(half) } }] });
  });
  return deltas;
}

function sendStream(res: ServerResponse, request: LlmRequest, reply: Reply): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const base = { id: completionId(request.index), object: 'chat.completion.chunk', created: 1_700_000_000, model: request.body.model };
  const write = (chunk: object) => res.write(`data: ${JSON.stringify({ ...base, ...chunk })}\n\n`);
  for (const delta of streamDeltas(reply)) write({ choices: [{ index: 0, delta, logprobs: null, finish_reason: null }] });
  write({ choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: finishOf(reply) }] });
  if (request.body.stream_options?.include_usage) write({ choices: [], usage: usageOf(reply) });
  res.end('data: [DONE]\n\n');
}

function sendError(res: ServerResponse, reply: Reply): void {
  const status = reply.status!;
  const type = status === 429 ? 'rate_limit_exceeded' : status >= 500 ? 'server_error' : 'invalid_request_error';
  res.writeHead(status, { 'content-type': 'application/json', ...reply.headers });
  res.end(JSON.stringify({ error: { message: reply.message ?? `status ${status}`, type, param: null, code: null } }));
}

/** Waits `ms`, or less when the client went away (no timer outlives the exchange). */
function delay(ms: number, res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    res.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

class TestLlmServer implements LlmServer {
  readonly requests: LlmRequest[] = [];
  readonly log: LlmLogEntry[] = [];
  url = '';
  private readonly waiters: { count: number; resolve: () => void }[] = [];
  private readonly server: Server;

  constructor(private readonly respond: Responder) {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
    return this;
  }

  arrived(count: number, timeoutMs = 10_000): Promise<void> {
    if (this.requests.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`test server: only ${this.requests.length} of ${count} requests arrived within ${timeoutMs}ms`)), timeoutMs);
      this.waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req);
    const request: LlmRequest = { index: this.requests.length, path: req.url ?? '', headers: req.headers, body: JSON.parse(text || '{}') as ChatRequestBody };
    this.requests.push(request);
    this.log.push(`arrived ${request.index}`);
    for (const w of this.waiters.filter((w) => this.requests.length >= w.count)) w.resolve();
    let reply: Reply;
    try {
      reply = await this.respond(request, this);
    } catch (error) {
      reply = { status: 500, message: `test server: ${error instanceof Error ? error.message : String(error)}` };
    }
    if (reply.hang) return;
    if (reply.delayMs) await delay(reply.delayMs, res);
    if (res.destroyed) return;
    this.log.push(`answered ${request.index}`);
    if (reply.status !== undefined) sendError(res, reply);
    else if (request.body.stream) sendStream(res, request, reply);
    else sendCompletion(res, request, reply);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** Starts a server that answers each request with what `respond` returns. */
export function startLlmServer(respond: Responder): Promise<LlmServer> {
  return new TestLlmServer(respond).listen();
}

/** Answers from a list, in order of arrival; past its end, a 500 that names the extra request. */
export function scripted(replies: readonly Reply[]): Responder {
  return (request) => replies[request.index] ?? { status: 500, message: `test server: no reply scripted for request ${request.index}` };
}

/**
 * Starts servers for the tests of one file (answers from a responder or a list), each closed after
 * its test.
 *
 * @example
 * const serve = llmServers();
 * it('...', async () => { const server = await serve([{ text: 'hi' }]); ... });
 */
export function llmServers(): (respond: Responder | readonly Reply[]) => Promise<LlmServer> {
  const open: LlmServer[] = [];
  afterEach(async () => {
    for (const server of open.splice(0)) await server.close();
  });
  return async (respond) => {
    const server = await startLlmServer(typeof respond === 'function' ? respond : scripted(respond));
    open.push(server);
    return server;
  };
}

/** The environment of a run against `server`: only PATH, its URL and a test key (no cassette, no key of the machine). */
export function llmEnv(server: LlmServer, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '', OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'sk-test', ...extra };
}
