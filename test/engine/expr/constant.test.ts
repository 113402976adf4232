/** compileValue on values without expressions (most of them): constants copied, in one walk. */
import { describe, expect, it } from 'vitest';

import { compileValue } from '../../../engine/expr/index.js';

describe('a value without expressions', () => {
  it('compiles to a constant that is a copy: arrays and mappings are new, the rest as is', () => {
    const value = { a: [1, { b: 'text' }], n: null, t: true, s: 'plain $ { not } ${ either }' };
    const { compiled, problems } = compileValue(value, ['inputs']);
    expect(problems).toEqual([]);
    expect(compiled).toStrictEqual({ kind: 'const', value });
    const copy = (compiled as { value: typeof value }).value;
    expect(copy).not.toBe(value);
    expect(copy.a).not.toBe(value.a);
    expect(copy.a[1]).not.toBe(value.a[1]);
  });

  it('keeps a __proto__ key as a key of its own, never as the prototype', () => {
    const value = JSON.parse('{"__proto__": {"x": 1}, "y": 2}') as Record<string, unknown>;
    const copy = (compileValue(value, []).compiled as { value: Record<string, unknown> }).value;
    expect(Object.keys(copy)).toEqual(['__proto__', 'y']);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(copy, '__proto__')?.value).toEqual({ x: 1 });
  });
});

describe('a value with expressions', () => {
  it('compiles its constant parts the same way, and keeps where each expression sits', () => {
    const { compiled, problems } = compileValue({ k: [{ deep: 'x ${{ inputs.a }}' }, 'c'], z: { q: 1 } }, ['inputs']);
    expect(problems).toEqual([]);
    expect(compiled.kind).toBe('object');
    const entries = compiled.kind === 'object' ? compiled.entries : [];
    expect(entries.map(([key]) => key)).toEqual(['k', 'z']);
    expect(entries[1]![1]).toEqual({ kind: 'const', value: { q: 1 } });
    const list = entries[0]![1];
    const first = list.kind === 'array' ? list.items[0]! : undefined;
    const interp = first?.kind === 'object' ? first.entries[0]![1] : undefined;
    const expr = interp?.kind === 'interp' ? interp.parts[1] : undefined;
    expect(typeof expr === 'object' && [expr.path, expr.offset, expr.text]).toEqual([['k', 0, 'deep'], 2, 'inputs.a']);
  });

  it('reports each bad expression with its own path', () => {
    const { problems } = compileValue({ a: ['${{ (', 'ok'], b: { c: '${{ nope.x }}' } }, ['inputs']);
    expect(problems.map((p) => [p.path, p.offset])).toEqual([[['a', 0], 0], [['b', 'c'], 0]]);
  });
});
