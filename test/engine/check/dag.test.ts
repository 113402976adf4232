/** `needs:`: names of the same list, no cycle; and findCycle on its own. */
import { describe, expect, it } from 'vitest';

import { findCycle } from '../../../engine/check/dag.js';
import { problemsIn, yaml } from './helpers.js';

describe('findCycle', () => {
  it('returns the ids around the first cycle found, starting from the steps in order', () => {
    expect(findCycle([{ id: 'a', needs: ['b'] }, { id: 'b', needs: ['a'] }])).toEqual(['a', 'b', 'a']);
    expect(findCycle([{ id: 'x', needs: [] }, { id: 'a', needs: ['c'] }, { id: 'b', needs: ['a'] }, { id: 'c', needs: ['x', 'b'] }])).toEqual(['a', 'c', 'b', 'a']);
  });

  it('finds none in a DAG, and ignores needs of the step itself or of ids not in the list', () => {
    expect(findCycle([{ id: 'a', needs: ['a', 'zz'] }, { id: 'b', needs: ['a', 'a'] }, { id: 'c', needs: ['b', 'a'] }])).toBeUndefined();
    expect(findCycle([])).toBeUndefined();
  });

  it('reads a repeated id as its last step, as a map by id would', () => {
    expect(findCycle([{ id: 'a', needs: ['b'] }, { id: 'b', needs: [] }, { id: 'b', needs: ['a'] }])).toEqual(['a', 'b', 'a']);
    expect(findCycle([{ id: 'a', needs: ['b'] }, { id: 'b', needs: ['a'] }, { id: 'b', needs: [] }])).toBeUndefined();
  });

  it('walks a chain of 10,000 needs without overflowing the stack, and finds the cycle closing it', () => {
    const chain = Array.from({ length: 10_000 }, (_, i) => ({ id: `n${i}`, needs: i ? [`n${i - 1}`] : [] }));
    expect(findCycle(chain)).toBeUndefined();
    const closed = [{ id: 'n0', needs: ['n9999'] }, ...chain.slice(1)];
    const cycle = findCycle(closed)!;
    expect(cycle.length).toBe(10_001);
    expect([cycle[0], cycle[1], cycle[9_999], cycle[10_000]]).toEqual(['n0', 'n9999', 'n1', 'n0']);
  });
});

describe('needs of a step', () => {
  it('naming the step itself are reported at the value, or at the item of a list', async () => {
    const start = ['steps:', '  - id: a', '    run: echo a', '  - id: b'];
    expect(await problemsIn(yaml(...start, '    needs: b', '    run: echo b'))).toEqual([
      [5, 12, 'needs.self', 'Step "b" needs itself; a step can only need other steps of its list'],
    ]);
    expect(await problemsIn(yaml(...start, '    needs: [a, b]', '    run: echo b'))).toEqual([
      [5, 16, 'needs.self', 'Step "b" needs itself; a step can only need other steps of its list'],
    ]);
  });

  it('naming no step of the list suggest the closest id and list the others', async () => {
    expect(await problemsIn(yaml(
      'steps:',
      '  - id: build',
      '    run: echo a',
      '  - id: test',
      '    needs: [buidl, deploy]',
      '    run: echo b',
      '  - id: deploy',
      '    run: echo c',
    ))).toEqual([
      [5, 13, 'needs.unknown', 'Unknown step "buidl" in needs. Did you mean "build"? Expected one of the steps in the same list: build, deploy'],
    ]);
  });

  it('that close a cycle are reported once, at the needs of the first step of the cycle', async () => {
    expect(await problemsIn(yaml(
      'steps:',
      '  - id: a',
      '    needs: c',
      '    run: echo a',
      '  - id: b',
      '    needs: a',
      '    run: echo b',
      '  - id: c',
      '    needs: [b]',
      '    run: echo c',
    ))).toEqual([[3, 12, 'needs.cycle', 'Dependency cycle: a -> c -> b -> a; a DAG cannot have cycles']]);
  });

  it('on a branch of a parallel block are reported at the key', async () => {
    expect(await problemsIn(yaml(
      'steps:',
      '  - id: fan',
      '    parallel:',
      '      - id: x',
      '        run: echo x',
      '      - id: y',
      '        needs: x',
      '        run: echo y',
    ))).toEqual([
      [7, 9, 'needs.not_in_dag', '"needs" cannot be used on a branch of a parallel block, where every branch starts at once; put steps that depend on each other in a steps: list'],
    ]);
  });

  it('of a step whose id repeats one of its list are checked too', async () => {
    expect(await problemsIn(yaml(
      'steps:',
      '  - id: a',
      '    run: echo a',
      '  - id: a',
      '    needs: a',
      '    run: echo again',
      '  - id: b',
      '    needs: [a]',
      '    run: echo b',
    ))).toEqual([
      [4, 9, 'step.duplicate_id', 'Duplicate step id "a": already used at line 2, column 9; step ids must be unique in the whole workflow'],
      [5, 12, 'needs.self', 'Step "a" needs itself; a step can only need other steps of its list'],
    ]);
  });
});
