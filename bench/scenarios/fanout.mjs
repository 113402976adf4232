/**
 * A fan-out of N no-op branches that join (N = 10, 100, 1,000): arq's `parallel:` block (and
 * its foreach), against XState by hand (a coordinator of child actors, and one wide parallel
 * state where it is affordable), statebox (a Parallel state of N branches), node-red (a node
 * wired to N change nodes that a join node waits for) and bpmn-engine (parallel gateways).
 */
import { bySize, PEER_TIMEOUT_MS, shown } from '../lib/rows.mjs';
import { timeTarget } from '../lib/targets.mjs';

const sizes = [10, 100, 1000];
const big = sizes.at(-1);

export default {
  id: 'fanout',
  title: 'Fan-out of N no-op branches that join',
  shape: (n) => `fan-out of ${shown(n)}`,
  rows: bySize(sizes, (n) => [
    { id: 'arq', column: 'arq', impl: 'arq: parallel: block of N branches', peer: 'peers/arq.mjs', task: 'parallel', params: { n, expect: n + 1 } },
    { id: 'arq-foreach', impl: 'arq: foreach: ${{ fromJSON(...) }} over N items', peer: 'peers/arq.mjs', task: 'foreach', params: { n, expect: n + 1 } },
    ...(n === big ? [{ id: 'arq-foreach-literal', impl: 'arq: foreach: [literal list of N]', peer: 'peers/arq.mjs', task: 'foreach', params: { n, literal: true, expect: n + 1 } }] : []),
    { id: 'xstate', column: 'XState by hand', competitor: true, impl: 'XState by hand: promise coordinator, createActor per branch', peer: 'peers/xstate-hand.mjs', task: 'coordinator', params: { n, expect: n } },
    ...(n === big
      ? [
        { id: 'xstate-spawn', impl: 'XState by hand: spawnChild per branch, done events counted', peer: 'peers/xstate-hand.mjs', task: 'spawnChildren', params: { n, expect: n } },
        { id: 'xstate-parallel', impl: 'XState by hand: one type: parallel state of N regions', skip: 'not run: entering N regions costs ~N^3 (DESIGN.md: ~30 s and 470 MiB for 1,000)' },
      ]
      : [{ id: 'xstate-parallel', impl: 'XState by hand: one type: parallel state of N regions', peer: 'peers/xstate-hand.mjs', task: 'parallelRegions', params: { n, expect: n } }]),
    { id: 'statebox', column: 'statebox', competitor: true, impl: 'statebox: ASL JSON, a Parallel state of N one-Task branches', peer: 'peers/statebox.mjs', task: 'fanout', params: { n, expect: n }, timeoutMs: PEER_TIMEOUT_MS },
    { id: 'node-red', column: 'node-red', competitor: true, impl: 'node-red headless: a change node wired to N change nodes, joined by a join node', peer: 'peers/node-red.mjs', task: 'fanout', params: { n, expect: n }, timeoutMs: PEER_TIMEOUT_MS },
    { id: 'bpmn', column: 'bpmn-engine', competitor: true, impl: 'bpmn-engine: BPMN 2.0 XML, parallel gateway → N tasks → parallel gateway', peer: 'peers/bpmn-engine.mjs', task: 'fanout', params: { n, expect: n }, timeoutMs: PEER_TIMEOUT_MS },
  ]),
  targets: [
    timeTarget({ name: `${shown(big)}-branch parallel: under 100 ms (end to end)`, row: `fanout/arq@${big}`, limitMs: 100 }),
    timeTarget({ name: `${shown(big)}-item foreach under 100 ms (end to end)`, row: `fanout/arq-foreach@${big}`, limitMs: 100 }),
  ],
};
