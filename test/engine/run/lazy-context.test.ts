/** lazyContext: lazy fields that read, list and spread like plain own fields. */
import { describe, expect, it } from 'vitest';
import { lazyContext } from '../../../engine/run/lazy-context.js';
import type { StepContext } from '../../../steps/contract.js';

function context(reads: string[]): StepContext {
  const signal = new AbortController().signal;
  const eager = { stepId: 'a', attempt: 2, workdir: '/w', allowedPaths: ['/w'], permissions: undefined, run: {} as StepContext['run'], log: () => undefined };
  return lazyContext(eager, {
    signal: (state) => (state.push('signal'), signal),
    env: (state) => (state.push('env'), { A: '1' }),
    path: (state) => (state.push('path'), 'a[0]'),
    tmpdir: (state) => (state.push('tmpdir'), '/tmp/x'),
  }, reads);
}

describe('lazyContext', () => {
  it('computes a lazy field only when it is read', () => {
    const reads: string[] = [];
    const ctx = context(reads);
    expect(ctx.stepId).toBe('a');
    expect(ctx.attempt).toBe(2);
    expect(reads).toEqual([]);
    expect(ctx.env).toEqual({ A: '1' });
    expect(ctx.path).toBe('a[0]');
    expect(reads).toEqual(['env', 'path']);
  });

  it('lists and spreads its lazy fields as own fields, after the eager ones', () => {
    const reads: string[] = [];
    const ctx = context(reads);
    expect(Object.keys(ctx)).toEqual(['stepId', 'attempt', 'workdir', 'allowedPaths', 'permissions', 'run', 'log', 'signal', 'env', 'path', 'tmpdir']);
    expect('tmpdir' in ctx && 'signal' in ctx && 'log' in ctx).toBe(true);
    expect('nothing' in ctx).toBe(false);
    const copy = { ...ctx, env: { B: '2' } };
    expect(copy.tmpdir).toBe('/tmp/x');
    expect(copy.path).toBe('a[0]');
    expect(copy.env).toEqual({ B: '2' });
    expect(copy.signal).toBeInstanceOf(AbortSignal);
    expect(typeof copy.log).toBe('function');
    expect([...new Set(reads)].sort()).toEqual(['env', 'path', 'signal', 'tmpdir']);
  });

  it('cannot be changed by a step', () => {
    const ctx = context([]) as unknown as Record<string, unknown>;
    expect(Reflect.set(ctx, 'stepId', 'b')).toBe(false);
    expect(Reflect.set(ctx, 'env', {})).toBe(false);
    expect(Reflect.deleteProperty(ctx, 'log')).toBe(false);
    expect(ctx.stepId).toBe('a');
  });
});
