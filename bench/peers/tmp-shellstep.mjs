import { pathToFileURL } from 'node:url';
import { arqDist } from '../lib/measure.mjs';
const { shell } = await import(new URL('steps/os/shell.js', pathToFileURL(`${arqDist}/`)).href);
const { RunResources } = await import(new URL('engine/run/resources.js', pathToFileURL(`${arqDist}/`)).href);
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
export function step({ n }) {
  const tmp = mkdtempSync(join(tmpdir(), 'x-'));
  const env = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined));
  return async () => {
    let count = 0;
    for (let i = 0; i < n; i++) {
      const ac = new AbortController();
      const out = await shell.run({ run: 'true' }, { signal: ac.signal, stepId: 's', attempt: 1, workdir: process.cwd(), allowedPaths: [process.cwd()], tmpdir: tmp, env, log: () => {}, run: new RunResources('r', tmp) });
      if (out.exit_code === 0) count++;
    }
    return { count };
  };
}
