/** 100 sequential shell steps running `true`: arq's shell step vs raw child_process.spawn. */
import { ratioTarget } from '../lib/targets.mjs';

const n = 100;
const perStep = (rows, id, phase) => (phase ? rows[id].phases[phase].median : rows[id].median) / n;

export default {
  id: 'shell',
  title: `${n} sequential shell steps (\`true\`)`,
  ref: 'spawn-sh',
  units: n,
  rows: [
    { id: 'arq', impl: 'arq: run: "true" (sh -e -c, via execa)', peer: 'peers/arq.mjs', task: 'shell', params: { n, expect: n } },
    { id: 'spawn-sh', impl: "raw spawn('sh', ['-c', 'true'])", peer: 'peers/spawn-raw.mjs', task: 'shell', params: { n, file: 'sh', args: ['-c', 'true'], expect: n } },
    { id: 'spawn-true', impl: "raw spawn('true')", peer: 'peers/spawn-raw.mjs', task: 'shell', params: { n, file: 'true', expect: n } },
  ],
  targets: [
    ratioTarget({
      name: 'shell step under 1.5x raw spawn of sh -c (per step, runWorkflow phase)',
      a: 'shell/arq', b: 'shell/spawn-sh', limit: 1.5,
      pick: (row) => row.phases.run?.median ?? row.median,
      detail: (rows) => `${perStep(rows, 'shell/arq', 'run').toFixed(2)} ms vs ${perStep(rows, 'shell/spawn-sh').toFixed(2)} ms per step; end to end ${(rows['shell/arq'].median / rows['shell/spawn-sh'].median).toFixed(2)}x; vs spawn('true') ${(rows['shell/arq'].phases.run.median / rows['shell/spawn-true'].median).toFixed(2)}x`,
    }),
  ],
};
