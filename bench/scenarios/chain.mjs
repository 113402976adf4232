/**
 * A chain of N no-op steps (N = 100, 1,000, 10,000): arq end to end from YAML, against the same
 * chain in each peer's own format, parsed as part of each run: XState written by hand, statebox
 * (Amazon States Language: Pass states, and Task states calling a no-op resource), node-red (a
 * flow of change nodes) and bpmn-engine (BPMN 2.0 tasks).
 */
import { bySize, PEER_TIMEOUT_MS, shown } from '../lib/rows.mjs';
import { ratioTarget } from '../lib/targets.mjs';

const sizes = [100, 1000, 10_000];
const big = sizes.at(-1);

export default {
  id: 'chain',
  title: 'Chain of N no-op steps',
  shape: (n) => `chain of ${shown(n)}`,
  rows: bySize(sizes, (n) => [
    { id: 'arq', column: 'arq', impl: 'arq: YAML → parse+check+run', peer: 'peers/arq.mjs', task: 'chain', params: { n, expect: n } },
    { id: 'xstate', column: 'XState by hand', competitor: true, impl: 'XState by hand: N sibling states invoking fromPromise', peer: 'peers/xstate-hand.mjs', task: 'chain', params: { n, expect: n } },
    ...(n === big ? [{ id: 'xstate-yaml', impl: 'XState by hand, steps read with yaml.parse from the same YAML text', peer: 'peers/xstate-hand.mjs', task: 'chainFromYaml', params: { n, expect: n } }] : []),
    { id: 'statebox-pass', column: 'statebox (Pass)', competitor: true, impl: 'statebox: ASL JSON, N Pass states', peer: 'peers/statebox.mjs', task: 'chain', params: { n, state: 'pass', expect: n }, timeoutMs: PEER_TIMEOUT_MS },
    { id: 'statebox-task', column: 'statebox (Task)', competitor: true, impl: 'statebox: ASL JSON, N Task states calling a no-op module resource', peer: 'peers/statebox.mjs', task: 'chain', params: { n, expect: n }, timeoutMs: PEER_TIMEOUT_MS },
    { id: 'node-red', column: 'node-red', competitor: true, impl: 'node-red headless: flow JSON of N change nodes, deployed and run', peer: 'peers/node-red.mjs', task: 'chain', params: { n, expect: n }, timeoutMs: PEER_TIMEOUT_MS },
    { id: 'bpmn', column: 'bpmn-engine', competitor: true, impl: 'bpmn-engine: BPMN 2.0 XML, N tasks in sequence', peer: 'peers/bpmn-engine.mjs', task: 'chain', params: { n, expect: n }, timeoutMs: PEER_TIMEOUT_MS },
  ]),
  targets: [
    ratioTarget({
      name: `chain of ${shown(big)} within 1.5x of hand-written XState (end to end)`,
      a: `chain/arq@${big}`, b: `chain/xstate@${big}`, limit: 1.5,
      detail: (rows) => `run phase alone: ${(rows[`chain/arq@${big}`].phases.run.median / rows[`chain/xstate@${big}`].median).toFixed(2)}x` +
        (rows[`chain/xstate-yaml@${big}`] ? `; vs XState + yaml.parse: ${(rows[`chain/arq@${big}`].median / rows[`chain/xstate-yaml@${big}`].median).toFixed(2)}x` : ''),
    }),
  ],
};
