/** What the step lists name before they are built: module files to load, and the ids written. */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

import { moduleUses, stepIds } from '../../../engine/check/scan.js';
import { problemsIn, yaml } from './helpers.js';

const data = {
  steps: [
    { id: 'a', uses: './a.js' },
    { id: 'g', steps: [{ uses: 'noop' }, { id: 'b', uses: '../b.js' }], parallel: [{ id: 'p', uses: '/abs/p.js' }] },
    'not a step',
  ],
  on_failure: [{ id: 'r', run: 'echo' }],
  finally: [{ uses: './a.js' }],
};

describe('moduleUses', () => {
  it('lists every uses: of a file, inner lists included, with its place, in document order', () => {
    expect(moduleUses(data)).toEqual([
      { uses: './a.js', path: ['steps', 0, 'uses'] },
      { uses: '../b.js', path: ['steps', 1, 'steps', 1, 'uses'] },
      { uses: '/abs/p.js', path: ['steps', 1, 'parallel', 0, 'uses'] },
      { uses: './a.js', path: ['finally', 0, 'uses'] },
    ]);
  });
});

describe('stepIds', () => {
  it('collects the ids of every section and inner list', () => {
    expect([...stepIds(data)]).toEqual(['a', 'g', 'b', 'p', 'r']);
  });
});

describe('a module that does not load', () => {
  it('is reported at each uses: naming it', async () => {
    expect(await problemsIn(yaml(
      'steps:',
      '  - id: a',
      '    uses: ./nope.js',
      '  - id: g',
      '    steps:',
      '      - id: b',
      '        uses: ../also-nope.js',
      'finally:',
      '  - uses: ./nope.js',
    ))).toEqual([
      [3, 11, 'step.module', `Cannot load the step module ${resolve('nope.js')}: no such file`],
      [7, 15, 'step.module', `Cannot load the step module ${resolve('../also-nope.js')}: no such file`],
      [9, 11, 'step.module', `Cannot load the step module ${resolve('nope.js')}: no such file`],
    ]);
  });
});
