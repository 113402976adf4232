/** `arq validate FILE...` as a user runs it: the built CLI in a child process. */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'dist', 'engine', 'cli', 'main.js');
const INVALID = 'test/fixtures/invalid';
const STACK_FRAME = /\n\s+at /;

interface Result {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `arq validate` from the package root, so file names print as they are given. */
function validate(...files: string[]): Result {
  const { status, stdout, stderr } = spawnSync(process.execPath, [CLI, 'validate', ...files], { cwd: ROOT, encoding: 'utf8' });
  return { status, stdout, stderr };
}

beforeAll(() => {
  // `npm test` builds first; a bare `vitest run` in a fresh checkout builds here.
  if (!existsSync(CLI)) spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: ROOT });
  expect(existsSync(CLI)).toBe(true);
});

describe('arq validate', () => {
  it('prints "ok" with the number of steps for each valid file, and exits 0', () => {
    expect(validate('test/fixtures/valid/everything.yaml', 'test/fixtures/valid/dag.yaml')).toEqual({
      status: 0,
      stdout: 'test/fixtures/valid/everything.yaml: ok (21 steps)\ntest/fixtures/valid/dag.yaml: ok (4 steps)\n',
      stderr: '',
    });
  });

  it('prints every problem of every file as file:line:col: message [code], then the count, and exits 2', () => {
    const result = validate('test/fixtures/valid/dag.yaml', `${INVALID}/needs-cycle.yaml`, `${INVALID}/several-problems.yaml`, `${INVALID}/yaml-syntax.yaml`);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('test/fixtures/valid/dag.yaml: ok (4 steps)\n');
    expect(result.stderr).toBe([
      `${INVALID}/needs-cycle.yaml:4:12: Dependency cycle: a -> c -> b -> a; a DAG cannot have cycles [needs.cycle]`,
      `${INVALID}/several-problems.yaml:3:35: The default of input "count" must be a number; found the string "3" [inputs.default_type]`,
      `${INVALID}/several-problems.yaml:7:14: "timeout" must be a duration like 250ms, 30s, 5m or 1h, or an integer number of milliseconds; found the string "soon" [schema.type]`,
      `${INVALID}/several-problems.yaml:8:9: Duplicate step id "build": already used at line 5, column 9; step ids must be unique in the whole workflow [step.duplicate_id]`,
      `${INVALID}/several-problems.yaml:9:11: Unknown step type "lgo". Did you mean "log"? Run \`arq steps\` to list the step types [step.unknown_type]`,
      `${INVALID}/several-problems.yaml:13:17: Unknown step "nothing" in \`steps.nothing\`. No step has this id; expected the id of a step that runs before this one [ref.unknown_step]`,
      `${INVALID}/several-problems.yaml:14:24: "attempts" must be at least 1; found the integer 0 [schema.minimum]`,
      `${INVALID}/yaml-syntax.yaml:7:1: Missing closing "quote [yaml.syntax]`,
      '8 problems found',
      '',
    ].join('\n'));
    expect(result.stderr).not.toMatch(STACK_FRAME);
  });

  it('reports a problem in a sub-workflow at its own file, named relative to where arq runs', () => {
    expect(validate(`${INVALID}/subworkflow-invalid-child.yaml`)).toEqual({
      status: 2,
      stdout: '',
      stderr: `${INVALID}/parts/broken-child.yaml:4:13: Unknown key "mesage" in the inputs of "log". Did you mean "message"? Expected one of: message [input.unknown_key]\n1 problem found\n`,
    });
  });

  it('reports a file that does not exist as a problem of that file, and exits 2', () => {
    expect(validate(`${INVALID}/no-such-file.yaml`)).toEqual({
      status: 2,
      stdout: '',
      stderr: `${INVALID}/no-such-file.yaml:1:1: Cannot read file: no such file [load.unreadable]\n1 problem found\n`,
    });
  });

  it('reports a directory given as a file without a stack trace', () => {
    expect(validate(INVALID)).toEqual({
      status: 2,
      stdout: '',
      stderr: `${INVALID}:1:1: Cannot read file: is a directory [load.unreadable]\n1 problem found\n`,
    });
  });

  it('checks every malformed fixture in one run: each line is a located problem, and no stack trace is printed', () => {
    const files = readdirSync(join(ROOT, INVALID)).filter((name) => name.endsWith('.yaml')).map((name) => `${INVALID}/${name}`);
    const result = validate(...files);
    const lines = result.stderr.trimEnd().split('\n');
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).not.toMatch(STACK_FRAME);
    expect(lines.slice(0, -1).filter((line) => !/^test\/fixtures\/invalid\/[^:]+\.yaml:\d+:\d+: .+ \[[a-z_]+\.[a-z_]+\]$/.test(line))).toEqual([]);
    expect(lines.at(-1)).toBe(`${lines.length - 1} problems found`);
    expect(lines.length - 1).toBeGreaterThanOrEqual(files.length);
  });
});
