import { Parser } from '@actions/expressions';
import { describe, expect, it, vi } from 'vitest';
import {
  compileValue,
  contextsUsed,
  evaluateValue,
  ExpressionRuntimeError,
  isConstant,
  stepRefs,
  stringifyValue,
} from '../../../engine/expr/index.js';
import { CONTEXTS, ctxOf, evalValue } from './helpers.js';

const inputs = { name: 'ann', n: 3, f: 1.5, yes: true, none: null, list: ['a', 'b'], obj: { k: 'v' } };

describe('whole-value expressions', () => {
  it('keep the type of their result', () => {
    expect(evalValue('${{ inputs.n }}', { inputs })).toBe(3);
    expect(evalValue('${{ inputs.yes }}', { inputs })).toBe(true);
    expect(evalValue('${{ inputs.none }}', { inputs })).toBeNull();
    expect(evalValue('${{ inputs.list }}', { inputs })).toEqual(['a', 'b']);
    expect(evalValue('${{ inputs.obj }}', { inputs })).toEqual({ k: 'v' });
    expect(evalValue('${{ inputs.name }}', { inputs })).toBe('ann');
  });

  it('allow whitespace around the braces, such as the newline a YAML block scalar leaves', () => {
    expect(evalValue('  ${{ inputs.list }}\n', { inputs })).toEqual(['a', 'b']);
  });

  it('return copies, so a consumer cannot change the context through them', () => {
    const result = evalValue('${{ inputs.obj }}', { inputs }) as Record<string, unknown>;
    result['k'] = 'changed';
    expect(inputs.obj.k).toBe('v');
  });

  it('read a missing property, and a property of a missing value, as null', () => {
    expect(evalValue('${{ inputs.nope }}', { inputs })).toBeNull();
    expect(evalValue('${{ inputs.nope.deeper[3] }}', { inputs })).toBeNull();
    expect(evalValue('${{ inputs.constructor }}', { inputs })).toBeNull();
  });

  it('read a declared context that was not supplied as null', () => {
    expect(evalValue('${{ env.HOME }}', {})).toBeNull();
  });

  it('access properties case-insensitively, like GitHub', () => {
    const steps = { Build: { outputs: { Version: '1.2' } } };
    expect(evalValue('${{ STEPS.build.OUTPUTS.version }}', { steps })).toBe('1.2');
    expect(evalValue("${{ steps['BUILD'].outputs['VERSION'] }}", { steps })).toBe('1.2');
  });

  it('index arrays and filter objects with *', () => {
    const steps = { a: { outputs: { v: 1 } }, b: { outputs: { v: 2 } }, c: { conclusion: 'x' } };
    expect(evalValue('${{ inputs.list[1] }}', { inputs })).toBe('b');
    expect(evalValue('${{ inputs.list[7] }}', { inputs })).toBeNull();
    expect(evalValue('${{ steps.*.outputs.v }}', { steps })).toEqual([1, 2]);
  });

  it('apply GitHub operators: loose equality, case-insensitive strings, || yielding a value', () => {
    expect(evalValue("${{ 1 == '1' }}", {})).toBe(true);
    expect(evalValue("${{ 'abc' == 'ABC' }}", {})).toBe(true);
    expect(evalValue("${{ inputs.nope || 'fallback' }}", { inputs })).toBe('fallback');
    expect(evalValue('${{ !inputs.name }}', { inputs })).toBe(false);
    expect(evalValue('${{ inputs.n > 2 && inputs.n <= 3 }}', { inputs })).toBe(true);
  });
});

describe('interpolation inside a string', () => {
  it('stringifies null as empty, booleans and numbers as GitHub does, lists and objects as JSON', () => {
    const text = 'a=${{ inputs.none }} b=${{ inputs.yes }} n=${{ inputs.n }} f=${{ inputs.f }} l=${{ inputs.list }} o=${{ inputs.obj }}';
    expect(evalValue(text, { inputs })).toBe('a= b=true n=3 f=1.5 l=["a","b"] o={"k":"v"}');
  });

  it('formats numbers to at most 15 significant decimals', () => {
    expect(evalValue('${{ inputs.x }}!', { inputs: { x: 0.1 + 0.2 } })).toBe('0.3!');
    expect(evalValue('${{ inputs.x }}!', { inputs: { x: 1e21 } })).toBe('1e+21!');
  });

  it('joins several expressions with the text between them', () => {
    expect(evalValue('${{ inputs.name }}-${{ inputs.n }}', { inputs })).toBe('ann-3');
  });

  it('does not end an expression at a }} inside a string literal', () => {
    expect(evalValue("${{ format('{0}}}', inputs.name) }}", { inputs })).toBe('ann}');
    expect(evalValue("<${{ '}}' }}>", {})).toBe('<}}>');
  });

  it("un-doubles every '' in a string literal", () => {
    expect(evalValue("${{ 'it''s ''quoted''' }}", {})).toBe("it's 'quoted'");
  });
});

describe('stringifyValue', () => {
  it('follows the in-string rule', () => {
    expect([null, undefined, true, false, 0, -0, 2.50, 'x', [1, 'a'], { a: null }].map(stringifyValue)).toEqual([
      '', '', 'true', 'false', '0', '0', '2.5', 'x', '[1,"a"]', '{"a":null}',
    ]);
  });
});

