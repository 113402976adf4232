/** A chain of 10,000 no-op steps: arq end to end from YAML vs the same chain written in XState by hand. */
import { ratioTarget } from '../lib/targets.mjs';

const n = 10_000;

export default {
  id: 'chain',
  title: `Chain of ${n.toLocaleString('en')} no-op steps`,
  ref: 'xstate',
  units: n,
  rows: [
    { id: 'arq', impl: 'arq: YAML → parse+check+run', peer: 'peers/arq.mjs', task: 'chain', params: { n, expect: n } },
    { id: 'xstate', impl: 'XState by hand: N sibling states invoking fromPromise', peer: 'peers/xstate-hand.mjs', task: 'chain', params: { n, expect: n } },
    { id: 'xstate-yaml', impl: 'XState by hand, steps read with yaml.parse from the same YAML text', peer: 'peers/xstate-hand.mjs', task: 'chainFromYaml', params: { n, expect: n } },
  ],
  targets: [
    ratioTarget({
      name: 'chain of 10,000 within 1.5x of hand-written XState (end to end)',
      a: 'chain/arq', b: 'chain/xstate', limit: 1.5,
      detail: (rows) => `run phase alone: ${(rows['chain/arq'].phases.run.median / rows['chain/xstate'].median).toFixed(2)}x` +
        (rows['chain/xstate-yaml'] ? `; vs XState + yaml.parse: ${(rows['chain/arq'].median / rows['chain/xstate-yaml'].median).toFixed(2)}x` : ''),
    }),
  ],
};
