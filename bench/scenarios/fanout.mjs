/**
 * 1,000-way fan-out of no-op steps: arq's foreach (expression and literal list) and parallel
 * block, next to XState by hand (one wide parallel state, and coordinators of child actors).
 */
import { timeTarget } from '../lib/targets.mjs';

const n = 1000;

export default {
  id: 'fanout',
  title: `${n.toLocaleString('en')}-way fan-out of no-op steps`,
  ref: 'xstate-coordinator',
  units: n,
  rows: [
    { id: 'arq-foreach', impl: 'arq: foreach: ${{ fromJSON(...) }}', peer: 'peers/arq.mjs', task: 'foreach', params: { n, expect: n + 1 } },
    { id: 'arq-foreach-literal', impl: 'arq: foreach: [literal list]', peer: 'peers/arq.mjs', task: 'foreach', params: { n, literal: true, expect: n + 1 } },
    { id: 'arq-parallel', impl: 'arq: parallel: block of N branches', peer: 'peers/arq.mjs', task: 'parallel', params: { n, expect: n + 1 } },
    { id: 'xstate-coordinator', impl: 'XState by hand: promise coordinator, createActor per item (arq\'s approach)', peer: 'peers/xstate-hand.mjs', task: 'coordinator', params: { n, expect: n } },
    { id: 'xstate-spawn', impl: 'XState by hand: spawnChild per item, done events counted', peer: 'peers/xstate-hand.mjs', task: 'spawnChildren', params: { n, expect: n } },
    { id: 'xstate-parallel-100', impl: 'XState by hand: type: parallel, 100 regions', peer: 'peers/xstate-hand.mjs', task: 'parallelRegions', params: { n: 100, expect: 100 }, units: 100, warmup: 1 },
    { id: 'xstate-parallel-400', impl: 'XState by hand: type: parallel, 400 regions', peer: 'peers/xstate-hand.mjs', task: 'parallelRegions', params: { n: 400, expect: 400 }, units: 400, warmup: 1 },
    { id: 'xstate-parallel-1000', impl: 'XState by hand: type: parallel, 1,000 regions', skip: 'not run: entering N regions costs ~N^3 (DESIGN.md: ~30 s and 470 MiB for 1,000)' },
  ],
  targets: [
    timeTarget({ name: '1,000-way foreach under 2 s (end to end)', row: 'fanout/arq-foreach', limitMs: 2000 }),
    timeTarget({ name: '1,000-branch parallel: under 2 s (end to end)', row: 'fanout/arq-parallel', limitMs: 2000 }),
  ],
};
