import { describe, expect, it } from 'vitest';
import { compileCondition, evaluateCondition, stepRefs } from '../../../engine/expr/index.js';
import { CONTEXTS, ctxOf } from './helpers.js';

const steps = { check: { outputs: { ok: 'yes', count: 0 } } };

function holds(text: string, contexts: Record<string, unknown> = { steps }, status = { failed: false, cancelled: false }) {
  const { compiled, problems } = compileCondition(text, CONTEXTS);
  expect(problems).toEqual([]);
  return evaluateCondition(compiled, ctxOf(contexts, status));
}

describe('compileCondition', () => {
  it('accepts a condition with or without ${{ }}', () => {
    expect(holds("steps.check.outputs.ok == 'yes'")).toBe(true);
    expect(holds("${{ steps.check.outputs.ok == 'yes' }}")).toBe(true);
    expect(holds("  ${{ steps.check.outputs.ok == 'no' }}\n")).toBe(false);
  });

  it('tells whether a status function is used', () => {
    const uses = (text: string) => compileCondition(text, CONTEXTS).compiled.usesStatusFunction;
    expect(uses('always()')).toBe(true);
    expect(uses('${{ Failure() && steps.check.outputs.ok }}')).toBe(true);
    expect(uses("cancelled() || success()")).toBe(true);
    expect(uses("steps.check.outputs.ok == 'yes'")).toBe(false);
    expect(uses("${{ contains('success()', 'x') }}")).toBe(false);
  });

  it('reports text outside ${{ }}, which would make the condition always true', () => {
    const { problems } = compileCondition('${{ false }} && ${{ false }}', CONTEXTS);
    expect(problems).toEqual([
      {
        path: [],
        offset: 0,
        expression: '${{ false }} && ${{ false }}',
        message:
          "Condition has text outside '${{ }}', so it is a non-empty string and always true; " +
          "write the whole condition inside one '${{ }}', or without '${{ }}'",
      },
    ]);
  });

  it('reports parse problems of a bare condition at offset 0', () => {
    expect(compileCondition('nope.x', CONTEXTS).problems).toEqual([
      {
        path: [],
        offset: 0,
        expression: 'nope.x',
        message: "Unrecognized named-value: 'nope'. Located at position 1 within expression: nope.x; expected one of: inputs, env, steps",
      },
    ]);
  });

  it('exposes its value for stepRefs', () => {
    expect(stepRefs(compileCondition('steps.check.outputs.ok', CONTEXTS).compiled.value)).toEqual([
      { id: 'check', path: [], offset: 0 },
    ]);
  });
});

describe('evaluateCondition', () => {
  it('uses GitHub truthiness', () => {
    expect(holds('steps.check.outputs.count')).toBe(false);
    expect(holds("''")).toBe(false);
    expect(holds('null')).toBe(false);
    expect(holds('steps.missing')).toBe(false);
    expect(holds("'false'")).toBe(true);
    expect(holds('steps.check.outputs')).toBe(true);
    expect(holds("fromJSON('[]')")).toBe(true);
    expect(holds('${{ 1 }}')).toBe(true);
  });

  it('evaluates status functions without adding success() itself', () => {
    const failed = { failed: true, cancelled: false };
    expect(holds('failure()', {}, failed)).toBe(true);
    expect(holds('always()', {}, failed)).toBe(true);
    expect(holds('true', {}, failed)).toBe(true);
    expect(holds('success()', {}, failed)).toBe(false);
  });
});
