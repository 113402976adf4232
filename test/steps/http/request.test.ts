import { stepContext } from '../../helpers/context.js';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogStream, StepContext } from '../../../steps/contract.js';
import { StepError } from '../../../steps/contract.js';
import { httpRequest, type HttpRequestInput } from '../../../steps/http/request.js';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

const servers: Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** Starts a server on 127.0.0.1 and returns its base URL (no trailing slash). */
async function serve(handler: Handler): Promise<string> {
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => handler(req, body, res));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A port nothing listens on: a server was just bound to it and closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function fakeContext() {
  const controller = new AbortController();
  const logs: Array<[LogStream, string]> = [];
  const ctx: StepContext = stepContext('/', { signal: controller.signal, tmpdir: '/tmp', log: (stream, line) => void logs.push([stream, line]) });
  return { ctx, controller, logs };
}

function request(input: HttpRequestInput, ctx = fakeContext().ctx) {
  return httpRequest.run(input, ctx);
}

async function stepError(promise: Promise<unknown>): Promise<StepError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(StepError);
  return error as StepError;
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-server': 'test' });
  res.end(JSON.stringify(value));
}

describe('http.request responses', () => {
  it('returns status, lower-case headers, the body text and the decoded JSON of a GET', async () => {
    const base = await serve((_req, _body, res) => sendJson(res, 200, { status: 'up', n: [1, 2] }));
    const outputs = await request({ url: `${base}/health` });
    expect(outputs.status).toBe(200);
    expect(outputs.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(outputs.headers['x-server']).toBe('test');
    expect(outputs.body).toBe('{"status":"up","n":[1,2]}');
    expect(outputs.json).toEqual({ status: 'up', n: [1, 2] });
    expect(Number.isInteger(outputs.duration_ms)).toBe(true);
  });

  it('sends json as a JSON body with its content-type, and the given headers', async () => {
    const base = await serve((req, body, res) =>
      sendJson(res, 201, { method: req.method, type: req.headers['content-type'], token: req.headers['x-token'], got: JSON.parse(body) as unknown }),
    );
    const outputs = await request({ url: `${base}/items`, method: 'POST', headers: { 'X-Token': 'abc' }, json: { name: 'demo', tags: ['a'] } });
    expect(outputs.status).toBe(201);
    expect(outputs.json).toEqual({ method: 'POST', type: 'application/json', token: 'abc', got: { name: 'demo', tags: ['a'] } });
  });

  it('sends a text body as is and keeps a content-type given in headers', async () => {
    const base = await serve((req, body, res) => res.end(`${req.method} ${req.headers['content-type']} ${body}`));
    const outputs = await request({ url: base, method: 'PUT', headers: { 'Content-Type': 'text/plain' }, body: 'hello' });
    expect(outputs.body).toBe('PUT text/plain hello');
    expect(outputs.json).toBeUndefined();
    expect('json' in outputs).toBe(false);
  });

  it('accepts any status when expect_status is not given', async () => {
    const base = await serve((_req, _body, res) => sendJson(res, 404, { error: 'no such item' }));
    const outputs = await request({ url: `${base}/items/9` });
    expect(outputs.status).toBe(404);
    expect(outputs.json).toEqual({ error: 'no such item' });
  });

  it('leaves json out and logs why when a JSON content-type comes with a broken body', async () => {
    const base = await serve((_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{oops');
    });
    const { ctx, logs } = fakeContext();
    const outputs = await request({ url: base }, ctx);
    expect(outputs.body).toBe('{oops');
    expect('json' in outputs).toBe(false);
    expect(logs).toHaveLength(1);
    expect(logs[0]?.[1]).toMatch(/^response has content-type application\/json but its body is not JSON \(.+\): no json output$/);
  });
});

describe('http.request failures', () => {
  it('fails with the expected and the actual status and the start of the body', async () => {
    const base = await serve((_req, _body, res) => {
      res.writeHead(503);
      res.end('down for maintenance');
    });
    const error = await stepError(request({ url: `${base}/x`, expect_status: 200 }));
    expect(error.code).toBe('http.status');
    expect(error.message).toBe(`Expected status 200 from GET ${base}/x; got 503: down for maintenance`);
  });

  it('lists every accepted status and cuts a long body at 200 characters', async () => {
    const base = await serve((_req, _body, res) => {
      res.writeHead(500);
      res.end('x'.repeat(300));
    });
    const error = await stepError(request({ url: `${base}/x`, method: 'DELETE', expect_status: [200, 204] }));
    expect(error.message).toBe(`Expected status 200 or 204 from DELETE ${base}/x; got 500: ${'x'.repeat(200)}…`);
  });

  it('passes when the status is one of expect_status', async () => {
    const base = await serve((_req, _body, res) => res.writeHead(204).end());
    await expect(request({ url: base, expect_status: [200, 204] })).resolves.toMatchObject({ status: 204, body: '' });
  });

  it('says the connection was refused when nothing listens on the port', async () => {
    const port = await closedPort();
    const error = await stepError(request({ url: `http://127.0.0.1:${port}/x` }));
    expect(error.code).toBe('http.failed');
    expect(error.message).toBe(`GET http://127.0.0.1:${port}/x failed: connection refused`);
  });

  it('times out when the server never answers', async () => {
    const base = await serve(() => undefined);
    const error = await stepError(request({ url: `${base}/slow`, timeout: 200 }));
    expect(error.code).toBe('http.timeout');
    expect(error.message).toBe(`GET ${base}/slow timed out after 200ms`);
  });

  it('shows timeouts of a second or more in seconds', async () => {
    const base = await serve((_req, _body, res) => res.writeHead(200).flushHeaders());
    const error = await stepError(request({ url: `${base}/stuck-body`, timeout: 1500 }));
    expect(error.message).toBe(`GET ${base}/stuck-body timed out after 1.5s`);
  });

  it('stops at once when the step signal fires', async () => {
    let arrived!: () => void;
    const received = new Promise<void>((resolve) => (arrived = resolve));
    const base = await serve(() => arrived());
    const { ctx, controller } = fakeContext();
    const pending = request({ url: `${base}/wait` }, ctx);
    await received;
    controller.abort();
    const error = await stepError(pending);
    expect(error.code).toBe('http.aborted');
    expect(error.message).toBe(`GET ${base}/wait was stopped`);
  });

  it('refuses URLs that are not http: or https:', async () => {
    const error = await stepError(request({ url: 'file:///etc/passwd' }));
    expect(error.code).toBe('http.bad_url');
    expect(error.message).toBe('Unsupported URL scheme "file:" in file:///etc/passwd: only http: and https: URLs are allowed');
  });

  it('refuses a URL that does not parse', async () => {
    const error = await stepError(request({ url: 'localhost/health' }));
    expect(error.message).toBe('Invalid URL "localhost/health": write an absolute URL such as http://127.0.0.1:8080/health');
  });

  it('refuses a body on a GET and both json and body at once', async () => {
    expect((await stepError(request({ url: 'http://127.0.0.1:1/', json: { a: 1 } }))).message).toBe(
      'A GET request cannot have a body: use method: POST (or PUT, PATCH) to send `json` or `body`',
    );
    expect((await stepError(request({ url: 'http://127.0.0.1:1/', method: 'POST', json: 1, body: 'x' }))).message).toBe(
      'Give either `json` or `body` to http.request, not both',
    );
  });
});

describe('http step input schemas', () => {
  it('accept documented inputs and refuse unknown properties', async () => {
    const { createAjv } = await import('../../../engine/check/ajv.js');
    const { httpCheck } = await import('../../../steps/http/check.js');
    const ajv = createAjv();
    const request = ajv.compile(httpRequest.input);
    const check = ajv.compile(httpCheck.input);
    expect(request({ url: 'http://x/', method: 'POST', headers: { a: 'b' }, json: [1], timeout: 10, expect_status: [200, 201] })).toBe(true);
    expect(request({ url: 'http://x/', expect_status: 200 })).toBe(true);
    expect(request({ url: 'http://x/', retries: 2 })).toBe(false);
    expect(check({ url: 'http://x/', status: 204, body_contains: 'ok', json_path: 'a.b', equals: null, max_latency_ms: 5, interval_ms: 0, deadline_ms: 9 })).toBe(true);
    expect(check({ url: 'http://x/', timeout: 5 })).toBe(false);
  });
});
