import { once } from 'node:events';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { probeOnce } from '../../../steps/deploy/probe-client.js';
import { freePort } from '../../helpers/net.js';

const servers: TcpServer[] = [];
const sockets: import('node:net').Socket[] = [];
afterAll(() => {
  sockets.forEach((s) => s.destroy());
  servers.forEach((s) => s.close());
});

/** A TCP server that does `onConnection` to every connection: the ways a reload (or a crash) ends one. */
async function tcp(onConnection: (socket: import('node:net').Socket) => void): Promise<URL> {
  const server = createTcpServer((socket) => {
    sockets.push(socket);
    onConnection(socket);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  servers.push(server);
  return new URL(`http://127.0.0.1:${(server.address() as { port: number }).port}/`);
}

describe('probeOnce: connections that fail without an answer are classed, not counted as HTTP errors', () => {
  const signal = new AbortController().signal;

  it('reads the status, the revision and the upstream of an answer', async () => {
    const url = await tcp((socket) => socket.once('data', () => socket.end('HTTP/1.1 502 Bad Gateway\r\nX-Arq-Revision: 4\r\nX-Arq-Upstream: 127.0.0.1:8002\r\nContent-Length: 0\r\nConnection: close\r\n\r\n')));
    const answer = await probeOnce(url, 'watch', 5000, signal);
    expect([answer.status, answer.revision, answer.upstream, answer.failure]).toEqual([502, '4', '127.0.0.1:8002', undefined]);
  });

  it('classes a connection reset mid-request as a reset', async () => {
    const url = await tcp((socket) => socket.once('data', () => socket.resetAndDestroy()));
    const answer = await probeOnce(url, 'watch', 5000, signal);
    expect([answer.status, answer.failure, answer.error]).toEqual([null, 'reset', 'ECONNRESET']);
  });

  it('classes a connection closed before any answer as a reset (socket hang up)', async () => {
    const url = await tcp((socket) => socket.once('data', () => socket.end()));
    const answer = await probeOnce(url, 'watch', 5000, signal);
    expect([answer.status, answer.failure]).toEqual([null, 'reset']);
  });

  it('classes a port nobody listens on as refused', async () => {
    const answer = await probeOnce(new URL(`http://127.0.0.1:${await freePort()}/`), 'watch', 5000, signal);
    expect([answer.status, answer.failure, answer.error]).toEqual([null, 'refused', 'ECONNREFUSED']);
  });

  it('classes a server that never answers as a timeout', async () => {
    const url = await tcp(() => undefined);
    const answer = await probeOnce(url, 'watch', 200, signal);
    expect([answer.status, answer.failure]).toEqual([null, 'timeout']);
  });
});
