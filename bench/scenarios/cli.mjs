/**
 * CLI cold start: whole processes, spawned and timed from the bench (wall clock, spawn to exit).
 * `arq` is the package's `bin` (the bundled CLI, dist/cli/arq.js); the unbundled entry
 * dist/engine/cli/main.js is timed too while it exists.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { arqDist, repoDir } from '../lib/measure.mjs';
import { ratioTarget } from '../lib/targets.mjs';

const node = process.execPath;
const bin = JSON.parse(readFileSync(join(repoDir, 'package.json'), 'utf8')).bin.arq.replace(/^(\.\/)?dist\//, '');
const cli = join(arqDist, bin);
const unbundled = join(arqDist, 'engine', 'cli', 'main.js');
const small = 'bench/fixtures/small.yaml';
const hello = 'bench/fixtures/hello.yaml';

const rows = [
  { id: 'node', impl: 'node -e 0', process: { command: node, args: ['-e', '0'] } },
  { id: 'validate', impl: `arq validate ${small} (${bin})`, process: { command: node, args: [cli, 'validate', small] } },
  { id: 'run', impl: `arq run ${hello}: one echo step (${bin})`, process: { command: node, args: [cli, 'run', hello] } },
];
if (unbundled !== cli && existsSync(unbundled)) {
  rows.push(
    { id: 'validate-unbundled', impl: `arq validate ${small} (engine/cli/main.js, unbundled)`, process: { command: node, args: [unbundled, 'validate', small] } },
    { id: 'run-unbundled', impl: `arq run ${hello} (engine/cli/main.js, unbundled)`, process: { command: node, args: [unbundled, 'run', hello] } },
  );
}

export default {
  id: 'cli',
  title: 'CLI cold start (whole process)',
  ref: 'node',
  rows,
  targets: [
    ratioTarget({
      name: `arq validate of a small file under 2x node -e 0`, a: 'cli/validate', b: 'cli/node', limit: 2,
      detail: (r) => `${Math.round(r['cli/validate'].median)} ms vs ${Math.round(r['cli/node'].median)} ms` + (r['cli/validate-unbundled'] ? `; unbundled main.js ${(r['cli/validate-unbundled'].median / r['cli/node'].median).toFixed(2)}x` : ''),
    }),
  ],
};