describe('compiling nested values', () => {
  it('walks objects and arrays and evaluates each string in place', () => {
    const value = { a: ['${{ inputs.n }}', 'x', { b: 'hi ${{ inputs.name }}' }], c: 5, d: null };
    expect(evalValue(value, { inputs })).toEqual({ a: [3, 'x', { b: 'hi ann' }], c: 5, d: null });
  });

  it('reports each problem with its path and the offset of its ${{', () => {
    const { problems } = compileValue({ a: [{ b: 'x ${{ foo }}' }], c: '${{ inputs.n' }, CONTEXTS);
    expect(problems).toEqual([
      {
        path: ['a', 0, 'b'],
        offset: 2,
        expression: 'foo',
        message: "Unrecognized named-value: 'foo'. Located at position 1 within expression: foo; expected one of: inputs, env, steps",
      },
      { path: ['c'], offset: 0, expression: 'inputs.n', message: "Unterminated expression: expected '}}' to close '${{'" },
    ]);
  });

  it('reports a syntax error in the parser words, with the position inside the expression', () => {
    const { problems } = compileValue('echo ${{ inputs.x == }}', CONTEXTS);
    expect(problems).toEqual([
      {
        path: [],
        offset: 5,
        expression: 'inputs.x ==',
        message: "Unexpected end of expression: '=='. Located at position 10 within expression: inputs.x ==",
      },
    ]);
  });

  it('reports an empty expression', () => {
    expect(compileValue('${{  }}', CONTEXTS).problems.map((p) => p.message)).toEqual(['An expression was expected']);
  });

  it('rejects hashFiles() at compile time', () => {
    expect(compileValue("${{ hashFiles('**/package-lock.json') }}", CONTEXTS).problems.map((p) => p.message)).toEqual([
      "Function 'hashFiles' is not supported by arq: compute the hash in a `run:` step and use its output",
    ]);
  });

  it('rejects an unknown function, listing the known ones', () => {
    expect(compileValue('${{ upper(inputs.x) }}', CONTEXTS).problems.map((p) => p.message)).toEqual([
      "Unrecognized function: 'upper'. Located at position 1 within expression: upper(inputs.x); expected one of: " +
        'contains, startsWith, endsWith, format, join, toJSON, fromJSON, case, success, failure, always, cancelled',
    ]);
  });
});

describe('isConstant', () => {
  it('is true when no expression is left, including bare literals that fold at compile time', () => {
    expect(isConstant(compileValue({ a: ['x', 1, null] }, CONTEXTS).compiled)).toBe(true);
    expect(isConstant(compileValue("${{ 'lit' }} and ${{ 2 }}", CONTEXTS).compiled)).toBe(true);
    expect(evaluateValue(compileValue("${{ 'lit' }} and ${{ 2 }}", CONTEXTS).compiled, ctxOf({}))).toBe('lit and 2');
  });

  it('is false when any expression is inside', () => {
    expect(isConstant(compileValue({ a: ['x', { b: '${{ inputs.n }}' }] }, CONTEXTS).compiled)).toBe(false);
  });
});

describe('stepRefs and contextsUsed', () => {
  it('find literal step ids in dot and bracket form, with path and offset', () => {
    const value = { with: { a: 'x ${{ steps.build.outputs.v }}', b: ["${{ steps['test'].outcome == steps.build.outcome }}"] } };
    expect(stepRefs(compileValue(value, CONTEXTS).compiled)).toEqual([
      { id: 'build', path: ['with', 'a'], offset: 2 },
      { id: 'test', path: ['with', 'b', 0], offset: 0 },
      { id: 'build', path: ['with', 'b', 0], offset: 0 },
    ]);
  });

  it('ignore step ids that are not literal', () => {
    expect(stepRefs(compileValue('${{ steps[inputs.id].outputs.v }} ${{ steps.*.outcome }}', CONTEXTS).compiled)).toEqual([]);
  });

  it('name contexts as declared, whatever case they were written in', () => {
    const { compiled } = compileValue(['${{ Inputs.x }}', '${{ toJSON(STEPS) }}'], CONTEXTS);
    expect(contextsUsed(compiled)).toEqual(new Set(['inputs', 'steps']));
  });
});

describe('evaluation', () => {
  it('never parses: parsing happens once, at compile time', () => {
    const { compiled } = compileValue({ a: '${{ inputs.n }}', b: 'x${{ inputs.name }}' }, CONTEXTS);
    const parse = vi.spyOn(Parser.prototype, 'parse');
    for (let i = 0; i < 3; i++) evaluateValue(compiled, ctxOf({ inputs }));
    expect(parse).not.toHaveBeenCalled();
    parse.mockRestore();
  });

  it('throws ExpressionRuntimeError naming the expression when a function fails', () => {
    const { compiled } = compileValue('${{ fromJSON(inputs.x) }}', CONTEXTS);
    const run = (x: string) => () => evaluateValue(compiled, ctxOf({ inputs: { x } }));
    expect(run('')).toThrow(new ExpressionRuntimeError('fromJSON(inputs.x)', 'empty input'));
    expect(run('')).toThrow('Expression `fromJSON(inputs.x)` failed: empty input');
    expect(run('{nope')).toThrow(/^Expression `fromJSON\(inputs\.x\)` failed: Error parsing JSON when evaluating fromJson: /);
  });

  it('carries the expression text and a stable code on the error', () => {
    const { compiled } = compileValue("a ${{ format('{0} {1}', 1) }}", CONTEXTS);
    let error: unknown;
    try {
      evaluateValue(compiled, ctxOf({}));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ExpressionRuntimeError);
    expect(error).toMatchObject({
      expression: "format('{0} {1}', 1)",
      code: 'expression-failed',
      message:
        "Expression `format('{0} {1}', 1)` failed: The following format string references more arguments than were supplied: {0} {1}",
    });
  });
});
