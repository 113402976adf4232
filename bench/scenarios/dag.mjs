/** A DAG of 10,000 no-op nodes, each needing 1-2 of the 50 nodes before it (bench/lib/shapes.mjs). */
const n = 10_000;

export default {
  id: 'dag',
  title: `DAG of ${n.toLocaleString('en')} no-op nodes (1-2 needs each)`,
  ref: 'xstate-coordinator',
  units: n,
  rows: [
    { id: 'arq', impl: 'arq: steps with needs: → parse+check+run', peer: 'peers/arq.mjs', task: 'dag', params: { n, expect: n } },
    { id: 'xstate-coordinator', impl: 'XState by hand: counting coordinator, createActor per node', peer: 'peers/xstate-hand.mjs', task: 'dag', params: { n, expect: n } },
  ],
  targets: [],
};
