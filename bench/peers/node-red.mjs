/**
 * node-red, driven headless from this script: the runtime embedded with RED.init (no editor, no
 * admin or node HTTP routes, no server listening, flows kept in memory by a storage module), then
 * started once (not measured). Each task writes the flow as node-red's flow JSON text (not
 * measured); each measured run parses it (JSON.parse), deploys it (a full deploy: nodes created
 * and started), sends one message into its first node and waits until every step node has
 * handled it. Steps are `change` nodes (set msg.step to "done"); fan-out and DAG joins are `join` nodes.
 * Steps finished are counted with the runtime's `onComplete` hook. After each run the flows are
 * emptied (not measured), so the next deploy does not pay for stopping this one's nodes.
 * Phases: deploy (JSON.parse + deploy), run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dagNeeds } from '../lib/shapes.mjs';

const require = createRequire(import.meta.url);

const TAB = 'bench';
// No property may hold another node's id as a string: node-red would take it for a config-node reference.
const step = (id, wires) => ({ id, type: 'change', z: TAB, rules: [{ t: 'set', p: 'step', pt: 'msg', to: 'done', tot: 'str' }], wires: [wires] });
/**
 * A join node that sends one message once `count` messages arrived (manual mode). It joins
 * msg.step, which the next change node sets again: joining msg.payload would nest arrays of
 * arrays along a DAG's paths, growing exponentially with its depth.
 */
const joinNode = (id, count, wires) => ({ id, type: 'join', z: TAB, mode: 'custom', build: 'array', property: 'step', propertyType: 'msg', key: 'topic', joiner: '\\n', joinerType: 'str', accumulate: false, timeout: '', count: String(count), reduceRight: false, wires: [wires] });
const flow = (nodes) => JSON.stringify([{ id: TAB, type: 'tab', label: 'bench' }, ...nodes]);

/** n change nodes, each wired to the next. */
export function flowChain(n) {
  return flow(Array.from({ length: n }, (_, i) => step(`s${i}`, i + 1 < n ? [`s${i + 1}`] : [])));
}

/** A change node wired to n change nodes, all wired to one join node (count n), wired to a last change node. */
export function flowFanout(n) {
  const branches = Array.from({ length: n }, (_, i) => step(`b${i}`, ['fanin']));
  return flow([step('fork', branches.map((b) => b.id)), ...branches, joinNode('fanin', n, ['after']), step('after', [])]);
}

/** The DAG of bench/lib/shapes.mjs: node i is wired from what it needs, through a join node when it needs two. */
export function flowDag(n) {
  const needs = dagNeeds(n);
  const wires = needs.map(() => []);
  const joins = [];
  needs.forEach((need, i) => {
    if (need.length === 1) wires[need[0]].push(`n${i}`);
    if (need.length > 1) {
      joins.push(joinNode(`j${i}`, need.length, [`n${i}`]));
      for (const j of need) wires[j].push(`j${i}`);
    }
  });
  return flow([...needs.map((_, i) => step(`n${i}`, wires[i])), ...joins]);
}

/** Flows, credentials and settings in memory: no file is written by a deploy. */
function memoryStorage() {
  const held = { flows: [], credentials: {}, settings: {}, sessions: {} };
  const get = (key) => async () => held[key];
  const set = (key) => async (value) => void (held[key] = value);
  return {
    init: async () => {}, getFlows: get('flows'), saveFlows: set('flows'), getCredentials: get('credentials'), saveCredentials: set('credentials'),
    getSettings: get('settings'), saveSettings: set('settings'), getSessions: get('sessions'), saveSessions: set('sessions'),
    getLibraryEntry: async () => [], saveLibraryEntry: async () => {},
  };
}

let runtime;

/** Starts node-red once per process; resolves when its (empty) flows have started. */
async function startNodeRed() {
  if (runtime) return runtime;
  const RED = require('node-red');
  const userDir = mkdtempSync(join(tmpdir(), 'arq-bench-node-red-'));
  process.on('exit', () => rmSync(userDir, { recursive: true, force: true }));
  RED.init({
    userDir, httpAdminRoot: false, httpNodeRoot: false, disableEditor: true, storageModule: memoryStorage(),
    logging: { console: { level: 'off', metrics: false, audit: false } }, credentialSecret: false,
    telemetry: { enabled: false }, diagnostics: { enabled: false }, runtimeState: { enabled: false },
    externalModules: { autoInstall: false, palette: { allowInstall: false }, modules: { allowInstall: false } },
  });
  const started = flowsStarted(RED);
  await RED.start();
  await started;
  runtime = RED;
  return RED;
}

const flowsStarted = (RED) => new Promise((resolve) => RED.events.once('flows:started', resolve));

/** Deploys `nodes` (a full deploy) and resolves once they have started. */
async function deploy(RED, nodes) {
  const started = flowsStarted(RED);
  await RED.nodes.setFlows(nodes, null, 'full');
  await started;
}

/**
 * A measured run of one flow text: `first` receives the message; count = change nodes whose id
 * starts with `prefix` that completed it; the run ends when node `last` completed it (by default
 * when the count reached `expect`).
 */
async function measured(text, { first, prefix, expect, last }) {
  const RED = await startNodeRed();
  let count = 0;
  let finish = () => {};
  RED.hooks.add('onComplete.arqbench', ({ node }) => {
    if (node.node.type === 'change' && node.id.startsWith(prefix)) count++;
    if (last === undefined ? count === expect : node.id === last) finish();
  });
  const run = async () => {
    count = 0;
    const t0 = performance.now();
    await deploy(RED, JSON.parse(text));
    const t1 = performance.now();
    const ended = new Promise((resolve) => (finish = resolve));
    RED.nodes.getNode(first).receive({ payload: 0 });
    await ended;
    const t2 = performance.now();
    return { count, phases: { deploy: t1 - t0, run: t2 - t1 } };
  };
  return { run, reset: () => deploy(RED, []) };
}

export const chain = ({ n }) => measured(flowChain(n), { first: 's0', prefix: 's', expect: n });
export const fanout = ({ n }) => measured(flowFanout(n), { first: 'fork', prefix: 'b', last: 'after' });
export const dag = ({ n }) => measured(flowDag(n), { first: 'n0', prefix: 'n', expect: n });
