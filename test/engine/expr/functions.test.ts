import { describe, expect, it } from 'vitest';
import { compileValue, evaluateValue } from '../../../engine/expr/index.js';
import { CONTEXTS, ctxOf, evalValue } from './helpers.js';

const inputs = { list: ['a', 'b', 'c'], obj: { a: 1, b: [true, null] }, json: '{"x": [1, 2], "y": "z"}' };

describe('built-in functions', () => {
  it('contains: substring ignoring case, or an element of a list', () => {
    expect(evalValue("${{ contains('Hello World', 'WORLD') }}")).toBe(true);
    expect(evalValue("${{ contains('Hello', 'bye') }}")).toBe(false);
    expect(evalValue("${{ contains(inputs.list, 'B') }}", { inputs })).toBe(true);
    expect(evalValue("${{ contains(inputs.list, 'd') }}", { inputs })).toBe(false);
  });

  it('startsWith and endsWith ignore case', () => {
    expect(evalValue("${{ startsWith('Release-1', 'release') }}")).toBe(true);
    expect(evalValue("${{ startsWith('Release-1', '1') }}")).toBe(false);
    expect(evalValue("${{ endsWith('file.TXT', '.txt') }}")).toBe(true);
    expect(evalValue("${{ endsWith('file.txt', '.md') }}")).toBe(false);
  });

  it('format replaces {N} and un-doubles braces', () => {
    expect(evalValue("${{ format('{0} has {1} items', 'cart', 3) }}")).toBe('cart has 3 items');
    expect(evalValue("${{ format('{{literal}} {0}', true) }}")).toBe('{literal} true');
  });

  it('join uses , by default, or the given separator', () => {
    expect(evalValue('${{ join(inputs.list) }}', { inputs })).toBe('a,b,c');
    expect(evalValue("${{ join(inputs.list, ' | ') }}", { inputs })).toBe('a | b | c');
    expect(evalValue("${{ join('solo', '-') }}")).toBe('solo');
  });

  it('toJSON pretty-prints with two spaces', () => {
    expect(evalValue('${{ toJSON(inputs.obj) }}', { inputs })).toBe('{\n  "a": 1,\n  "b": [\n    true,\n    null\n  ]\n}');
    expect(evalValue("${{ toJSON('s') }}")).toBe('"s"');
  });

  it('fromJSON parses into typed values', () => {
    expect(evalValue('${{ fromJSON(inputs.json) }}', { inputs })).toEqual({ x: [1, 2], y: 'z' });
    expect(evalValue('${{ fromJSON(inputs.json).x[1] }}', { inputs })).toBe(2);
    expect(evalValue("${{ fromJSON('42') }}")).toBe(42);
    expect(evalValue("${{ fromJSON('true') }}")).toBe(true);
  });

  it('case picks the value of the first true predicate, else the default', () => {
    expect(evalValue("${{ case(false, 'a', true, 'b', 'c') }}")).toBe('b');
    expect(evalValue("${{ case(false, 'a', 'c') }}")).toBe('c');
  });

  it('names of functions are case-insensitive', () => {
    expect(evalValue("${{ TOJSON(fromjson('[1]')) }}")).toBe('[\n  1\n]');
  });
});

describe('status functions', () => {
  const table = [
    { status: { failed: false, cancelled: false }, expected: [true, false, true, false] },
    { status: { failed: true, cancelled: false }, expected: [false, true, true, false] },
    { status: { failed: false, cancelled: true }, expected: [false, false, true, true] },
    { status: { failed: true, cancelled: true }, expected: [false, true, true, true] },
  ];

  it.each(table)('success, failure, always, cancelled for $status', ({ status, expected }) => {
    const { compiled } = compileValue(['${{ success() }}', '${{ failure() }}', '${{ always() }}', '${{ cancelled() }}'], CONTEXTS);
    expect(evaluateValue(compiled, ctxOf({}, status))).toEqual(expected);
  });

  it('take no arguments', () => {
    expect(compileValue('${{ success(1) }}', CONTEXTS).problems.map((p) => p.message)).toEqual([
      "Too many parameters supplied: 'success'. Located at position 1 within expression: success(1)",
    ]);
  });
});
