/**
 * The fast path against the full path (yaml): whenever the fast path reads a text, its data is
 * the full path's data, and every text the full path rejects is left to the full path, so errors
 * are reported exactly as before. Inputs: every YAML file in the repository, the bench shapes,
 * and seeded random documents in and just outside the fast path's subset.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, test } from 'vitest';

import { WorkflowError, type Problem } from '../../../engine/errors.js';
import { fastParse } from '../../../engine/load/fast/index.js';
import { parseFully } from '../../../engine/load/full-parse.js';
import { parseWorkflowText } from '../../../engine/load/load.js';
import { SampleWriter } from '../../helpers/yaml-samples.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const { arqYaml } = (await import(pathToFileURL(join(ROOT, 'bench', 'lib', 'shapes.mjs')).href)) as {
  arqYaml: Record<'chain' | 'foreach' | 'parallel' | 'dag' | 'shell', (n: number, literal?: boolean) => string>;
};

type Outcome = { data: unknown } | { problems: readonly Problem[] };

function fully(text: string): Outcome {
  try {
    return { data: parseFully(text, 'wf.yaml').data };
  } catch (error) {
    if (error instanceof WorkflowError) return { problems: error.problems };
    throw error;
  }
}

/** What parseWorkflowText gives: its data, or the problems it throws. */
function loaded(text: string): Outcome {
  try {
    return { data: parseWorkflowText(text, 'wf.yaml').data };
  } catch (error) {
    if (error instanceof WorkflowError) return { problems: error.problems };
    throw error;
  }
}

/**
 * Deep equality that tells -0 from 0 and prototypes apart, and that a `constructor` key holding
 * data does not confuse (toStrictEqual compares `constructor` properties); toEqual shows a diff.
 */
function expectSame(actual: Outcome, expected: Outcome): void {
  if (!isDeepStrictEqual(actual, expected)) expect(actual).toEqual(expected);
  expect(isDeepStrictEqual(actual, expected)).toBe(true);
}

/** Checks one text both ways; true when the fast path read it. */
function agrees(text: string): boolean {
  const fast = fastParse(text);
  const full = fully(text);
  if (fast === undefined) {
    expectSame(loaded(text), full);
    return false;
  }
  expectSame({ data: fast }, full);
  return true;
}

/** A file's text as parseWorkflowText hands it over: without a byte order mark. */
function readText(file: string): string {
  return readFileSync(join(ROOT, file), 'utf8').replace(/^\uFEFF/, '');
}

const REPO_YAML = ['examples', 'workflows', 'bench/fixtures', 'test/fixtures'].flatMap((dir) =>
  readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => relative(ROOT, join(ROOT, dir, name))),
).sort();

/** Valid files the fast path leaves to the full path, and why. */
const LEFT_TO_FULL_PATH = [
  'test/fixtures/invalid/alias-bomb.yaml', // anchors and aliases
  'test/fixtures/invalid/duration-out-of-range.yaml', // 1e400
  'test/fixtures/load/release.yaml', // an anchor and a merge key
];

describe('the fast path on every YAML file of the repository', () => {
  const fastFiles = REPO_YAML.filter((file) => {
    const text = readText(file);
    return fastParse(text) !== undefined;
  });

  test('reads every example and shipped workflow, and every valid fixture but those listed', () => {
    const invalid = REPO_YAML.filter((file) => 'problems' in fully(readText(file)));
    const leftOver = REPO_YAML.filter((file) => !fastFiles.includes(file) && !invalid.includes(file));
    expect(leftOver).toEqual(LEFT_TO_FULL_PATH.filter((file) => !invalid.includes(file)));
    expect(REPO_YAML.filter((file) => /^(examples|workflows|bench)\//.test(file)).every((file) => fastFiles.includes(file))).toBe(true);
  });

  test.each(REPO_YAML)('%s: the same data, or the same problems', (file) => {
    agrees(readText(file));
  });
});

describe('the fast path on the bench shapes', () => {
  test.each([1, 10, 100, 1000])('reads every shape of %i steps', (n) => {
    const texts = [arqYaml.chain(n), arqYaml.foreach(n), arqYaml.foreach(n, true), arqYaml.parallel(n), arqYaml.dag(n), arqYaml.shell(n)];
    expect(texts.map((text) => agrees(text))).toEqual([true, true, true, true, true, true]);
  });
});

describe('the fast path on seeded random documents', () => {
  // wild: how often a choice leaves the common forms; floor: documents the fast path must read.
  test.each([
    { wild: 0, floor: 1600 },
    { wild: 0.1, floor: 1000 },
    { wild: 0.3, floor: 600 },
    { wild: 1, floor: 200 },
  ])('2,000 documents at wildness $wild: the same data, or left to the full path', ({ wild, floor }) => {
    let read = 0;
    for (let seed = 0; seed < 2000; seed += 1) {
      const text = new SampleWriter(seed, wild).document();
      if (agrees(text)) read += 1;
    }
    expect(read).toBeGreaterThan(floor);
  });
});
