import { describe, expect, test } from 'vitest';

import type { SourceLocation } from '../../../engine/errors.js';
import { parseWorkflowText } from '../../../engine/load/load.js';

const FILE = 'wf.yaml';

function at(line: number, column: number): SourceLocation {
  return { file: FILE, line, column };
}

const TEXT = [
  'name: release',
  'defaults: &defaults',
  '  timeout: 5m',
  '  retry: { attempts: 2 }',
  'steps:',
  '  - id: build',
  '    run: npm run build',
  '  - id: api',
  '    uses: http.check',
  '    with:',
  '      url: "http://127.0.0.1:8001/health"',
  '      method: GET',
  '  - <<: *defaults',
  '    id: notes',
  "    with: { prompt: 'Write ''notes'' for ${{ inputs.version }}' }",
  '  - id: script',
  '    run: |',
  '      echo start',
  '      echo "$HOME"',
  '      echo ${{ inputs.version }}',
  '    env:',
  '      GREETING: "tab\\there ${{ env.NAME }}"',
  '      FOLDED: >',
  '        first part',
  '        ${{ inputs.x }}',
  '      LONG: plain words',
  '        continue ${{ inputs.y }}',
  '      QUOTED: "one \\',
  '        two ${{ inputs.z }}"',
  '      SHARED: &shared "x ${{ inputs.w }}"',
  '      AGAIN: *shared',
  '      COUNT: 3',
  '',
].join('\n');

const doc = parseWorkflowText(TEXT, FILE);

/** Offset of the first `${{` in the string at `path`, read from the loaded data. */
function expressionOffset(path: readonly (string | number)[]): number {
  let value: unknown = doc.data;
  for (const segment of path) value = (value as Record<string | number, unknown>)[segment];
  const offset = String(value).indexOf('${{');
  expect(offset).toBeGreaterThanOrEqual(0);
  return offset;
}

describe('locate', () => {
  test('points at the value of a nested path by default, and at its key on request', () => {
    expect(doc.locate(['steps', 1, 'with', 'url'])).toEqual(at(11, 12));
    expect(doc.locate(['steps', 1, 'with', 'url'], 'value')).toEqual(at(11, 12));
    expect(doc.locate(['steps', 1, 'with', 'url'], 'key')).toEqual(at(11, 7));
    expect(doc.locate(['steps', 3, 'run'], 'key')).toEqual(at(17, 5));
    expect(doc.locate(['steps', 3, 'run'])).toEqual(at(17, 10));
  });

  test('points at a sequence item when the path ends with an index, even when asked for a key', () => {
    expect(doc.locate(['steps', 1])).toEqual(at(8, 5));
    expect(doc.locate(['steps', 1], 'key')).toEqual(at(8, 5));
  });

  test('points at the start of the document for the empty path', () => {
    expect(doc.locate([])).toEqual(at(1, 1));
    expect(doc.locate([], 'key')).toEqual(at(1, 1));
  });

  test('falls back to the value of the nearest existing ancestor', () => {
    expect(doc.locate(['steps', 1, 'with', 'url', 'deeper'])).toEqual(at(11, 12));
    expect(doc.locate(['steps', 1, 'with', 'missing'], 'key')).toEqual(at(11, 7));
    expect(doc.locate(['steps', 1, 'nope'], 'key')).toEqual(at(8, 5));
    expect(doc.locate(['steps', 99, 'id'])).toEqual(at(6, 3));
    expect(doc.locate(['steps', 'first'])).toEqual(at(6, 3));
    expect(doc.locate(['nothing', 'here'], 'key')).toEqual(at(1, 1));
  });

  test('finds keys brought in by a merge key in the anchored mapping', () => {
    expect(doc.locate(['steps', 2, 'timeout'])).toEqual(at(3, 12));
    expect(doc.locate(['steps', 2, 'timeout'], 'key')).toEqual(at(3, 3));
    expect(doc.locate(['steps', 2, 'retry', 'attempts'])).toEqual(at(4, 22));
    expect(doc.locate(['steps', 2, 'id'], 'key')).toEqual(at(14, 5));
  });

  test('points at an alias where it is used, and follows it for deeper paths', () => {
    expect(doc.locate(['steps', 3, 'env', 'AGAIN'])).toEqual(at(31, 14));
    const aliased = parseWorkflowText('base: &b { with: { url: x } }\nstep: *b\n', FILE);
    expect(aliased.locate(['step'])).toEqual(at(2, 7));
    expect(aliased.locate(['step', 'with', 'url'], 'key')).toEqual(at(1, 20));
  });

  test('accepts an index given as a string and a key given as a number', () => {
    expect(doc.locate(['steps', '1', 'id'])).toEqual(at(8, 9));
    const numbered = parseWorkflowText('codes: { "200": ok }\n', FILE);
    expect(numbered.locate(['codes', 200])).toEqual(at(1, 17));
  });
});

