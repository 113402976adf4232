import { describe, expect, test } from 'vitest';

import { fastParse } from '../../../engine/load/fast/index.js';
import { parseFully } from '../../../engine/load/full-parse.js';

/** The data the full path (yaml) reads from `text`. */
function fullData(text: string): unknown {
  return parseFully(text, 'wf.yaml').data;
}

describe('fastParse reads block YAML as the full path does', () => {
  test('reads a chain of steps as compact mappings in a sequence', () => {
    const text = 'name: chain\nsteps:\n  - id: s0\n    uses: noop\n  - id: s1\n    uses: noop\n';
    expect(fastParse(text)).toStrictEqual({ name: 'chain', steps: [{ id: 's0', uses: 'noop' }, { id: 's1', uses: 'noop' }] });
    expect(fastParse(text)).toStrictEqual(fullData(text));
  });

  test('reads nested mappings, sequences at their key\'s indentation, and entries on the lines below a dash', () => {
    const text = [
      '---  # start',
      '# a comment',
      'env:',
      '    A: one',
      '    B:  two words  # trailing comment',
      'list:',
      '- a',
      '-',
      '-   x: 1',
      '    y: [2]',
      '-',
      '  nested: yes',
      '',
      'empty:',
      'last: ~',
    ].join('\n');
    expect(fastParse(text)).toStrictEqual({
      env: { A: 'one', B: 'two words' },
      list: ['a', null, { x: 1, y: [2] }, { nested: 'yes' }],
      empty: null,
      last: null,
    });
    expect(fastParse(text)).toStrictEqual(fullData(text));
  });

  test('reads flow collections on one line, nested, with plain and quoted scalars', () => {
    const text = [
      'on: { schedule: [{ cron: "0 3 * * *", timezone: Europe/Moscow }] }',
      'needs: [n1, n2]',
      'parallel: [{ id: lint, run: "true" }, { id: test, run: \'npm test\' }]',
      'with: { url: http://127.0.0.1:8001/health, empty: [], none: {}, odd: [ ], n: [1, -2, 3.5, true, ~] }',
    ].join('\n');
    expect(fastParse(text)).toStrictEqual({
      on: { schedule: [{ cron: '0 3 * * *', timezone: 'Europe/Moscow' }] },
      needs: ['n1', 'n2'],
      parallel: [{ id: 'lint', run: 'true' }, { id: 'test', run: 'npm test' }],
      with: { url: 'http://127.0.0.1:8001/health', empty: [], none: {}, odd: [], n: [1, -2, 3.5, true, null] },
    });
    expect(fastParse(text)).toStrictEqual(fullData(text));
  });

  test('reads quoted scalars with doubled single quotes and one-character escapes', () => {
    const text = `a: 'it''s ${'$'}{{ x }}'\nb: "tab\\t \\"q\\" \\\\ \\/ \\0 \\e \\N \\_ \\L \\P \\ "\n"quoted key": 'x # not a comment'\n`;
    expect(fastParse(text)).toStrictEqual({
      a: "it's ${{ x }}",
      b: 'tab\t "q" \\ / \0 \x1b \u0085 \u00a0 \u2028 \u2029  ',
      'quoted key': 'x # not a comment',
    });
    expect(fastParse(text)).toStrictEqual(fullData(text));
  });

  test('reads literal block scalars with each chomping, blank lines and deeper lines', () => {
    const text = 'a: |\n  one\n\n    deeper\n  # kept\nb: |-\n  x\n\n\nc: |+\n  y\n\n\nd: | # comment\n\n  z\n';
    expect(fastParse(text)).toStrictEqual({ a: 'one\n\n  deeper\n# kept\n', b: 'x', c: 'y\n\n\n', d: '\nz\n' });
    expect(fastParse(text)).toStrictEqual(fullData(text));
  });

  test('reads folded block scalars, joining lines with spaces and blank lines as line breaks', () => {
    const text = 'a: >\n  one\n  two\n\n  three\nb: >-\n  x\n  y\n\nc: >+\n  z\n\n';
    expect(fastParse(text)).toStrictEqual({ a: 'one two\nthree\n', b: 'x y', c: 'z\n\n' });
    expect(fastParse(text)).toStrictEqual(fullData(text));
  });

  test('keeps __proto__ and constructor as own keys', () => {
    const data = fastParse('__proto__: { polluted: true }\nconstructor: x\n');
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(Object.keys(data ?? {})).toEqual(['__proto__', 'constructor']);
    expect(data).toStrictEqual(fullData('__proto__: { polluted: true }\nconstructor: x\n'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('fastParse resolves plain scalars by the YAML 1.2 core schema', () => {
  test.each([
    ['yes', 'yes'], ['no', 'no'], ['on', 'on'], ['~', null], ['null', null], ['Null', null], ['NULL', null], ['nULL', 'nULL'],
    ['true', true], ['True', true], ['TRUE', true], ['tRUE', 'tRUE'], ['false', false], ['FALSE', false],
    ['1_000', '1_000'], ['+1', 1], ['-1', -1], ['007', 7], ['.5', 0.5], ['+.5', 0.5], ['1.', 1], ['3.14', 3.14], ['-0', -0], ['-0.0', -0],
    ['123456789012345', 123456789012345], ['0o8', '0o8'], ['0xG', '0xG'], ['1e', '1e'], ['.', '.'], ['--', '--'],
    ['${{ steps.a.outputs.b }}', '${{ steps.a.outputs.b }}'], ['a#b', 'a#b'], ['a #b', 'a'],
    ['http://x:8/y', 'http://x:8/y'], ['-a', '-a'], ['?a', '?a'], [':a', ':a'], ['é 日本 😀', 'é 日本 😀'], ['<<', '<<'],
  ])('%s', (source, value) => {
    const text = `v: ${source}\n`;
    const data = fastParse(text);
    expect(data).toStrictEqual({ v: value });
    expect(Object.is(data?.v, value)).toBe(true);
    expect(data).toStrictEqual(fullData(text));
  });

  test.each(['0o17', '0x1F', '1e3', '-1.5E-3', '.inf', '-.Inf', '.nan', '.NaN', '1234567890123456', '99999999999999999999'])(
    'leaves the rarer number %s to the full path',
    (source) => {
      expect(fastParse(`v: ${source}\n`)).toBeUndefined();
    },
  );
});

describe('fastParse gives up on anything outside its subset', () => {
  test.each([
    ['an anchor', 'a: &x 1\n'],
    ['an alias', 'a: 1\nb: *a\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a merge key', 'd: { a: 1 }\nx:\n  <<: {}\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a duplicate key in a flow mapping', 'a: { b: 1, b: 2 }\n'],
    ['a tab in the indentation', 'a:\n\t- b\n'],
    ['a tab in a value', 'a: b\tc\n'],
    ['CRLF line breaks', 'a: 1\r\nb: 2\r\n'],
    ['a multi-line plain scalar', 'a: one\n  two\n'],
    ['a multi-line quoted scalar', 'a: "one\n  two"\n'],
    ['a \\x escape', 'a: "\\x41"\n'],
    ['an explicit key', '? a\n: b\n'],
    ['a directive', '%YAML 1.2\n---\na: 1\n'],
    ['a second document', 'a: 1\n---\nb: 2\n'],
    ['a document end marker', 'a: 1\n...\n'],
    ['an empty document', ''],
    ['a document of comments', '# nothing\n'],
    ['a top-level sequence', '- a\n'],
    ['a top-level scalar', 'hello\n'],
    ['an indented top level', '  a: 1\n'],
    ['a top-level flow mapping', '{ a: 1 }\n'],
    ['odd indentation', 'a:\n    b: 1\n  c: 2\n'],
    ['a number key', '1: one\n'],
    ['a null key', 'null: x\n'],
    ['a boolean key', 'true: x\n'],
    ['an empty key', ': x\n'],
    ['a flow key', '[a]: b\n'],
    ['a key of more than 1000 characters', `${'k'.repeat(1001)}: v\n`],
    ['a nested compact mapping', 'a: b: c\n'],
    ['a compact nested sequence', 'a:\n  - - b\n'],
    ['text after a quoted scalar', 'a: "b" c\n'],
    ['a flow collection over two lines', 'a: [b,\n  c]\n'],
    ['an implicit key in a flow sequence', 'a: [b: c]\n'],
    ['an implicit null in a flow mapping', 'a: { b }\n'],
    ['a trailing comma', 'a: [b, ]\n'],
    ['an empty block scalar', 'a: |\nb: 1\n'],
    ['an indentation indicator', 'a: |2\n   x\n'],
    ['a block scalar at the end of the text without a line break', 'a: |\n  x'],
    ['deeper blank lines at the end of a block scalar', 'a: |\n  x\n    \nb: 1\n'],
    ['a deeper line in a folded scalar', 'a: >\n  x\n   y\n'],
    ['a byte order mark inside the text', 'a: \uFEFFb\n'],
    ['a control character', 'a: b\u0001c\n'],
    ['a line separator', 'a: b\u2028c\n'],
    ['nesting 70 levels deep', `a: ${'['.repeat(70)}${']'.repeat(70)}\n`],
  ])('%s', (_, text) => {
    expect(fastParse(text)).toBeUndefined();
  });
});
