/**
 * Every malformed workflow in test/fixtures/invalid/ with the exact problems it must produce:
 * line, column, code and message, in the order `arq validate` prints them. A problem found in
 * another file (a sub-workflow) names that file, relative to the fixtures folder.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

import { checkWorkflow } from '../../../engine/check/workflow.js';
import { WorkflowError, sortProblems, type Problem } from '../../../engine/errors.js';
import { DEFAULT_MAX_BYTES, loadWorkflowFile } from '../../../engine/load/load.js';

const FIXTURES = relative(process.cwd(), fileURLToPath(new URL('../../fixtures/invalid/', import.meta.url)));

/** [line, column, code, message] in the fixture itself, or with a 5th item: the file it is in. */
type Expected = readonly [number, number, string, string, string?];

interface Case {
  readonly file: string;
  readonly problems: readonly Expected[];
}

async function problemsOf(path: string): Promise<Problem[]> {
  try {
    await checkWorkflow(await loadWorkflowFile(path, { displayPath: path }));
  } catch (error) {
    if (error instanceof WorkflowError) return sortProblems(error.problems);
    throw error;
  }
  throw new Error(`${path} was accepted`);
}

function asExpected(problem: Problem, path: string): Expected {
  const { file, line, column } = problem.location;
  if (file === path) return [line, column, problem.code, problem.message];
  return [line, column, problem.code, problem.message, relative(FIXTURES, file)];
}

