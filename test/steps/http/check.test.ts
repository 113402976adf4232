import { stepContext } from '../../helpers/context.js';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogStream, StepContext } from '../../../steps/contract.js';
import { StepError } from '../../../steps/contract.js';
import { httpCheck, type HttpCheckInput } from '../../../steps/http/check.js';
import { jsonEqual, readPath } from '../../../steps/http/judge.js';

/** Answers the nth request (1-based). */
type Handler = (res: ServerResponse, n: number) => void;

const servers: Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** Starts a server on 127.0.0.1 and returns the URL of its /health. */
async function serve(handler: Handler): Promise<string> {
  let count = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => handler(res, ++count));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`;
}

function reply(res: ServerResponse, status: number, body: string, type = 'text/plain'): void {
  res.writeHead(status, { 'content-type': type });
  res.end(body);
}

function fakeContext() {
  const controller = new AbortController();
  const logs: Array<[LogStream, string]> = [];
  const waiters: Array<() => void> = [];
  const ctx: StepContext = stepContext('/', {
    signal: controller.signal,
    tmpdir: '/tmp',
    log(stream, line) {
      logs.push([stream, line]);
      waiters.splice(0).forEach((wake) => wake());
    },
  });
  const nextLog = () => new Promise<void>((resolve) => waiters.push(resolve));
  return { ctx, controller, logs, nextLog };
}

function check(input: HttpCheckInput, ctx = fakeContext().ctx) {
  return httpCheck.run(input, ctx);
}

async function stepError(promise: Promise<unknown>): Promise<StepError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(StepError);
  return error as StepError;
}

describe('http.check becoming healthy', () => {
  it('retries until the status is 200 and counts the attempts', async () => {
    const url = await serve((res, n) => (n <= 2 ? reply(res, 503, 'starting') : reply(res, 200, 'ok')));
    const { ctx, logs } = fakeContext();
    const outputs = await check({ url, interval_ms: 10, deadline_ms: 10_000 }, ctx);
    expect(outputs).toMatchObject({ healthy: true, status: 200, attempts: 3 });
    expect(Number.isInteger(outputs.latency_ms)).toBe(true);
    expect(logs).toEqual([
      ['info', `attempt 1: ${url} not healthy: expected status 200, got 503`],
      ['info', `attempt 2: ${url} not healthy: expected status 200, got 503`],
    ]);
  });

  it('waits for the body to contain the given text', async () => {
    const url = await serve((res, n) => reply(res, 200, n === 1 ? 'starting' : 'all ok'));
    const { ctx, logs } = fakeContext();
    await expect(check({ url, body_contains: 'ok', interval_ms: 10 }, ctx)).resolves.toMatchObject({ attempts: 2 });
    expect(logs).toEqual([['info', `attempt 1: ${url} not healthy: expected body to contain "ok", got "starting"`]]);
  });

  it('waits for the value at json_path to equal the expected JSON', async () => {
    const bodies = [{ checks: { db: 'down' } }, { status: 'up' }, { status: 'up', checks: { db: { ok: true, n: [1] } } }];
    const url = await serve((res, n) => reply(res, 200, JSON.stringify(bodies[n - 1]), 'application/json'));
    const { ctx, logs } = fakeContext();
    const outputs = await check({ url, json_path: 'checks.db', equals: { n: [1], ok: true }, interval_ms: 10 }, ctx);
    expect(outputs.attempts).toBe(3);
    expect(logs.map(([, line]) => line)).toEqual([
      `attempt 1: ${url} not healthy: expected $.checks.db to equal {"n":[1],"ok":true}, got "down"`,
      `attempt 2: ${url} not healthy: expected $.checks.db to equal {"n":[1],"ok":true}, got no value there`,
    ]);
  });

  it('accepts another expected status', async () => {
    const url = await serve((res) => reply(res, 204, ''));
    await expect(check({ url, status: 204 })).resolves.toMatchObject({ healthy: true, status: 204, attempts: 1 });
  });
});

describe('http.check failures', () => {
  it('fails at the deadline with the attempts and what the last one got', async () => {
    const url = await serve((res) => reply(res, 503, 'starting'));
    const error = await stepError(check({ url, interval_ms: 5_000, deadline_ms: 300 }));
    expect(error.code).toBe('http.unhealthy');
    expect(error.message).toBe(`${url} not healthy after 1 attempt in 300ms: expected status 200, got 503`);
  });

  it('counts every attempt made before the deadline', async () => {
    const url = await serve((res) => reply(res, 200, JSON.stringify({ status: 'down' }), 'application/json'));
    // Attempts start at about 0, 400 and 800 ms; a fourth could not start before 1200 ms.
    const error = await stepError(check({ url, json_path: 'status', equals: 'up', interval_ms: 400, deadline_ms: 1000 }));
    expect(error.message).toBe(`${url} not healthy after 3 attempts in 1s: expected $.status to equal "up", got "down"`);
  });

  it('says what the body was when it lacks the text', async () => {
    const url = await serve((res) => reply(res, 200, 'starting'));
    const error = await stepError(check({ url, body_contains: 'ok', interval_ms: 5_000, deadline_ms: 1000 }));
    expect(error.message).toBe(`${url} not healthy after 1 attempt in 1s: expected body to contain "ok", got "starting"`);
  });

  it('says when the body is not JSON', async () => {
    const url = await serve((res) => reply(res, 200, '<html>'));
    const error = await stepError(check({ url, json_path: '$.status', equals: 'up', interval_ms: 5_000, deadline_ms: 1000 }));
    expect(error.message).toBe(
      `${url} not healthy after 1 attempt in 1s: expected $.status to equal "up", got a body that is not JSON (content-type text/plain): "<html>"`,
    );
  });

  it('fails when the response is slower than max_latency_ms', async () => {
    // The delay is the behaviour under test (a slow server), not synchronisation.
    const url = await serve((res) => void setTimeout(() => reply(res, 200, 'ok'), 150));
    const error = await stepError(check({ url, max_latency_ms: 50, interval_ms: 5_000, deadline_ms: 5_000 }));
    expect(error.message).toMatch(new RegExp(`^${url} not healthy after 1 attempt in 5s: latency (\\d+)ms over the limit of 50ms$`));
    expect(Number(/latency (\d+)ms/.exec(error.message)?.[1])).toBeGreaterThanOrEqual(140);
  });

  it('reports a refused connection as what came back', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const error = await stepError(check({ url: `http://127.0.0.1:${port}/health`, interval_ms: 5_000, deadline_ms: 500 }));
    expect(error.message).toBe(`http://127.0.0.1:${port}/health not healthy after 1 attempt in 500ms: connection refused`);
  });

  it('reports a server that never answers before the deadline', async () => {
    const url = await serve(() => undefined);
    const error = await stepError(check({ url, deadline_ms: 200 }));
    expect(error.message).toBe(`${url} not healthy after 1 attempt in 200ms: no response before the deadline`);
  });

  it('stops waiting between attempts when the step signal fires', async () => {
    const url = await serve((res) => reply(res, 503, ''));
    const { ctx, controller, nextLog } = fakeContext();
    const logged = nextLog();
    const pending = check({ url, interval_ms: 60_000, deadline_ms: 120_000 }, ctx);
    await logged;
    controller.abort();
    const error = await stepError(pending);
    expect(error.code).toBe('http.aborted');
    expect(error.message).toBe(`Health check of ${url} was stopped after 1 attempt`);
  });

  it('refuses equals without json_path', async () => {
    const error = await stepError(check({ url: 'http://127.0.0.1:1/', equals: 'up' }));
    expect(error.message).toBe('http.check has `equals` but no `json_path`: add json_path (e.g. json_path: status) to say which value must equal it');
  });
});

describe('json paths and JSON equality', () => {
  it('follows dot paths through objects and arrays', () => {
    const doc = { checks: { db: 'up' }, items: [{ name: 'a' }] };
    expect(readPath(doc, 'checks.db')).toBe('up');
    expect(readPath(doc, '$.items.0.name')).toBe('a');
    expect(readPath(doc, 'checks.cache')).toBeTypeOf('symbol');
  });

  it('compares objects whatever their key order, and nothing else loosely', () => {
    expect(jsonEqual({ a: 1, b: [1, { c: null }] }, { b: [1, { c: null }], a: 1 })).toBe(true);
    expect(jsonEqual([1], { 0: 1 })).toBe(false);
    expect(jsonEqual(1, '1')).toBe(false);
  });
});
