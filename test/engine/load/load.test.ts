import { describe, expect, test } from 'vitest';

import { WorkflowError, type Problem, type SourceLocation } from '../../../engine/errors.js';
import { DEFAULT_MAX_BYTES, parseWorkflowText } from '../../../engine/load/load.js';

const FILE = 'wf.yaml';

function at(line: number, column: number): SourceLocation {
  return { file: FILE, line, column };
}

function problemsOf(text: string, options?: { maxBytes?: number }): Problem[] {
  try {
    parseWorkflowText(text, FILE, options);
  } catch (error) {
    if (error instanceof WorkflowError) return [...error.problems];
    throw error;
  }
  throw new Error('expected the document to be rejected');
}

const NOT_MAPPING = 'A workflow must be a mapping of keys (name:, steps:, ...) at the top level; found';

describe('parseWorkflowText on a valid workflow', () => {
  test('returns the document as plain data, with the text and file it was given', () => {
    const text = [
      'name: release',
      'on: { schedule: [{ cron: "0 3 * * *" }] }',
      'env: { NODE_ENV: production, DEBUG: no, COUNT: 3, RATIO: 0.5, EMPTY: ~ }',
      'steps:',
      '  - id: build',
      '    run: |',
      '      npm ci',
      '      npm run build',
      '    continue_on_error: true',
      '',
    ].join('\n');
    const doc = parseWorkflowText(text, FILE);
    expect(doc.file).toBe(FILE);
    expect(doc.text).toBe(text);
    expect(doc.data).toEqual({
      name: 'release',
      on: { schedule: [{ cron: '0 3 * * *' }] },
      env: { NODE_ENV: 'production', DEBUG: 'no', COUNT: 3, RATIO: 0.5, EMPTY: null },
      steps: [{ id: 'build', run: 'npm ci\nnpm run build\n', continue_on_error: true }],
    });
  });

  test('reads YAML 1.2 even when the file asks for 1.1, so yes/on stay strings and dates stay text', () => {
    const doc = parseWorkflowText('%YAML 1.1\n---\nflag: yes\nday: 2001-12-14\n', FILE);
    expect(doc.data).toEqual({ flag: 'yes', day: '2001-12-14' });
  });

  test('allows core tags that fit their value', () => {
    const doc = parseWorkflowText('version: !!str 1.10\ncount: !!int "3"\n', FILE);
    expect(doc.data).toEqual({ version: '1.10', count: 3 });
  });

  test('strips a UTF-8 byte order mark, and counts columns without it', () => {
    const doc = parseWorkflowText('\uFEFFname: bom\nsteps: []\n', FILE);
    expect(doc.data).toEqual({ name: 'bom', steps: [] });
    expect(doc.text).toBe('name: bom\nsteps: []\n');
    expect(doc.locate(['name'])).toEqual(at(1, 7));
    expect(problemsOf('\uFEFFname: a: b\n')).toEqual([
      { code: 'yaml.syntax', message: 'Nested mappings are not allowed in compact mappings', location: at(1, 7) },
    ]);
  });

  test('shares anchored values through aliases and merge keys, explicit keys winning', () => {
    const text = [
      'defaults: &defaults { timeout: 5m, retry: { attempts: 2 } }',
      'image: &image node:20',
      'steps:',
      '  - <<: *defaults',
      '    id: a',
      '    timeout: 1m',
      '  - <<: [*defaults, { shell: bash, timeout: 9m }]',
      '    id: b',
      '    with: { image: *image }',
      '',
    ].join('\n');
    expect(parseWorkflowText(text, FILE).data).toEqual({
      defaults: { timeout: '5m', retry: { attempts: 2 } },
      image: 'node:20',
      steps: [
        { id: 'a', timeout: '1m', retry: { attempts: 2 } },
        { id: 'b', timeout: '5m', retry: { attempts: 2 }, shell: 'bash', with: { image: 'node:20' } },
      ],
    });
  });

  test('loads 10,000 steps that all merge the same defaults', () => {
    const steps = Array.from({ length: 10_000 }, (_, i) => `  - { <<: *d, id: s${i}, run: echo ${i} }`);
    const text = `defaults: &d { timeout: 5m, retry: { attempts: 2, backoff: 1s } }\nsteps:\n${steps.join('\n')}\n`;
    const data = parseWorkflowText(text, FILE).data as { steps: unknown[] };
    expect(data.steps).toHaveLength(10_000);
    expect(data.steps[9_999]).toEqual({ id: 's9999', run: 'echo 9999', timeout: '5m', retry: { attempts: 2, backoff: '1s' } });
  });
});

