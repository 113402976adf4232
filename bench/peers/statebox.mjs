/**
 * @wmfs/statebox: the same shapes in Amazon States Language. Each task writes the state machine
 * as ASL JSON text (not measured); each measured run parses it (JSON.parse), creates the state
 * machine (createStateMachines) and runs one execution to its end (startExecution with
 * sendResponse: COMPLETE). Task states call a module resource that does nothing but count.
 * Phases: parse (JSON.parse + createStateMachines), run.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dagNeeds } from '../lib/shapes.mjs';

const require = createRequire(import.meta.url);
const Statebox = require('@wmfs/statebox');

const NAME = 'bench';
const next = (ids, i) => (i + 1 < ids.length ? { Next: ids[i + 1] } : { End: true });
const task = (extra = {}) => ({ Type: 'Task', Resource: 'module:noop', ...extra });

/** n states in order: Pass states, or Task states calling module:noop (or module:spawn). */
export function aslChain(n, state = 'task', resource = 'module:noop') {
  const ids = Array.from({ length: n }, (_, i) => `s${i}`);
  const States = Object.fromEntries(ids.map((id, i) => [id, state === 'pass' ? { Type: 'Pass', ...next(ids, i) } : { ...task(), Resource: resource, ...next(ids, i) }]));
  return JSON.stringify({ Comment: `chain of ${n}`, StartAt: ids[0], States });
}

/**
 * A Parallel state of the given branches. `ResultPath: null` keeps its input as its output, as
 * a workflow step's context would be: the array of branch outputs fed to the next Parallel state
 * (and cloned into each of its branches) grows exponentially along a DAG's levels.
 */
const parallel = (ids, extra) => ({ Type: 'Parallel', Branches: ids.map((id) => ({ StartAt: id, States: { [id]: task({ End: true }) } })), ResultPath: null, ...extra });

/** One Parallel state of n branches, each one Task state; the Parallel state ends when all did. */
export function aslFanout(n) {
  const ids = Array.from({ length: n }, (_, i) => `b${i}`);
  return JSON.stringify({ Comment: `fan-out of ${n}`, StartAt: 'fan', States: { fan: parallel(ids, { End: true }) } });
}

/**
 * The DAG of bench/lib/shapes.mjs in ASL, which has no `needs`: its topological levels in order,
 * each level one Parallel state of its nodes (a single node: a plain Task state). A node starts
 * when the whole level before it ended, which a DAG engine would not wait for, so this is a
 * little more synchronisation than the shape asks for, never less.
 */
export function aslDag(n) {
  const needs = dagNeeds(n);
  const level = [];
  needs.forEach((need, i) => (level[i] = need.length ? 1 + Math.max(...need.map((j) => level[j])) : 0));
  const levels = [];
  level.forEach((l, i) => (levels[l] ??= []).push(i));
  const ids = levels.map((_, l) => `level${l}`);
  const States = Object.fromEntries(levels.map((nodes, l) => [ids[l], nodes.length === 1
    ? task(next(ids, l))
    : parallel(nodes.map((i) => `n${i}`), next(ids, l))]));
  return JSON.stringify({ Comment: `DAG of ${n} in ${levels.length} levels`, StartAt: ids[0], States });
}

/** A statebox with module:noop (counts its calls) and module:spawn (runs `sh -c true` and waits for it to close). */
async function createStatebox() {
  const statebox = new Statebox({ messages: { info() {} } });
  await statebox.ready;
  const counter = { calls: 0 };
  statebox.createModuleResources({
    noop: class Noop {
      run(event, context) {
        counter.calls++;
        context.sendTaskSuccess(event);
      }
    },
    spawn: class Spawn {
      run(event, context) {
        const child = spawn('sh', ['-c', 'true']);
        child.on('error', (error) => context.sendTaskFailure({ error: 'SpawnFailed', cause: error.message }));
        child.on('close', (code) => {
          if (code !== 0) return context.sendTaskFailure({ error: 'ExitCode', cause: `sh exited ${code}` });
          counter.calls++;
          context.sendTaskSuccess(event);
        });
      }
    },
  });
  return { statebox, counter };
}

/**
 * A measured run of one ASL text; count = Task calls that succeeded, or, for a chain of Pass
 * states (nothing to count), n when the execution ended in the last state.
 */
async function measured(text, { passStates = 0 } = {}) {
  const { statebox, counter } = await createStatebox();
  return async () => {
    counter.calls = 0;
    const t0 = performance.now();
    await statebox.createStateMachines({ [NAME]: JSON.parse(text) }, {});
    const t1 = performance.now();
    const execution = await statebox.startExecution({}, NAME, { sendResponse: 'COMPLETE' });
    const t2 = performance.now();
    if (execution.status !== 'SUCCEEDED') throw new Error(`statebox execution ${execution.status}: ${execution.errorCode ?? ''} ${execution.errorMessage ?? ''}`);
    const count = passStates ? (execution.currentStateName === `s${passStates - 1}` ? passStates : 0) : counter.calls;
    return { count, phases: { parse: t1 - t0, run: t2 - t1 } };
  };
}

export const chain = ({ n, state = 'task' }) => measured(aslChain(n, state), { passStates: state === 'pass' ? n : 0 });
export const fanout = ({ n }) => measured(aslFanout(n));
export const dag = ({ n }) => measured(aslDag(n));
/** n Task states in order, each spawning `sh -c true` through child_process.spawn. */
export const shell = ({ n }) => measured(aslChain(n, 'task', 'module:spawn'));
