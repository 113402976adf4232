/**
 * 100 sequential shell steps running `true`: arq's shell step (through execa) against raw
 * child_process.spawn (through sh and without), execa alone with arq's options, zx, and
 * statebox with a Task resource that spawns `sh -c true`.
 */
import { bySize, PEER_TIMEOUT_MS } from '../lib/rows.mjs';
import { ratioTarget } from '../lib/targets.mjs';

const n = 100;
const [arq, sh, execa] = ['arq', 'spawn-sh', 'execa'].map((id) => `shell/${id}@${n}`);
const perStep = (rows, id, phase) => (phase ? rows[id].phases[phase].median : rows[id].median) / n;

export default {
  id: 'shell',
  title: `${n} sequential shell steps (\`true\`)`,
  shape: () => `${n} shell steps`,
  rows: bySize([n], () => [
    { id: 'arq', column: 'arq', impl: 'arq: run: "true" (sh -e -c, via execa) → parse+check+run', peer: 'peers/arq.mjs', task: 'shell', params: { n, expect: n } },
    { id: 'spawn-sh', column: "raw spawn('sh')", impl: "raw spawn('sh', ['-c', 'true'])", peer: 'peers/spawn-raw.mjs', task: 'shell', params: { n, file: 'sh', args: ['-c', 'true'], expect: n } },
    { id: 'spawn-true', column: "raw spawn('true')", impl: "raw spawn('true'), no shell", peer: 'peers/spawn-raw.mjs', task: 'shell', params: { n, file: 'true', expect: n } },
    { id: 'execa', column: 'execa alone', impl: "execa('sh', ['-e', '-c', 'true']) with arq's options, nothing else", peer: 'peers/execa.mjs', task: 'shell', params: { n, expect: n } },
    { id: 'zx', column: 'zx', competitor: true, impl: 'zx: await $`true` (bash, set -euo pipefail)', peer: 'peers/zx.mjs', task: 'shell', params: { n, expect: n }, timeoutMs: PEER_TIMEOUT_MS },
    { id: 'statebox', column: 'statebox', competitor: true, impl: "statebox: ASL JSON, N Task states whose resource spawns('sh', ['-c', 'true'])", peer: 'peers/statebox.mjs', task: 'shell', params: { n, expect: n }, timeoutMs: PEER_TIMEOUT_MS },
  ]),
  targets: [
    ratioTarget({
      name: 'a shell step within 1.3x of raw spawn through sh (end to end, through execa)',
      a: arq, b: sh, limit: 1.3,
      detail: (rows) => `${perStep(rows, arq).toFixed(2)} ms vs ${perStep(rows, sh).toFixed(2)} ms per step; runWorkflow phase alone ${(rows[arq].phases.run.median / rows[sh].median).toFixed(2)}x` +
        (rows[execa] ? `; execa alone ${(rows[execa].median / rows[sh].median).toFixed(2)}x` : ''),
    }),
  ],
};
