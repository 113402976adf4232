/** whenAborted and StepSignal: abort listeners that cost O(1) each, a step's own signal made on first read. */
import { describe, expect, it } from 'vitest';
import { StepSignal, whenAborted } from '../../../engine/run/abort.js';

describe('whenAborted', () => {
  it('calls each listener once, in the order they were added, and never a removed one', () => {
    const controller = new AbortController();
    const calls: string[] = [];
    whenAborted(controller.signal, () => calls.push('a'));
    const b = whenAborted(controller.signal, () => calls.push('b'));
    whenAborted(controller.signal, () => calls.push('c'));
    b.remove();
    b.remove();
    controller.abort();
    controller.abort();
    expect(calls).toEqual(['a', 'c']);
  });

  it('takes off any waiter, first, middle or last, and skips one removed while the others are called', () => {
    const controller = new AbortController();
    const calls: string[] = [];
    const waiters = ['a', 'b', 'c', 'd'].map((name) => whenAborted(controller.signal, () => {
      calls.push(name);
      if (name === 'b') waiters[3]!.remove();
    }));
    waiters[0]!.remove();
    waiters[2]!.remove();
    const e = whenAborted(controller.signal, () => calls.push('e'));
    controller.abort();
    e.remove();
    expect(calls).toEqual(['b', 'e']);
  });

  it('never calls a waiter added once the signal has aborted, nor one added by a waiter being called', () => {
    const controller = new AbortController();
    const calls: string[] = [];
    whenAborted(controller.signal, () => {
      calls.push('a');
      whenAborted(controller.signal, () => calls.push('during'));
    });
    controller.abort();
    const late = whenAborted(controller.signal, () => calls.push('late'));
    late.remove();
    expect(calls).toEqual(['a']);
  });

  it('adds one listener to the signal however many wait on it', () => {
    const controller = new AbortController();
    let added = 0;
    const add = controller.signal.addEventListener.bind(controller.signal);
    controller.signal.addEventListener = ((...args: Parameters<typeof add>) => {
      added++;
      return add(...args);
    }) as typeof add;
    let called = 0;
    for (let i = 0; i < 1000; i++) whenAborted(controller.signal, () => called++);
    controller.abort();
    expect(added).toBe(1);
    expect(called).toBe(1000);
  });
});

describe('StepSignal', () => {
  it('is aborted with its parent, with the same reason, once read', () => {
    const parent = new AbortController();
    const own = new StepSignal(parent.signal);
    const signal = own.signal;
    expect(own.signal).toBe(signal);
    expect(signal.aborted).toBe(false);
    parent.abort(new Error('cancel'));
    expect(signal.aborted).toBe(true);
    expect((signal.reason as Error).message).toBe('cancel');
  });

  it('is aborted at once when read after its parent aborted', () => {
    const parent = new AbortController();
    parent.abort();
    expect(new StepSignal(parent.signal).signal.aborted).toBe(true);
  });

  it('no longer follows its parent once disposed (the step ended)', () => {
    const parent = new AbortController();
    const own = new StepSignal(parent.signal);
    const signal = own.signal;
    own.dispose();
    parent.abort();
    expect(signal.aborted).toBe(false);
  });
});
