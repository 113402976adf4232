/**
 * A document read by the fast path answers locate and locateInString exactly as the full path
 * does, and runs the full parse only when a location is read: never for a valid workflow.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

import { checkWorkflow } from '../../../engine/check/workflow.js';
import { WorkflowError, type SourceLocation } from '../../../engine/errors.js';
import { createLazyDocument, type LoadedDocument, type YamlPath } from '../../../engine/load/document.js';
import { fastParse } from '../../../engine/load/fast/index.js';
import { parseFully } from '../../../engine/load/full-parse.js';
import { parseWorkflowText } from '../../../engine/load/load.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

const SCALARS = [
  'name: positions',
  'env: { A: "x ${{ inputs.a }}", B: \'it\'\'s ${{ inputs.b }}\', C: plain, D: [1, "two", { e: 3 }] }',
  'description: plain words ${{ inputs.c }}  # and a comment',
  'steps:',
  '  - id: script',
  '    run: |',
  '      echo start',
  '',
  '      echo ${{ inputs.version }}',
  '    with:',
  '      folded: >-',
  '        first',
  '        ${{ inputs.x }}',
  '      quoted: "tab\\t ${{ inputs.y }}"',
  '  -   id: wide',
  '      needs: [script]',
  '  -',
  '    - nested',
  '    -   # a comment',
  '      deeper: ~',
  '',
].join('\n');

/** Every path in `data`, outermost first, with a missing child below each and a missing index. */
function pathsOf(data: unknown, path: YamlPath = []): YamlPath[] {
  const children: YamlPath[] = [];
  if (Array.isArray(data)) data.forEach((item, i) => children.push(...pathsOf(item, [...path, i])));
  else if (data !== null && typeof data === 'object') {
    for (const [key, value] of Object.entries(data)) children.push(...pathsOf(value, [...path, key]));
  }
  return [path, [...path, 'missing'], [...path, 99], ...children];
}

function valueAt(data: unknown, path: YamlPath): unknown {
  return path.reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), data);
}