describe('parseWorkflowText problems', () => {
  test('reports YAML syntax errors with their position and the first line of the message only', () => {
    expect(problemsOf('name: a: b\nsteps:\n\t- run: x\n')).toEqual([
      { code: 'yaml.syntax', message: 'Nested mappings are not allowed in compact mappings', location: at(1, 7) },
      { code: 'yaml.syntax', message: 'Tabs are not allowed as indentation', location: at(3, 1) },
    ]);
  });

  test('reports an unclosed flow collection where the input ends', () => {
    expect(problemsOf('name: x\nsteps: [a, b\n')).toEqual([
      { code: 'yaml.syntax', message: 'Flow sequence in block collection must be sufficiently indented and end with a ]', location: at(3, 1) },
    ]);
  });

  test('reports a duplicate key at its second occurrence, in every mapping', () => {
    expect(problemsOf('name: a\nsteps:\n  - id: x\n    id: y\nname: b\nenv: { A: 1, A: 2 }\n')).toEqual([
      { code: 'yaml.duplicate_key', message: 'Duplicate key "id": each key may appear only once in a mapping', location: at(4, 5) },
      { code: 'yaml.duplicate_key', message: 'Duplicate key "name": each key may appear only once in a mapping', location: at(5, 1) },
      { code: 'yaml.duplicate_key', message: 'Duplicate key "A": each key may appear only once in a mapping', location: at(6, 14) },
    ]);
  });

  test('does not count keys brought in by a merge key as duplicates', () => {
    const doc = parseWorkflowText('d: &d { a: 1 }\nx: { <<: *d, a: 2 }\n', FILE);
    expect(doc.data).toEqual({ d: { a: 1 }, x: { a: 2 } });
  });

  test('reports keys that are not strings, with a hint for scalars', () => {
    expect(problemsOf('1: one\n[a]: b\n{ k: v }: c\nnull: n\ntrue: t\n: empty\n"2": fine\n')).toEqual([
      { code: 'yaml.key_type', message: 'Keys must be strings; found a number key (quote it: "1")', location: at(1, 1) },
      { code: 'yaml.key_type', message: 'Keys must be strings; found a sequence key', location: at(2, 1) },
      { code: 'yaml.key_type', message: 'Keys must be strings; found a mapping key', location: at(3, 1) },
      { code: 'yaml.key_type', message: 'Keys must be strings; found a null key (quote it: "null")', location: at(4, 1) },
      { code: 'yaml.key_type', message: 'Keys must be strings; found a boolean key (quote it: "true")', location: at(5, 1) },
      { code: 'yaml.key_type', message: 'Keys must be strings; found a null key', location: at(6, 1) },
    ]);
  });

  test('reports unsupported tags and never resolves them', () => {
    const text = 'a: !foo bar\nb: !!js/function "function () { process.exit(1) }"\nc: !!binary aGk=\nd: !!set { x }\ne: !<tag:example.com,2000:x> 1\n';
    const message = (tag: string): string => `Unsupported tag "${tag}": arq workflows use plain YAML values only`;
    expect(problemsOf(text)).toEqual([
      { code: 'yaml.tag', message: message('!foo'), location: at(1, 4) },
      { code: 'yaml.tag', message: message('!!js/function'), location: at(2, 4) },
      { code: 'yaml.tag', message: message('!!binary'), location: at(3, 4) },
      { code: 'yaml.tag', message: message('!!set'), location: at(4, 4) },
      { code: 'yaml.tag', message: message('!<tag:example.com,2000:x>'), location: at(5, 4) },
    ]);
  });

  test('reports a core tag that does not fit its value', () => {
    expect(problemsOf('count: !!int many\n')).toEqual([
      { code: 'yaml.tag', message: 'Tag "!!int" does not fit this value; remove the tag or write a value of that type', location: at(1, 8) },
    ]);
  });

  test.each([
    ['a sequence', '- run: echo\n', at(1, 1)],
    ['a string', 'hello\n', at(1, 1)],
    ['a number', '\n  42\n', at(2, 3)],
    ['a boolean', 'true\n', at(1, 1)],
    ['null', '~\n', at(1, 1)],
    ['an empty document', '', at(1, 1)],
    ['an empty document', '# only a comment\n', at(1, 1)],
    ['an empty document', '---\n', at(1, 1)],
  ])('reports a top level that is %s', (found, text, location) => {
    expect(problemsOf(text)).toEqual([{ code: 'load.not_mapping', message: `${NOT_MAPPING} ${found}`, location }]);
  });

  test('reports a second document at its start marker, counting all documents', () => {
    expect(problemsOf('name: a\n---\nname: b\n')).toEqual([
      { code: 'load.multi_document', message: 'Found 2 YAML documents; a workflow file holds exactly one', location: at(2, 1) },
    ]);
    expect(problemsOf('---\nname: a\n--- \nname: b\n---\n- c\n')).toEqual([
      { code: 'load.multi_document', message: 'Found 3 YAML documents; a workflow file holds exactly one', location: at(3, 1) },
    ]);
  });

  test('accepts one document with explicit start and end markers', () => {
    expect(parseWorkflowText('---\nname: a\n...\n', FILE).data).toEqual({ name: 'a' });
  });

  test('reports text over the size limit before parsing it', () => {
    const text = `name: x\n${'#'.repeat(1.5 * 1024 * 1024)}\n: : :`;
    expect(problemsOf(text)).toEqual([
      { code: 'load.too_large', message: 'File is 1.5 MiB; the limit is 1 MiB', location: at(1, 1) },
    ]);
    expect(problemsOf('name: é\n', { maxBytes: 8 })).toEqual([
      { code: 'load.too_large', message: 'File is 9 B; the limit is 8 B', location: at(1, 1) },
    ]);
  });

  test('shows exact byte counts when both sizes would round to the same text', () => {
    expect(problemsOf('#'.repeat(DEFAULT_MAX_BYTES + 1))).toEqual([
      { code: 'load.too_large', message: 'File is 1048577 B; the limit is 1048576 B', location: at(1, 1) },
    ]);
  });

  test('accepts text of exactly the limit', () => {
    expect(parseWorkflowText('a: 1\n', FILE, { maxBytes: 5 }).data).toEqual({ a: 1 });
  });

  test('reports an alias with no anchor before it', () => {
    expect(problemsOf('a: *later\nb: &later 1\n')).toEqual([
      { code: 'yaml.unknown_alias', message: 'Alias "*later" has no anchor "&later" before it; define the anchor first', location: at(1, 4) },
    ]);
  });

  test('reports an alias inside the node it refers to', () => {
    expect(problemsOf('steps: &s\n  - run: echo\n  - *s\n')).toEqual([
      {
        code: 'yaml.alias_cycle',
        message: 'Alias "*s" is used inside the node it refers to; recursive structures are not supported',
        location: at(3, 5),
      },
    ]);
  });

  test('reports merge keys whose sources are not mappings', () => {
    const message = 'Merge key "<<" takes a mapping, an alias of one, or a list of them; found';
    expect(problemsOf('s: &s text\na: { <<: *s }\nb:\n  <<: [{ x: 1 }, 2]\n')).toEqual([
      { code: 'yaml.merge', message: `${message} a string`, location: at(2, 10) },
      { code: 'yaml.merge', message: `${message} a number`, location: at(4, 18) },
    ]);
  });

  test('stops a billion-laughs document at the alias that passes the limit', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (const [previous, name] of ['ab', 'bc', 'cd', 'de', 'ef', 'fg', 'gh', 'hi']) {
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
    }
    const problems = problemsOf(`${levels.join('\n')}\n`);
    expect(problems).toEqual([
      {
        code: 'yaml.alias_bomb',
        message:
          'Too many alias expansions: aliases here expand the document past 1,000,000 values; anchors and aliases must not nest exponentially',
        location: at(7, 8),
      },
    ]);
  });

  test('stops merge keys that double the document at every level', () => {
    const levels = ['m0: &m0 { a: 1 }'];
    for (let i = 1; i <= 40; i += 1) levels.push(`m${i}: &m${i} { <<: *m${i - 1}, x: { <<: *m${i - 1} } }`);
    const problems = problemsOf(`${levels.join('\n')}\n`);
    expect(problems.map((p) => [p.code, p.location])).toEqual([['yaml.alias_bomb', at(17, 32)]]);
  });

  test('reports every problem at once, ordered by position', () => {
    const problems = problemsOf('a: 1\nb: !foo x\na: 2\n---\n- x\n');
    expect(problems.map((p) => `${p.location.line}:${p.location.column} ${p.code}`)).toEqual([
      '2:4 yaml.tag',
      '3:1 yaml.duplicate_key',
      '4:1 load.multi_document',
    ]);
  });

  test('reports nesting too deep for the parser as a problem, not a crash', () => {
    const problems = problemsOf(`a: ${'['.repeat(5000)}${']'.repeat(5000)}\n`);
    expect(problems[0]).toMatchObject({
      code: 'yaml.too_deep',
      message: 'Collections are nested too deeply to read; flatten the structure',
      location: { file: FILE, line: 1 },
    });
  });

  test('throws a WorkflowError whose message lists file:line:col for each problem', () => {
    expect(() => parseWorkflowText('name: a\nname: b\n', FILE)).toThrow(
      new WorkflowError([
        { code: 'yaml.duplicate_key', message: 'Duplicate key "name": each key may appear only once in a mapping', location: at(2, 1) },
      ]),
    );
    expect(() => parseWorkflowText('name: a\nname: b\n', FILE)).toThrow(
      'wf.yaml:2:1: Duplicate key "name": each key may appear only once in a mapping [yaml.duplicate_key]',
    );
  });
});