describe('locateInString', () => {
  test('is exact in a plain string', () => {
    expect(doc.locateInString(['steps', 0, 'run'], 4)).toEqual(at(7, 14));
  });

  test('accounts for the opening quote of a double-quoted string', () => {
    expect(doc.locateInString(['steps', 1, 'with', 'url'], 0)).toEqual(at(11, 13));
    expect(doc.locateInString(['steps', 1, 'with', 'url'], 7)).toEqual(at(11, 20));
  });

  test('accounts for escapes in a double-quoted string', () => {
    const path = ['steps', 3, 'env', 'GREETING'];
    expect(doc.locateInString(path, expressionOffset(path))).toEqual(at(22, 28));
  });

  test("accounts for doubled quotes ('') in a single-quoted string", () => {
    const path = ['steps', 2, 'with', 'prompt'];
    expect(doc.locateInString(path, expressionOffset(path))).toEqual(at(15, 42));
  });

  test('finds the line and column in a literal block scalar', () => {
    const path = ['steps', 3, 'run'];
    expect(doc.locateInString(path, 0)).toEqual(at(18, 7));
    expect(doc.locateInString(path, expressionOffset(path))).toEqual(at(20, 12));
  });

  test('finds the line and column in a folded block scalar', () => {
    const path = ['steps', 3, 'env', 'FOLDED'];
    expect(doc.locateInString(path, expressionOffset(path))).toEqual(at(25, 9));
  });

  test('follows line folding in multi-line plain and double-quoted strings', () => {
    const plain = ['steps', 3, 'env', 'LONG'];
    expect(doc.locateInString(plain, expressionOffset(plain))).toEqual(at(27, 18));
    const quoted = ['steps', 3, 'env', 'QUOTED'];
    expect(doc.locateInString(quoted, expressionOffset(quoted))).toEqual(at(29, 13));
  });

  test('points into the anchored string when the path holds an alias', () => {
    expect(doc.locateInString(['steps', 3, 'env', 'AGAIN'], 2)).toEqual(at(30, 26));
  });

  test('clamps an offset past the end of the string to its end', () => {
    expect(doc.locateInString(['steps', 1, 'with', 'url'], 999)).toEqual(at(11, 41));
  });

  test('falls back to locate for a value that is not a string, or a path that does not exist', () => {
    expect(doc.locateInString(['steps', 3, 'env', 'COUNT'], 1)).toEqual(at(32, 14));
    expect(doc.locateInString(['steps', 1, 'with'], 3)).toEqual(at(11, 7));
    expect(doc.locateInString(['steps', 1, 'with', 'missing'], 3)).toEqual(at(11, 7));
  });

  test('is exact for strings with astral characters and \\u escapes', () => {
    const text = 'a: "\\U0001F600 \\u00e9 ${{ x }}"\nb: 😀 ${{ y }}\n';
    const emoji = parseWorkflowText(text, FILE);
    expect(emoji.data).toEqual({ a: '😀 é ${{ x }}', b: '😀 ${{ y }}' });
    expect(emoji.locateInString(['a'], 5)).toEqual(at(1, 23));
    expect(emoji.locateInString(['b'], 3)).toEqual(at(2, 7));
  });

  test('handles CRLF line endings in block scalars', () => {
    const crlf = parseWorkflowText('run: |\r\n  one\r\n  two ${{ x }}\r\n', FILE);
    expect(crlf.data).toEqual({ run: 'one\ntwo ${{ x }}\n' });
    expect(crlf.locateInString(['run'], 8)).toEqual(at(3, 7));
  });
});

describe('locate on a large document', () => {
  // A fast-path document runs the full parse when its first location is read, and each location
  // is looked up when read: read one before the clock starts, and read every line inside the loop.
  test('answers one look-up per step of 10,000 steps, each at its own line', () => {
    const steps = Array.from({ length: 10_000 }, (_, i) => `  - id: s${i}\n    run: echo \${{ inputs.n${i} }}`);
    const big = parseWorkflowText(`steps:\n${steps.join('\n')}\n`, FILE);
    expect(big.locate([]).line).toBe(1);
    const lines: number[] = [];
    for (let i = 0; i < 10_000; i += 1) {
      lines.push(big.locate(['steps', i, 'id'], 'key').line, big.locateInString(['steps', i, 'run'], 5).line);
    }
    expect(lines).toEqual(Array.from({ length: 10_000 }, (_, i) => [2 * i + 2, 2 * i + 3]).flat());
    expect(big.locate(['steps', 9_999, 'id'], 'key')).toEqual(at(20_000, 5));
    expect(big.locateInString(['steps', 9_999, 'run'], 5)).toEqual(at(20_001, 15));
  });

  test('finds each of the 10,000 keys of one mapping at its own line', () => {
    const keys = Array.from({ length: 10_000 }, (_, i) => `  K${i}: v${i}`);
    const big = parseWorkflowText(`env:\n${keys.join('\n')}\n`, FILE);
    expect(big.locate([]).line).toBe(1);
    const lines: number[] = [];
    for (let i = 0; i < 10_000; i += 1) lines.push(big.locate(['env', `K${i}`], 'key').line);
    expect(lines).toEqual(Array.from({ length: 10_000 }, (_, i) => i + 2));
    expect(big.locate(['env', 'K9999'])).toEqual(at(10_001, 10));
  });
});
