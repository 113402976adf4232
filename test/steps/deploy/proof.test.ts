import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { describeUnproven, proveLive } from '../../../steps/deploy/proof.js';

/**
 * A real HTTP server standing where nginx would: it answers with the revision and upstream
 * headers `answer(n)` gives for the n-th request (from 1), after `delay_ms` when it says so.
 */
async function serve(answer: (n: number) => { revision: string; upstream: string; delay_ms?: number }): Promise<{ url: URL; server: Server; seen: () => number }> {
  let n = 0;
  const server = createServer((_req, res) => {
    const { revision, upstream, delay_ms = 0 } = answer(++n);
    setTimeout(() => res.writeHead(200, { 'X-Arq-Revision': revision, 'X-Arq-Upstream': upstream }).end('ok'), delay_ms);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  servers.push(server);
  return { url: new URL(`http://127.0.0.1:${(server.address() as { port: number }).port}/`), server, seen: () => n };
}

const servers: Server[] = [];
afterAll(() => servers.forEach((s) => {
  s.closeAllConnections();
  s.close();
}));

describe('proving a split live', () => {
  it('waits through the old revision, and a slow answer from an old worker does not hold the proof up', async () => {
    // Request 1 went to an old worker that handed it to a slow B; 2 and 3 still see revision 1.
    const { url } = await serve((n) => (n <= 3 ? { revision: '1', upstream: 'b:1', delay_ms: n === 1 ? 3000 : 0 } : { revision: '2', upstream: 'a:1' }));
    const proof = await proveLive({ url, revision: 2, consecutive: 10, deadlineMs: 10_000 }, new AbortController().signal);
    // Proven without the slow answer: it was still on its way (two answers of revision 1, not three).
    expect([proof.live, proof.revisions_seen, proof.failed_connections, proof.probes.length]).toEqual([true, { 1: 2, 2: 10 }, 0, 12]);
    expect(proof.live_at).toBe(Math.max(...proof.probes.filter((p) => p.revision === '2').map((p) => p.at)));
  });

  it('does not prove a split whose answers never carry the new revision, and says what they carried', async () => {
    const { url } = await serve(() => ({ revision: '7', upstream: 'a:1' }));
    const proof = await proveLive({ url, revision: 8, consecutive: 10, deadlineMs: 1000 }, new AbortController().signal);
    expect([proof.live, proof.live_at, Object.keys(proof.revisions_seen)]).toEqual([false, null, ['7']]);
    const seen = proof.revisions_seen['7'];
    expect(describeUnproven(proof, { revision: 8, deadlineMs: 1000 })).toBe(`revision 8 is not live: the reload was not applied within 1000 ms (${seen} probes: ${seen} with revision 7; needed answers with revision 8)`);
  });

  it('for an all-A split, counts only answers from A: a B still answering resets the streak', async () => {
    const { url } = await serve((n) => ({ revision: '3', upstream: n % 4 === 0 ? 'b:1' : 'a:1' }));
    const proof = await proveLive({ url, revision: 3, upstream: 'a:1', consecutive: 4, deadlineMs: 3000 }, new AbortController().signal);
    const n = proof.probes.length;
    expect([proof.live, proof.probes.some((p) => p.upstream === 'b:1')]).toEqual([false, true]);
    expect(describeUnproven(proof, { revision: 3, deadlineMs: 3000, upstream: 'a:1' })).toBe(`revision 3 is not live: the reload was not applied within 3000 ms (${n} probes: ${n} with revision 3; needed answers from a:1 with revision 3)`);
  });

  it('stops at once when the step is stopped', async () => {
    const { url } = await serve(() => ({ revision: '1', upstream: 'a:1' }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const proof = await proveLive({ url, revision: 2, consecutive: 10, deadlineMs: 60_000 }, controller.signal);
    expect(proof.live).toBe(false);
  });
});