const cases: readonly Case[] = [
  { file: 'alias-bomb.yaml', problems: [
    [7, 36, 'yaml.alias_bomb', 'Too many alias expansions: aliases here expand the document past 1,000,000 values; anchors and aliases must not nest exponentially'],
  ] },
  { file: 'bad-duration.yaml', problems: [
    [5, 14, 'schema.type', '"timeout" must be a duration like 250ms, 30s, 5m or 1h, or an integer number of milliseconds; found the string "5 minutes"'],
  ] },
  { file: 'bad-step-id.yaml', problems: [
    [3, 9, 'schema.pattern', '"id" must be a name of letters, digits, _ and -, starting with a letter or _ (and not __proto__); found the string "1st-build"'],
  ] },
  { file: 'concurrency-without-foreach.yaml', problems: [
    [5, 5, 'step.misplaced_key', '"concurrency" only applies to a step with foreach:'],
  ] },
  { file: 'concurrency-zero.yaml', problems: [
    [5, 18, 'schema.minimum', '"concurrency" must be at least 1; found the integer 0'],
  ] },
  { file: 'continue-on-error-string.yaml', problems: [
    [4, 24, 'schema.type', '"continue_on_error" must be true or false; found the string "yes"'],
  ] },
  { file: 'defaults-bad-timeout.yaml', problems: [
    [3, 12, 'schema.type', '"timeout" must be a duration like 250ms, 30s, 5m or 1h, or an integer number of milliseconds; found the integer -5'],
  ] },
  { file: 'duration-out-of-range.yaml', problems: [
    [2, 22, 'duration.too_long', 'Duration "1000000h" is too long: at most 24 days (2147483647 ms)'],
    [6, 14, 'duration.too_short', 'Duration "0ms" is too short: a timeout must be at least 1ms'],
    [7, 36, 'duration.too_long', 'Duration "30000h" is too long: at most 24 days (2147483647 ms)'],
    [10, 17, 'input.maximum', '"ms" must be at most 2147483647; found the number Infinity'],
    [11, 14, 'schema.type', '"timeout" must be a duration like 250ms, 30s, 5m or 1h, or an integer number of milliseconds; found the number Infinity'],
  ] },
  { file: 'duplicate-key.yaml', problems: [
    [5, 5, 'yaml.duplicate_key', 'Duplicate key "run": each key may appear only once in a mapping'],
  ] },
  { file: 'duplicate-step-id-in-handler.yaml', problems: [
    [6, 9, 'step.duplicate_id', 'Duplicate step id "deploy": already used at line 3, column 9; step ids must be unique in the whole workflow'],
  ] },
  { file: 'duplicate-step-id.yaml', problems: [
    [7, 13, 'step.duplicate_id', 'Duplicate step id "build": already used at line 3, column 9; step ids must be unique in the whole workflow'],
  ] },
  { file: 'empty.yaml', problems: [
    [1, 1, 'load.not_mapping', 'A workflow must be a mapping of keys (name:, steps:, ...) at the top level; found an empty document'],
  ] },
  { file: 'env-bad-name.yaml', problems: [
    [3, 3, 'schema.key_name', 'Invalid key "NODE-ENV" in "env"; expected an environment variable name (letters, digits and _, not starting with a digit)'],
  ] },
  { file: 'env-value-mapping.yaml', problems: [
    [5, 16, 'schema.type', '"OPTIONS" must be a string, number or boolean; found a mapping'],
  ] },
  { file: 'expr-syntax.yaml', problems: [
    [6, 22, 'expr.syntax', 'Invalid expression `inputs.n ==`: Unexpected end of expression: \'==\''],
  ] },
  { file: 'expr-unknown-context.yaml', problems: [
    [6, 27, 'expr.syntax', 'Invalid expression `github.actor`: Unknown context "github"; expected one of: inputs, env, secrets, steps, run'],
  ] },
  { file: 'expr-unknown-function.yaml', problems: [
    [8, 21, 'expr.syntax', 'Invalid expression `upper(inputs.name)`: Unknown function "upper"; expected one of: contains, startsWith, endsWith, format, join, toJSON, fromJSON, case, success, failure, always, cancelled'],
  ] },
  { file: 'expr-unterminated.yaml', problems: [
    [8, 23, 'expr.syntax', 'Invalid expression `inputs.who`: Unterminated expression: expected \'}}\' to close \'${{\''],
  ] },
  { file: 'foreach-with-parallel.yaml', problems: [
    [5, 5, 'step.foreach_parallel', 'foreach: runs its body once per item; give the body as run:, uses: or steps:, not parallel:'],
  ] },
  { file: 'foreach-wrong-type.yaml', problems: [
    [4, 14, 'schema.type', '"foreach" must be a string or a list; found the integer 3'],
  ] },
  { file: 'hashFiles.yaml', problems: [
    [6, 23, 'expr.syntax', 'Invalid expression `hashFiles(\'package-lock.json\')`: Function \'hashFiles\' is not supported by arq: compute the hash in a `run:` step and use its output'],
  ] },
  { file: 'if-text-outside-expression.yaml', problems: [
    [6, 19, 'expr.syntax', 'Invalid expression `deploy to ${{ inputs.env }}`: Condition has text outside \'${{ }}\', so it is a non-empty string and always true; write the whole condition inside one \'${{ }}\', or without \'${{ }}\''],
  ] },
  { file: 'if-wrong-type.yaml', problems: [
    [4, 9, 'schema.type', '"if" must be a string or a boolean (true or false); found the integer 1'],
  ] },
  { file: 'index-outside-foreach.yaml', problems: [
    [7, 13, 'expr.syntax', 'Invalid expression `index`: "index" is only available in the body of a foreach: step; expected one of: inputs, env, secrets, steps, run'],
  ] },
  { file: 'input-bad-name.yaml', problems: [
    [3, 3, 'schema.key_name', 'Invalid key "release version" in "inputs"; expected a name of letters, digits, _ and -, starting with a letter or _ (and not __proto__)'],
  ] },
  { file: 'input-default-not-in-enum.yaml', problems: [
    [6, 14, 'inputs.default_enum', 'The default of input "env" must be one of "staging", "production"; found the string "prod"'],
  ] },
  { file: 'input-default-wrong-type.yaml', problems: [
    [5, 14, 'inputs.default_type', 'The default of input "count" must be a number; found the string "three"'],
  ] },
  { file: 'input-unknown-type.yaml', problems: [
    [4, 11, 'schema.enum', '"type" must be one of "string", "number", "boolean", "list", "object"; found the string "integer"'],
  ] },
  { file: 'item-outside-foreach.yaml', problems: [
    [6, 27, 'expr.syntax', 'Invalid expression `item`: "item" is only available in the body of a foreach: step; expected one of: inputs, env, secrets, steps, run'],
  ] },
  { file: 'missing-steps.yaml', problems: [
    [1, 1, 'schema.required', 'Missing required key "steps" in the workflow'],
  ] },
  { file: 'multi-document.yaml', problems: [
    [4, 1, 'load.multi_document', 'Found 2 YAML documents; a workflow file holds exactly one'],
  ] },
  { file: 'needs-cycle.yaml', problems: [
    [4, 12, 'needs.cycle', 'Dependency cycle: a -> c -> b -> a; a DAG cannot have cycles'],
  ] },
  { file: 'needs-in-parallel-branch.yaml', problems: [
    [8, 9, 'needs.not_in_dag', '"needs" cannot be used on a branch of a parallel block, where every branch starts at once; put steps that depend on each other in a steps: list'],
  ] },
  { file: 'needs-self.yaml', problems: [
    [6, 12, 'needs.self', 'Step "test" needs itself; a step can only need other steps of its list'],
  ] },
  { file: 'needs-unknown.yaml', problems: [
    [6, 13, 'needs.unknown', 'Unknown step "biuld" in needs. Did you mean "build"? Expected one of the steps in the same list: build'],
  ] },
  { file: 'needs-wrong-type.yaml', problems: [
    [6, 12, 'schema.type', '"needs" must be a step id or a list of step ids; found the integer 3'],
  ] },
  { file: 'not-a-mapping.yaml', problems: [
    [1, 1, 'load.not_mapping', 'A workflow must be a mapping of keys (name:, steps:, ...) at the top level; found a sequence'],
  ] },
  { file: 'outputs-bad-name.yaml', problems: [
    [6, 3, 'schema.key_name', 'Invalid key "build result" in "outputs"; expected a name of letters, digits, _ and -, starting with a letter or _ (and not __proto__)'],
  ] },
  { file: 'proto-id.yaml', problems: [
    [3, 3, 'schema.key_name', 'Invalid key "__proto__" in "inputs"; expected a name of letters, digits, _ and -, starting with a letter or _ (and not __proto__)'],
    [5, 9, 'schema.pattern', '"id" must be a name of letters, digits, _ and -, starting with a letter or _ (and not __proto__); found the string "__proto__"'],
  ] },
  { file: 'ref-dag-unrelated-branch.yaml', problems: [
    [12, 13, 'ref.unreachable', 'Step "lint" may still be running when step "test" starts: step "test" does not need "lint", directly or through its needs:; add "lint" to its needs:'],
  ] },
  { file: 'ref-foreach-body-from-outside.yaml', problems: [
    [11, 17, 'ref.unreachable', 'Step "build" runs once per item of foreach step "each", so it has no single result outside it; read the outputs of "each" instead (one entry per item)'],
  ] },
  { file: 'ref-later-step.yaml', problems: [
    [6, 25, 'ref.unreachable', 'Step "version" runs after step "report"; a step can only read steps that run before it'],
  ] },
  { file: 'ref-self.yaml', problems: [
    [4, 9, 'ref.unreachable', 'Step "build" cannot read its own results: they exist only once it has finished'],
  ] },
  { file: 'ref-unknown-step.yaml', problems: [
    [8, 24, 'ref.unknown_step', 'Unknown step "biuld" in `steps.biuld`. Did you mean "build"?'],
  ] },
  { file: 'ref-unreachable-parallel-sibling.yaml', problems: [
    [10, 21, 'ref.unreachable', 'Step "disk" runs in parallel with step "report", so it may not have finished; read it from a step after the parallel block'],
  ] },
  { file: 'reserved-id.yaml', problems: [
    [6, 9, 'step.reserved_id', 'Step id "x__item" is reserved: ids ending in "__item" name the body of a foreach step'],
  ] },
  { file: 'retry-attempts-zero.yaml', problems: [
    [6, 17, 'schema.minimum', '"attempts" must be at least 1; found the integer 0'],
  ] },
  { file: 'retry-unknown-key.yaml', problems: [
    [7, 7, 'schema.unknown_key', 'Unknown key "delay" in "retry". Expected one of: attempts, backoff, factor, max_delay, jitter'],
  ] },
  { file: 'schedule-missing-cron.yaml', problems: [
    [4, 7, 'schema.required', 'Missing required key "cron" in item 1 of "schedule"'],
  ] },
  { file: 'secret-no-source.yaml', problems: [
    [3, 3, 'secrets.source', 'Secret "TOKEN" has no source; expected env: VARIABLE or file: PATH'],
  ] },
  { file: 'secret-two-sources.yaml', problems: [
    [5, 5, 'secrets.source', 'Secret "TOKEN" has both env: and file:; expected exactly one source'],
  ] },
  { file: 'several-problems.yaml', problems: [
    [3, 35, 'inputs.default_type', 'The default of input "count" must be a number; found the string "3"'],
    [7, 14, 'schema.type', '"timeout" must be a duration like 250ms, 30s, 5m or 1h, or an integer number of milliseconds; found the string "soon"'],
    [8, 9, 'step.duplicate_id', 'Duplicate step id "build": already used at line 5, column 9; step ids must be unique in the whole workflow'],
    [9, 11, 'step.unknown_type', 'Unknown step type "lgo". Did you mean "log"? Run `arq steps` to list the step types'],
    [13, 17, 'ref.unknown_step', 'Unknown step "nothing" in `steps.nothing`. No step has this id; expected the id of a step that runs before this one'],
    [14, 24, 'schema.minimum', '"attempts" must be at least 1; found the integer 0'],
  ] },
  { file: 'shell-on-uses-step.yaml', problems: [
    [5, 5, 'step.misplaced_key', '"shell" only applies to a step with run:'],
  ] },
  { file: 'shell-outputs-bad-decode.yaml', problems: [
    [6, 15, 'input.enum', '"decode" must be one of "json", "text", "lines"; found the string "yaml"'],
  ] },
  { file: 'step-no-body.yaml', problems: [
    [3, 5, 'step.no_body', 'Step "build" has nothing to run; expected one of run:, uses:, steps: or parallel:'],
  ] },
  { file: 'step-not-a-mapping.yaml', problems: [
    [3, 5, 'schema.type', 'Item 1 of "steps" must be a step (a mapping with run:, uses:, steps: or parallel:); found the string "echo hi"'],
  ] },
  { file: 'step-two-bodies.yaml', problems: [
    [5, 5, 'step.many_bodies', 'A step takes only one of run:, uses:, steps: or parallel:; found run: and uses:'],
  ] },
  { file: 'steps-not-a-list.yaml', problems: [
    [3, 3, 'schema.type', '"steps" must be a list; found a mapping'],
  ] },
  { file: 'subworkflow-cycle-a.yaml', problems: [
    [6, 13, 'workflow.cycle', 'Sub-workflow cycle: subworkflow-cycle-a.yaml -> subworkflow-cycle-b.yaml -> subworkflow-cycle-a.yaml; a workflow cannot run itself, directly or through other workflows', 'subworkflow-cycle-b.yaml'],
  ] },
  { file: 'subworkflow-cycle-b.yaml', problems: [
    [6, 13, 'workflow.cycle', 'Sub-workflow cycle: subworkflow-cycle-b.yaml -> subworkflow-cycle-a.yaml -> subworkflow-cycle-b.yaml; a workflow cannot run itself, directly or through other workflows', 'subworkflow-cycle-a.yaml'],
  ] },
  { file: 'subworkflow-invalid-child.yaml', problems: [
    [4, 13, 'input.unknown_key', 'Unknown key "mesage" in the inputs of "log". Did you mean "message"? Expected one of: message', 'parts/broken-child.yaml'],
  ] },
  { file: 'subworkflow-missing-file.yaml', problems: [
    [6, 13, 'workflow.unreadable', 'Cannot read sub-workflow "parts/does-not-exist.yaml": no such file; the path is relative to this workflow\'s file'],
  ] },
  { file: 'subworkflow-missing-input.yaml', problems: [
    [5, 5, 'workflow.missing_input', 'Sub-workflow takes-version.yaml needs input "version"; add it under with: inputs:'],
  ] },
  { file: 'subworkflow-no-path.yaml', problems: [
    [5, 5, 'input.required', 'A `uses: workflow` step needs `with: { path: FILE }`: the sub-workflow to run'],
  ] },
  { file: 'subworkflow-path-expression.yaml', problems: [
    [7, 19, 'input.not_constant', 'The path of a sub-workflow must be a constant file name; expressions are not allowed there'],
  ] },
  { file: 'subworkflow-unknown-input.yaml', problems: [
    [9, 9, 'workflow.unknown_input', 'Unknown input "verison" for sub-workflow takes-version.yaml. Did you mean "version"? Expected one of: version'],
  ] },
  { file: 'unknown-key-typo.yaml', problems: [
    [5, 5, 'schema.unknown_key', 'Unknown key "timout" in step "build". Did you mean "timeout"? Expected one of: id, name, if, env, timeout, retry, continue_on_error, resume, needs, outputs, run, shell, cwd, uses, with, steps, parallel, foreach, concurrency'],
  ] },
  { file: 'unknown-step-type.yaml', problems: [
    [4, 11, 'step.unknown_type', 'Unknown step type "slep". Did you mean "sleep"? Run `arq steps` to list the step types'],
  ] },
  { file: 'unknown-top-level-key.yaml', problems: [
    [2, 1, 'schema.unknown_key', 'Unknown key "jobs" in the workflow. Expected one of: name, description, on, inputs, env, secrets, defaults, permissions, steps, outputs, on_failure, finally, llm, agents'],
  ] },
  { file: 'unsupported-tag.yaml', problems: [
    [3, 10, 'yaml.tag', 'Unsupported tag "!!binary": arq workflows use plain YAML values only'],
  ] },
  { file: 'with-missing-required.yaml', problems: [
    [5, 5, 'input.required', 'Missing required key "message" in the inputs of "log"'],
  ] },
  { file: 'with-on-run-step.yaml', problems: [
    [5, 5, 'step.misplaced_key', '"with" only applies to a step with uses:'],
  ] },
  { file: 'with-unknown-key.yaml', problems: [
    [5, 7, 'input.unknown_key', 'Unknown key "mesage" in the inputs of "log". Did you mean "message"? Expected one of: message'],
  ] },
  { file: 'with-wrong-type.yaml', problems: [
    [6, 11, 'input.type', '"ms" must be an integer; found the string "soon"'],
  ] },
  { file: 'workflow-env-reads-steps.yaml', problems: [
    [3, 16, 'expr.syntax', 'Invalid expression `steps.version.outputs.stdout`: "steps" is not available here; expected one of: inputs, secrets, run'],
  ] },
  { file: 'yaml-bad-indentation.yaml', problems: [
    [5, 1, 'yaml.syntax', 'Sequence item without - indicator'],
  ] },
  { file: 'yaml-syntax.yaml', problems: [
    [7, 1, 'yaml.syntax', 'Missing closing "quote'],
  ] },
  { file: 'yaml-tab-indentation.yaml', problems: [
    [3, 1, 'yaml.syntax', 'Tabs are not allowed as indentation'],
  ] },
  { file: 'yaml-unclosed-flow.yaml', problems: [
    [5, 3, 'yaml.syntax', 'Flow map in block collection must be sufficiently indented and end with a }'],
  ] },

];

