// A tiny HTTP service, variant A or B of the deploy demo (Node's standard library only).
//
//   PORT=18081 VARIANT=A node service.mjs
//   PORT=18082 VARIANT=B SLOW_MS=400 FAIL_SHARE=0.2 node service.mjs
//
// GET /health answers 200 (never slow, never failing: a bad B must get past its health check and
// be caught by the canary). Any other path answers "hello from VARIANT" after SLOW_MS
// milliseconds, or 500 for a FAIL_SHARE of the requests, spread evenly (with 0.2, every fifth one).
// GET /big?kb=N answers N KiB, enough to make nginx buffer a response on disk.
import { createServer } from 'node:http';

const variant = process.env.VARIANT ?? 'A';
const slowMs = Number(process.env.SLOW_MS ?? 0);
const failShare = Number(process.env.FAIL_SHARE ?? 0);
let served = 0;

/** True for the requests that fail: exactly FAIL_SHARE of them, evenly spread. */
function failsNow() {
  served += 1;
  return Math.floor(served * failShare) > Math.floor((served - 1) * failShare);
}

function answer(res, status, body) {
  res.writeHead(status, { 'content-type': 'text/plain', 'x-variant': variant });
  res.end(body);
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://service');
  if (url.pathname === '/health') return answer(res, 200, `ok ${variant}\n`);
  if (url.pathname === '/big') return answer(res, 200, 'x'.repeat(Number(url.searchParams.get('kb') ?? 1024) * 1024));
  const failing = failsNow();
  setTimeout(() => answer(res, failing ? 500 : 200, failing ? `failure from ${variant}\n` : `hello from ${variant}\n`), slowMs);
});

server.listen(Number(process.env.PORT ?? 8080), '127.0.0.1', () => console.log(`variant ${variant} listening on ${server.address().port}`));
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
});
