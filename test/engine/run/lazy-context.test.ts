/** contextMaker: context fields computed from a step's state when read, that list and spread like plain own fields. */
import { describe, expect, it } from 'vitest';
import { contextMaker } from '../../../engine/run/lazy-context.js';
import type { StepContext } from '../../../steps/contract.js';

interface State {
  reads: string[];
  signal?: AbortSignal;
}

const note = <T>(state: State, name: string, value: T): T => {
  state.reads.push(name);
  return value;
};

const contextOf = contextMaker<State>({
  stepId: (s) => note(s, 'stepId', 'a'),
  attempt: () => 2,
  workdir: () => '/w',
  allowedPaths: () => ['/w'],
  permissions: () => undefined,
  run: () => ({}) as StepContext['run'],
  log: () => () => undefined,
  maskSecret: () => undefined,
  describeStep: () => undefined,
  runStep: () => undefined,
  signal: (s) => (s.signal ??= note(s, 'signal', new AbortController().signal)),
  env: (s) => note(s, 'env', { A: '1' }),
  path: (s) => note(s, 'path', 'a[0]'),
  tmpdir: (s) => note(s, 'tmpdir', '/tmp/x'),
});

describe('contextMaker', () => {
  it('computes a field only when it is read, and again at each read unless the state keeps it', () => {
    const state: State = { reads: [] };
    const ctx = contextOf(state);
    expect(state.reads).toEqual([]);
    expect(ctx.attempt).toBe(2);
    expect(ctx.env).toEqual({ A: '1' });
    expect(ctx.stepId).toBe('a');
    expect(ctx.stepId).toBe('a');
    expect(ctx.signal).toBe(ctx.signal);
    expect(state.reads).toEqual(['env', 'stepId', 'stepId', 'signal']);
  });

  it('lists and spreads its fields as own fields, in the order of the table, and nothing of the state', () => {
    const state: State = { reads: [] };
    const ctx = contextOf(state);
    expect(Object.keys(ctx)).toEqual(['stepId', 'attempt', 'workdir', 'allowedPaths', 'permissions', 'run', 'log', 'maskSecret', 'describeStep', 'runStep', 'signal', 'env', 'path', 'tmpdir']);
    expect('tmpdir' in ctx && 'signal' in ctx && 'log' in ctx).toBe(true);
    expect('reads' in ctx || 'nothing' in ctx).toBe(false);
    expect((ctx as unknown as State).reads).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(ctx, 'env') && ctx.hasOwnProperty('env')).toBe(true);
    const copy = { ...ctx, env: { B: '2' } };
    expect(copy.tmpdir).toBe('/tmp/x');
    expect(copy.path).toBe('a[0]');
    expect(copy.env).toEqual({ B: '2' });
    expect(copy.signal).toBeInstanceOf(AbortSignal);
    expect(typeof copy.log).toBe('function');
    expect([...new Set(state.reads)].sort()).toEqual(['env', 'path', 'signal', 'stepId', 'tmpdir']);
  });

  it('cannot be changed by a step', () => {
    const ctx = contextOf({ reads: [] }) as unknown as Record<string, unknown>;
    expect(Reflect.set(ctx, 'stepId', 'b')).toBe(false);
    expect(Reflect.set(ctx, 'env', {})).toBe(false);
    expect(Reflect.deleteProperty(ctx, 'log')).toBe(false);
    expect(Reflect.defineProperty(ctx, 'extra', { value: 1 })).toBe(false);
    expect(Reflect.preventExtensions(ctx)).toBe(false);
    expect(ctx.stepId).toBe('a');
  });

  it('reads like a plain object for what is not a field of it', () => {
    const ctx = contextOf({ reads: [] });
    expect('toString' in ctx && 'hasOwnProperty' in ctx).toBe(true);
    expect(String(ctx)).toBe('[object Object]');
    expect(Object.getPrototypeOf(ctx)).toBe(Object.prototype);
    expect((ctx as unknown as { __proto__: unknown }).__proto__).toBe(Object.prototype);
    expect(ctx.hasOwnProperty('toString')).toBe(false);
  });
});
