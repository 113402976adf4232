import { describe, expect, it } from 'vitest';
import { compileWorkflow, machineId } from '../../../engine/compile/compile.js';
import { Machines } from '../../../engine/run/machines.js';
import { checkText, tempDir } from '../../helpers/workflow.js';

const dir = tempDir('arq-compile-');

const yaml = `
name: shapes
steps:
  - id: a
    uses: noop
  - id: b
    uses: noop
    timeout: 2s
    retry: { attempts: 3, backoff: 10ms }
    continue_on_error: true
  - id: g
    steps:
      - id: c
        uses: noop
on_failure:
  - id: undo
    uses: noop
finally:
  - id: tidy
    uses: noop
`;

const stepDone = (id: string) => ({ type: 'stepDone', params: { id } });
const failed = (id: string, then: string, timeout = false) => ({ type: 'attemptFailed', params: { id, then, timeout } });

describe('compileWorkflow', () => {
  it('builds a root machine of sections: main, then on_failure only when main failed, then finally, then the state named by how the run stands', async () => {
    const compiled = compileWorkflow(await checkText(yaml, dir));
    const { main, onFailure, finally: fin } = compiled.workflow;
    expect(compiled.root).toEqual({
      id: 'wf',
      initial: 'main',
      states: {
        main: { meta: { block: main.name }, on: { succeeded: 'finally', failed: 'on_failure', cancelled: 'finally', CANCEL: 'finally' } },
        on_failure: { meta: { block: onFailure.name }, on: { succeeded: 'finally', failed: 'finally', cancelled: 'finally', CANCEL: 'finally' } },
        // A cancel during finally: changes nothing: its steps run on, and the run ends cancelled.
        finally: { meta: { block: fin.name }, on: { succeeded: 'succeeded', failed: 'failed', cancelled: 'cancelled' } },
        succeeded: { type: 'final' },
        failed: { type: 'final' },
        cancelled: { type: 'final' },
      },
    });
  });

  it('compiles a chain to one coordinator state that ends in $done only when its last step did; a step that retries or times out to its unit machine', async () => {
    const compiled = compileWorkflow(await checkText(yaml, dir));
    const name = compiled.workflow.main.name;
    const id = machineId(name);
    expect(compiled.block(name)).toEqual({
      id,
      initial: 'chain',
      states: {
        chain: { invoke: { src: 'chain', input: { block: name }, onDone: [{ guard: 'chainDone', target: `#${id}.$done` }, { target: `#${id}.$failed` }] } },
        $done: { type: 'final' },
        $failed: { type: 'final' },
      },
    });
    const retryToBackoff = (timeout: boolean) => ({ guard: { type: 'canRetry', params: { id: 'b' } }, target: timeout ? 'stopping_retry' : 'backoff', actions: failed('b', 'retry', timeout) });
    const waitFor = (target: string) => ({ invoke: { src: 'stopped', input: { id: 'b' }, onDone: { target }, onError: { target } } });
    const states = compiled.block('unit:b').states as Record<string, unknown>;
    expect(compiled.block('unit:b').initial).toBe('b');
    expect(Object.keys(states)).toEqual(['b', '$done', '$failed']);
    expect(states.b).toEqual({
      id: 'b',
      initial: 'attempt',
      states: {
        attempt: {
          invoke: { src: 'step', input: { id: 'b' }, onDone: { target: '#unit:b.$done', actions: stepDone('b') }, onError: [retryToBackoff(false), { target: '#unit:b.$done', actions: failed('b', 'continue') }] },
          after: { 'timeout:b': [retryToBackoff(true), { target: 'stopping_continue', actions: failed('b', 'continue', true) }] },
        },
        // A timed-out attempt is waited for (its processes killed) before the retry or the next step.
        stopping_fail: waitFor('#unit:b.$failed'),
        stopping_retry: waitFor('backoff'),
        stopping_continue: waitFor('#unit:b.$done'),
        backoff: { invoke: { src: 'backoff', input: { id: 'b' }, onDone: { target: 'attempt' } } },
      },
    });
    expect(compiled.block('unit:g').states).toEqual({
      g: { id: 'g', invoke: { src: 'group', input: { id: 'g' }, onDone: { target: '#unit:g.$done', actions: stepDone('g') }, onError: [{ target: '#unit:g.$failed', actions: failed('g', 'fail') }] } },
      $done: { type: 'final' },
      $failed: { type: 'final' },
    });
    // An empty list is done at once.
    const empty = compileWorkflow(await checkText('name: e\nsteps:\n  - id: g\n    steps: []\n', dir));
    expect(empty.block(empty.workflow.stepsById.get('g')!.body!.name).initial).toBe('$done');
    expect([...compiled.delays]).toEqual([['timeout:b', { kind: 'timeout', ms: 2000, step: 'b' }]]);
  });

  it('compiles a DAG list to one coordinator state, and each node to a one-step unit machine', async () => {
    const compiled = compileWorkflow(await checkText('name: dag\nsteps:\n  - id: x\n    uses: noop\n  - id: y\n    needs: x\n    uses: noop\n', dir));
    const name = compiled.workflow.main.name;
    expect(compiled.block(name)).toEqual({
      id: machineId(name),
      initial: 'dag',
      states: {
        dag: { invoke: { src: 'dag', input: { block: name }, onDone: { target: `#${machineId(name)}.$done` }, onError: { target: `#${machineId(name)}.$failed` } } },
        $done: { type: 'final' },
        $failed: { type: 'final' },
      },
    });
    expect(compiled.block('unit:y')).toEqual({
      id: 'unit:y',
      initial: 'y',
      states: {
        y: { id: 'y', invoke: { src: 'step', input: { id: 'y' }, onDone: { target: '#unit:y.$done', actions: stepDone('y') }, onError: [{ target: '#unit:y.$failed', actions: failed('y', 'fail') }] } },
        $done: { type: 'final' },
        $failed: { type: 'final' },
      },
    });
  });

  it('gives an empty on_failure: or finally: no state: main ends the run itself', async () => {
    const compiled = compileWorkflow(await checkText('name: bare\nsteps:\n  - uses: noop\n', dir));
    expect(compiled.root.states).toEqual({
      main: { meta: { block: compiled.workflow.main.name }, on: { succeeded: 'succeeded', failed: 'failed', cancelled: 'cancelled', CANCEL: 'cancelled' } },
      succeeded: { type: 'final' },
      failed: { type: 'final' },
      cancelled: { type: 'final' },
    });
    const handled = compileWorkflow(await checkText('name: h\nsteps:\n  - uses: noop\non_failure:\n  - uses: noop\n', dir));
    expect(Object.keys(handled.root.states as object)).toEqual(['main', 'on_failure', 'succeeded', 'failed', 'cancelled']);
    expect((handled.root.states as Record<string, { on: unknown }>).on_failure.on).toEqual({ succeeded: 'succeeded', failed: 'failed', cancelled: 'cancelled', CANCEL: 'cancelled' });
  });

  it('emits plain JSON (names, not functions) that XState accepts, even where step ids look like machine ids', async () => {
    const text = 'name: json\nsteps:\n  - id: block1\n    uses: noop\n  - id: wf\n    parallel:\n      - { id: block2, uses: noop }\n      - { id: unit, steps: [{ id: z, uses: noop }] }\n';
    const compiled = compileWorkflow(await checkText(text, dir));
    const machines = new Machines(compiled);
    for (const config of [compiled.root, ...[...compiled.blocks.keys()].map((n) => compiled.block(n))]) {
      expect(JSON.parse(JSON.stringify(config))).toEqual(config);
    }
    expect(machines.root().id).toBe('wf');
    for (const name of compiled.blocks.keys()) expect(machines.block(name).id).toBe(machineId(name));
  });
});