describe('checking the malformed workflows of test/fixtures/invalid', () => {
  it.each(cases)('$file is rejected with exactly its problems', async ({ file, problems }) => {
    const path = join(FIXTURES, file);
    const found = (await problemsOf(path)).map((problem) => asExpected(problem, path));
    expect(found).toEqual(problems);
  });

  // parts/ holds the sub-workflows that the subworkflow-* fixtures call; they are checked through them.
  it('has a case for every fixture, so that none goes untested', () => {
    const fixtures = readdirSync(FIXTURES).filter((name) => name.endsWith('.yaml')).sort();
    expect(cases.map((c) => c.file).sort()).toEqual(fixtures);
  });

  it('lists several problems of one file in the order of their lines', async () => {
    const lines = (await problemsOf(join(FIXTURES, 'several-problems.yaml'))).map((p) => p.location.line);
    expect(lines).toEqual([3, 7, 8, 9, 13, 14]);
  });
});

describe('a workflow file that is too large', () => {
  const dir = mkdtempSync(join(tmpdir(), 'arq-too-large-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is rejected before it is parsed, at line 1, with its size and the limit', async () => {
    const path = join(dir, 'too-large.yaml');
    const padding = `# ${'x'.repeat(78)}\n`.repeat(Math.ceil((DEFAULT_MAX_BYTES * 1.5) / 81));
    writeFileSync(path, `name: big\nsteps:\n  - run: echo hi\n${padding}`.slice(0, DEFAULT_MAX_BYTES * 1.5));
    expect((await problemsOf(path)).map((problem) => asExpected(problem, path))).toEqual([
      [1, 1, 'load.too_large', 'File is 1.5 MiB; the limit is 1 MiB'],
    ]);
  });
});