/** Offsets worth asking for in a string: its ends, its middle, each expression, and out of range. */
function offsetsIn(value: string): number[] {
  const expressions = [...value.matchAll(/\$\{\{/g)].map((match) => match.index);
  return [-1, 0, 1, Math.floor(value.length / 2), value.length - 1, value.length, value.length + 5, ...expressions];
}

/** A location as plain data, read through its getters. */
function plain(location: SourceLocation): SourceLocation {
  return { file: location.file, line: location.line, column: location.column };
}

describe('locate and locateInString on a fast-path document', () => {
  const documents: [string, string][] = [
    ['scalars of every style', SCALARS],
    ['examples/hello.yaml', readFileSync(join(ROOT, 'examples', 'hello.yaml'), 'utf8')],
    ['workflows/deploy.yaml', readFileSync(join(ROOT, 'workflows', 'deploy.yaml'), 'utf8')],
    ['test/fixtures/valid/everything.yaml', readFileSync(join(ROOT, 'test', 'fixtures', 'valid', 'everything.yaml'), 'utf8')],
  ];

  test.each(documents)('%s: the same answer as the full path for every path', (_, text) => {
    expect(fastParse(text)).toBeDefined();
    const fast = parseWorkflowText(text, 'wf.yaml');
    const full = parseFully(text, 'wf.yaml');
    let strings = 0;
    for (const path of pathsOf(full.data)) {
      expect([path, plain(fast.locate(path))]).toEqual([path, full.locate(path)]);
      expect([path, plain(fast.locate(path, 'key'))]).toEqual([path, full.locate(path, 'key')]);
      const value = valueAt(full.data, path);
      const offsets = typeof value === 'string' ? offsetsIn(value) : [0, 3];
      if (typeof value === 'string') strings += 1;
      for (const offset of offsets) {
        expect([path, offset, plain(fast.locateInString(path, offset))]).toEqual([path, offset, full.locateInString(path, offset)]);
      }
    }
    expect(strings).toBeGreaterThan(5);
  });

  test('gives locations that read, spread, compare and serialise like plain ones', () => {
    const fast = parseWorkflowText(SCALARS, 'wf.yaml');
    const location = fast.locateInString(['steps', 0, 'run'], 12);
    expect(location).toStrictEqual({ file: 'wf.yaml', line: 9, column: 7 });
    expect({ ...location }).toStrictEqual({ file: 'wf.yaml', line: 9, column: 7 });
    expect(JSON.stringify(location)).toBe('{"file":"wf.yaml","line":9,"column":7}');
    expect(Object.keys(location)).toEqual(['file', 'line', 'column']);
  });
});

/** A fast-path document of `text` that counts the full parses it runs. */
function countingDocument(text: string, file: string): { doc: LoadedDocument; parses: () => number } {
  let parses = 0;
  const data = fastParse(text);
  expect(data).toBeDefined();
  const doc = createLazyDocument(file, text, data, () => {
    parses += 1;
    return parseFully(text, file);
  });
  return { doc, parses: () => parses };
}

describe('the full parse behind a fast-path document', () => {
  test('runs on the first location read, once, and not on a look-up alone', () => {
    const { doc, parses } = countingDocument('name: a\nsteps:\n  - run: echo\n', 'wf.yaml');
    expect(doc.data).toEqual({ name: 'a', steps: [{ run: 'echo' }] });
    const run = doc.locate(['steps', 0, 'run']);
    const missing = doc.locate(['steps', 5], 'key');
    expect(parses()).toBe(0);
    expect(run.file).toBe('wf.yaml');
    expect(parses()).toBe(0);
    expect(run.line).toBe(3);
    expect(parses()).toBe(1);
    expect(plain(missing)).toEqual({ file: 'wf.yaml', line: 3, column: 3 });
    expect(plain(doc.locateInString(['name'], 0))).toEqual({ file: 'wf.yaml', line: 1, column: 7 });
    expect(parses()).toBe(1);
  });

  test('answers for the path as it was when asked, even if the caller changes its array later', () => {
    const { doc } = countingDocument('a: 1\nb: 2\n', 'wf.yaml');
    const path: (string | number)[] = ['a'];
    const location = doc.locate(path);
    path[0] = 'b';
    expect(location.line).toBe(1);
  });

  const VALID = [
    ...['agents-research', 'browser-login', 'dag', 'failure-handling', 'foreach', 'hello', 'llm-summary', 'parallel', 'retry-timeout', 'subworkflow', 'system-report'].map(
      (name) => join('examples', `${name}.yaml`),
    ),
    join('workflows', 'deploy.yaml'),
    join('bench', 'fixtures', 'small.yaml'),
    join('test', 'fixtures', 'valid', 'everything.yaml'),
  ];

  test.each(VALID)('never runs while %s is checked', async (name) => {
    const file = join(ROOT, name);
    const { doc, parses } = countingDocument(readFileSync(file, 'utf8'), file);
    await expect(checkWorkflow(doc)).resolves.toMatchObject({ file });
    expect(parses()).toBe(0);
  });

  test('runs once for a workflow with problems, which point where the full path points', async () => {
    const file = join(ROOT, 'test', 'fixtures', 'invalid', 'several-problems.yaml');
    const text = readFileSync(file, 'utf8');
    const { doc, parses } = countingDocument(text, file);
    const problemsOf = async (document: LoadedDocument) => {
      const error = await checkWorkflow(document).then(() => undefined, (thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(WorkflowError);
      return (error as WorkflowError).problems.map((p) => ({ ...p, location: plain(p.location) }));
    };
    const problems = await problemsOf(doc);
    expect(problems.length).toBeGreaterThan(1);
    expect(problems).toEqual(await problemsOf(parseFully(text, file)));
    expect(parses()).toBe(1);
  });
});
