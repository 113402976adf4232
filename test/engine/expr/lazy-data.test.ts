import { describe, expect, it } from 'vitest';
import { compileValue, evaluateValue } from '../../../engine/expr/index.js';
import { conversionStats } from '../../../engine/expr/lazy-data.js';
import { CONTEXTS, ctxOf } from './helpers.js';

function stepsContext(count: number): Record<string, unknown> {
  const steps: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) steps[`s${i}`] = { outcome: 'success', outputs: { x: `v${i}` } };
  return steps;
}

/** Conversions from plain JS to the evaluator's data types made while evaluating `text` once. */
function conversions(text: string, contexts: Record<string, unknown>): { result: unknown; count: number } {
  const { compiled } = compileValue(text, CONTEXTS);
  const before = conversionStats.count;
  const result = evaluateValue(compiled, ctxOf(contexts));
  return { result, count: conversionStats.count - before };
}

describe('lazy conversion of contexts', () => {
  it('costs the same for a step among 10,000 as among 10', () => {
    const small = conversions('${{ steps.s5.outputs.x }}', { steps: stepsContext(10) });
    const large = conversions('${{ steps.s5000.outputs.x }}', { steps: stepsContext(10_000) });
    expect(small.result).toBe('v5');
    expect(large.result).toBe('v5000');
    expect(large.count).toBe(small.count);
    expect(large.count).toBeLessThanOrEqual(4);
  });

  it('costs the same for an element of a 10,000-item list as of a 10-item one', () => {
    const list = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i }));
    const small = conversions('${{ inputs.list[5].id }}', { inputs: { list: list(10) } });
    const large = conversions('${{ inputs.list[5000].id }}', { inputs: { list: list(10_000) } });
    expect([small.result, large.result]).toEqual([5, 5000]);
    expect(large.count).toBe(small.count);
  });

  it('still converts everything when an expression needs everything', () => {
    const { result, count } = conversions('${{ steps.*.outputs.x }}', { steps: stepsContext(1000) });
    expect((result as string[]).length).toBe(1000);
    expect(count).toBeGreaterThanOrEqual(1000);
    expect(JSON.parse(conversions('${{ toJSON(steps) }}', { steps: stepsContext(3) }).result as string)).toEqual(stepsContext(3));
  });

  it('sees keys that differ only in case as one, the first one winning', () => {
    const obj = { Key: 1, key: 2, other: 3 };
    expect(evaluateValue(compileValue('${{ toJSON(inputs.obj) }}', CONTEXTS).compiled, ctxOf({ inputs: { obj } }))).toBe(
      '{\n  "Key": 1,\n  "other": 3\n}',
    );
  });
});
