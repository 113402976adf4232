/**
 * Hand-written XState 5 machines of the same shapes as the arq workflows: the floor arq's
 * compiled machines can reach. Every step is a promise actor that resolves at once; each run
 * builds its machine (phase `build`) and runs it to its end (phase `run`).
 */
import { assign, createActor, fromPromise, setup, spawnChild } from 'xstate';
import { parse } from 'yaml';
import { arqYaml, dagNeeds } from '../lib/shapes.mjs';

const noopStep = fromPromise(async ({ input }) => input);

/** Runs a machine to completion; resolves with its final snapshot. */
function runToEnd(machine, input) {
  const actor = createActor(machine, { input });
  return new Promise((resolve, reject) => {
    actor.subscribe({ complete: () => resolve(actor.getSnapshot()), error: reject });
    actor.start();
  });
}

function timed(build, run) {
  return async () => {
    const t0 = performance.now();
    const built = build();
    const t1 = performance.now();
    const count = await run(built);
    return { count, phases: { build: t1 - t0, run: performance.now() - t1 } };
  };
}

function chainMachine(ids) {
  const states = {};
  ids.forEach((id, i) => {
    states[id] = { invoke: { src: 'step', input: { id }, onDone: { target: i + 1 < ids.length ? ids[i + 1] : 'done', actions: 'record' } } };
  });
  states.done = { type: 'final' };
  return setup({
    actors: { step: noopStep },
    actions: { record: ({ context }) => void context.done++ },
  }).createMachine({ id: 'chain', context: () => ({ done: 0 }), initial: ids[0], states });
}

/** n sibling states, each invoking a promise actor; onDone records and moves to the next. */
export function chain({ n }) {
  const ids = Array.from({ length: n }, (_, i) => `s${i}`);
  return timed(() => chainMachine(ids), async (machine) => (await runToEnd(machine)).context.done);
}

/**
 * The same, read from arq's YAML text with the same yaml library (yaml.parse, no positions, no
 * checks): the floor of any YAML-driven engine built on XState. Phases: parse, build, run.
 */
export function chainFromYaml({ n }) {
  const text = arqYaml.chain(n);
  return async () => {
    const t0 = performance.now();
    const data = parse(text);
    const t1 = performance.now();
    const machine = chainMachine(data.steps.map((step) => step.id));
    const t2 = performance.now();
    const count = (await runToEnd(machine)).context.done;
    return { count, phases: { parse: t1 - t0, build: t2 - t1, run: performance.now() - t2 } };
  };
}

/** One `type: 'parallel'` state with n regions, each invoking a promise actor then final. */
export function parallelRegions({ n }) {
  return timed(
    () => {
      const regions = {};
      for (let i = 0; i < n; i++) {
        regions[`r${i}`] = {
          initial: 'run',
          states: { run: { invoke: { src: 'step', input: { i }, onDone: { target: 'done', actions: 'record' } } }, done: { type: 'final' } },
        };
      }
      return setup({
        actors: { step: noopStep },
        actions: { record: ({ context }) => void context.done++ },
      }).createMachine({
        id: 'fan', context: () => ({ done: 0 }), initial: 'fan',
        states: { fan: { type: 'parallel', states: regions, onDone: 'done' }, done: { type: 'final' } },
      });
    },
    async (machine) => (await runToEnd(machine)).context.done,
  );
}

/** The one-step machine a coordinator runs per item (arq's block machine, by hand). */
function itemMachine() {
  return setup({ actors: { step: noopStep } }).createMachine({
    id: 'item', initial: 'run',
    states: { run: { invoke: { src: 'step', input: ({ self }) => self.id, onDone: 'done' } }, done: { type: 'final' } },
  });
}

/**
 * arq's approach by hand: a state invokes a promise coordinator, which starts one child actor
 * (a one-step machine) per item and counts them down; no wide parallel state.
 */
export function coordinator({ n }) {
  return timed(
    () => {
      const item = itemMachine();
      const fan = fromPromise(async ({ input: { n: count } }) => {
        let done = 0;
        await Promise.all(Array.from({ length: count }, () => runToEnd(item).then(() => void done++)));
        return done;
      });
      return setup({ actors: { fan } }).createMachine({
        id: 'root', context: () => ({ done: 0 }), initial: 'fan',
        states: {
          fan: { invoke: { src: 'fan', input: { n }, onDone: { target: 'done', actions: assign({ done: ({ event }) => event.output }) } } },
          done: { type: 'final' },
        },
      });
    },
    async (machine) => (await runToEnd(machine)).context.done,
  );
}

/**
 * The XState-native coordinator: the state spawns n child machines (spawnChild) and counts
 * their `xstate.done.actor.*` events down to zero.
 */
export function spawnChildren({ n }) {
  return timed(
    () => {
      const item = itemMachine();
      return setup({ actors: { item } }).createMachine({
        id: 'root', context: () => ({ left: n, done: 0 }), initial: 'fan',
        states: {
          fan: {
            entry: Array.from({ length: n }, (_, i) => spawnChild('item', { id: `c${i}` })),
            always: { guard: ({ context }) => context.left === 0, target: 'done' },
            on: { 'xstate.done.actor.*': { actions: assign({ left: ({ context }) => context.left - 1, done: ({ context }) => context.done + 1 }) } },
          },
          done: { type: 'final' },
        },
      });
    },
    async (machine) => (await runToEnd(machine)).context.done,
  );
}

/** The DAG by hand: a promise coordinator counting unmet needs, one child actor per node. */
export function dag({ n }) {
  const needs = dagNeeds(n);
  return timed(
    () => {
      const item = itemMachine();
      const coordinatorLogic = fromPromise(() => new Promise((resolve) => {
        const waiting = needs.map((need) => need.length);
        const dependents = needs.map(() => []);
        needs.forEach((need, i) => need.forEach((j) => dependents[j].push(i)));
        let left = n;
        const start = (i) => runToEnd(item).then(() => {
          left--;
          for (const d of dependents[i]) if (--waiting[d] === 0) start(d);
          if (left === 0) resolve(n);
        });
        waiting.forEach((w, i) => w === 0 && start(i));
      }));
      return setup({ actors: { dag: coordinatorLogic } }).createMachine({
        id: 'root', context: () => ({ done: 0 }), initial: 'dag',
        states: {
          dag: { invoke: { src: 'dag', onDone: { target: 'done', actions: assign({ done: ({ event }) => event.output }) } } },
          done: { type: 'final' },
        },
      });
    },
    async (machine) => (await runToEnd(machine)).context.done,
  );
}
