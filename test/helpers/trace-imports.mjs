// Loaded with `node --import`: records every module the process resolves and prints the list to
// fd 3 at exit, so a test can prove which dependencies a command loads.
import Module, { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
import { writeSync } from 'node:fs';

const { port1, port2 } = new MessageChannel();
const seen = [];
port1.on('message', (url) => seen.push(url));
port1.unref();
register(
  'data:text/javascript,' +
    encodeURIComponent(`let port; export function initialize(data) { port = data.port; }
export async function resolve(specifier, context, next) { const r = await next(specifier, context); port.postMessage(r.url); return r; }`),
  { data: { port: port2 }, transferList: [port2] },
);
// require() of CommonJS modules does not pass through the ESM hooks on Node 20.
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (...args) {
  const file = resolveFilename.apply(this, args);
  seen.push(file);
  return file;
};
process.on('exit', () => writeSync(3, JSON.stringify(seen)));
