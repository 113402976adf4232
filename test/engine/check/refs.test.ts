/** Where a `steps.ID` problem is reported: in each place a step can read another. */
import { describe, expect, it } from 'vitest';

import { problemsIn, yaml } from './helpers.js';

const unknown = (id: string) => `Unknown step "${id}" in \`steps.${id}\`. No step has this id; expected the id of a step that runs before this one`;

describe('an unknown step read', () => {
  it('is reported at its expression in if, env, run, with, a composite\'s outputs and the workflow\'s outputs', async () => {
    expect(await problemsIn(yaml(
      'steps:',
      '  - id: a',
      '    if: ${{ steps.nope.outputs.x }}',
      '    env:',
      '      A: ${{ steps.nope2.outputs.y }}',
      '    run: echo "${{ steps.nope3.outputs.z }}"',
      '  - id: b',
      '    uses: noop',
      '    with:',
      '      list: [1, "${{ steps.nope4.status }}"]',
      '  - id: c',
      '    steps:',
      '      - id: inner',
      '        run: echo',
      '    outputs:',
      '      o: ${{ steps.inner.outputs.x }} ${{ steps.nope5.outputs.y }}',
      'outputs:',
      '  out: ${{ steps.nope6.outputs.z }}',
    ))).toEqual([
      [3, 9, 'ref.unknown_step', unknown('nope')],
      [5, 10, 'ref.unknown_step', unknown('nope2')],
      [6, 16, 'ref.unknown_step', unknown('nope3')],
      [10, 18, 'ref.unknown_step', unknown('nope4')],
      [16, 39, 'ref.unknown_step', unknown('nope5')],
      [18, 8, 'ref.unknown_step', unknown('nope6')],
    ]);
  });
});
