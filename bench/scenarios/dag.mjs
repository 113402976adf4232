/**
 * A DAG of N no-op nodes, each needing 1-2 of the 50 nodes before it (bench/lib/shapes.mjs),
 * N = 1,000 and 10,000: arq's `needs:`, against XState by hand (a counting coordinator),
 * statebox (ASL has no needs: the DAG's topological levels as Parallel states in order),
 * node-red (wires, and a join node before each node that needs two) and bpmn-engine (sequence
 * flows, and a joining parallel gateway before each task that needs two).
 */
import { bySize, PEER_TIMEOUT_MS, shown } from '../lib/rows.mjs';
import { timeTarget } from '../lib/targets.mjs';

const sizes = [1000, 10_000];
const big = sizes.at(-1);

export default {
  id: 'dag',
  title: 'DAG of N no-op nodes (1-2 needs each)',
  shape: (n) => `DAG of ${shown(n)}`,
  rows: bySize(sizes, (n) => [
    { id: 'arq', column: 'arq', impl: 'arq: steps with needs: → parse+check+run', peer: 'peers/arq.mjs', task: 'dag', params: { n, expect: n } },
    { id: 'xstate', column: 'XState by hand', competitor: true, impl: 'XState by hand: counting coordinator, createActor per node', peer: 'peers/xstate-hand.mjs', task: 'dag', params: { n, expect: n } },
    { id: 'statebox', column: 'statebox', competitor: true, impl: 'statebox: ASL JSON, the topological levels as Parallel states in order', peer: 'peers/statebox.mjs', task: 'dag', params: { n, expect: n }, timeoutMs: PEER_TIMEOUT_MS },
    { id: 'node-red', column: 'node-red', competitor: true, impl: 'node-red headless: change nodes, a join node before each node needing two', peer: 'peers/node-red.mjs', task: 'dag', params: { n, expect: n }, timeoutMs: PEER_TIMEOUT_MS },
    { id: 'bpmn', column: 'bpmn-engine', competitor: true, impl: 'bpmn-engine: BPMN 2.0 XML, tasks, a parallel gateway before each task needing two', peer: 'peers/bpmn-engine.mjs', task: 'dag', params: { n, expect: n }, timeoutMs: PEER_TIMEOUT_MS },
  ]),
  targets: [
    timeTarget({ name: `DAG of ${shown(big)} under 1 s (end to end)`, row: `dag/arq@${big}`, limitMs: 1000 }),
  ],
};
