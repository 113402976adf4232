import { appendFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/workflow.js';

/** Each step appends its name to `marks`: a step that ran twice shows twice. */
const WORKFLOW = `name: resumable
steps:
  - id: one
    run: echo one >> marks; echo "v=1" >> "$ARQ_OUTPUT"
  - id: two
    run: |
      echo two >> marks
      echo waiting
      for i in $(seq 1 300); do [ -e go ] && break; sleep 0.1; done
      echo "v=2" >> "$ARQ_OUTPUT"
  - id: flaky
    run: |
      echo flaky >> marks
      [ -e pass ] || exit 1
    retry: { attempts: 3, backoff: 1s }
  - id: three
    run: echo three >> marks; echo "sum=\${{ steps.one.outputs.v }}\${{ steps.two.outputs.v }}" >> "$ARQ_OUTPUT"
outputs:
  sum: \${{ steps.three.outputs.sum }}
`;

function freshDir(): string {
  const dir = tempDir('arq-resume-');
  writeFileSync(join(dir, 'wf.yaml'), WORKFLOW);
  return dir;
}

const marks = (dir: string) => readFileSync(join(dir, 'marks'), 'utf8').trim().split('\n');
const count = (lines: string[], step: string) => lines.filter((l) => l === step).length;
const onlyRun = (dir: string) => readdirSync(join(dir, '.arq', 'runs'))[0]!;

/** Starts the workflow, kills the runner with SIGKILL once `text` was printed; returns the run id. */
async function killWhen(dir: string, text: string): Promise<string> {
  const cli = startCli(['run', 'wf.yaml'], dir);
  await cli.waitFor(text);
  cli.child.kill('SIGKILL');
  expect((await cli.done).signal).toBe('SIGKILL');
  return onlyRun(dir);
}

async function resume(dir: string, id: string, ...args: string[]) {
  // The step waiting for `go` outlived its runner: let it end, as the resumed one will.
  writeFileSync(join(dir, 'go'), '');
  writeFileSync(join(dir, 'pass'), '');
  return runCli(['resume', id, ...args], dir);
}

describe('arq resume after the runner was killed', () => {
  it('gives the same outputs as a run that was never interrupted', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'go'), '');
    writeFileSync(join(dir, 'pass'), '');
    const result = await runCli(['run', 'wf.yaml'], dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('outputs: {"sum":"12"}\n');
    expect(marks(dir)).toEqual(['one', 'two', 'flaky', 'three']);
  });

  it('killed during a shell step: the step runs again, the step before it does not', async () => {
    const dir = freshDir();
    const id = await killWhen(dir, 'two | waiting');
    const runs = await runCli(['runs'], dir);
    expect(runs.stdout).toContain(`${id} was interrupted (its runner is gone); resume with: arq resume ${id}`);
    const result = await resume(dir, id);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`run ${id} resumed: resumable\n✓ one succeeded (done before the resume, not run again)\n▶ two\n`);
    expect(result.stdout).toContain('outputs: {"sum":"12"}\n');
    expect(marks(dir)).toEqual(['one', 'two', 'two', 'flaky', 'three']);
  });

  it('killed between steps: no step that succeeded runs again', async () => {
    const dir = freshDir();
    const id = await killWhen(dir, '✓ one succeeded');
    const result = await resume(dir, id);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('outputs: {"sum":"12"}\n');
    const lines = marks(dir);
    expect([count(lines, 'one'), count(lines, 'flaky'), count(lines, 'three')]).toEqual([1, 1, 1]);
  });

  it('killed during a retry backoff: the retry count and the rest of the delay carry on', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'go'), '');
    const id = await killWhen(dir, '↻ flaky attempt 1 failed');
    const result = await resume(dir, id);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('▶ flaky (attempt 2)\n✓ flaky succeeded');
    expect(result.stdout).toContain('outputs: {"sum":"12"}\n');
    expect(marks(dir)).toEqual(['one', 'two', 'flaky', 'flaky', 'three']);
  });

  it('fails a step that was running and says resume: fail, instead of running it twice', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'wf.yaml'), WORKFLOW.replace('  - id: two\n', '  - id: two\n    resume: fail\n'));
    const id = await killWhen(dir, 'two | waiting');
    const result = await resume(dir, id);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('✗ two failed (0ms): The runner stopped while this step ran, and the step says resume: fail\n');
    expect(marks(dir)).toEqual(['one', 'two']);
  });

  it('reads a journal whose last line was cut in half', async () => {
    const dir = freshDir();
    const id = await killWhen(dir, 'two | waiting');
    appendFileSync(join(dir, '.arq', 'runs', id, 'journal.jsonl'), '{"type":"step.fini');
    rmSync(join(dir, '.arq', 'runs', id, 'run.json'));
    expect((await runCli(['runs'], dir)).stdout).toContain(`${id}  resumable  interrupted`);
    const result = await resume(dir, id);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('outputs: {"sum":"12"}\n');
  });

  it('refuses a changed workflow unless --force, and a run that already ended', async () => {
    const dir = freshDir();
    const id = await killWhen(dir, 'two | waiting');
    writeFileSync(join(dir, 'wf.yaml'), WORKFLOW.replace('name: resumable', 'name: resumable # edited'));
    const refused = await resume(dir, id);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(`Workflow file ${join(dir, 'wf.yaml')} (or a sub-workflow it calls) changed since run ${id} started; resume with --force to run the current version\n`);
    const forced = await resume(dir, id, '--force');
    expect(forced.code).toBe(0);
    const again = await resume(dir, id);
    expect(again.code).toBe(2);
    expect(again.stderr).toBe(`Run ${id} already ended (succeeded); only an interrupted run can be resumed\n`);
  });
});

describe('arq resume and timeouts', () => {
  it('keeps the deadline of the attempt that was running: a crash does not reset a timeout', async () => {
    const dir = tempDir('arq-resume-deadline-');
    writeFileSync(join(dir, 'wf.yaml'), `name: deadline
steps:
  - id: slow
    run: |
      echo started
      for i in $(seq 1 300); do [ -e never ] && break; sleep 0.1; done
    timeout: 20s
    continue_on_error: true
`);
    const cli = startCli(['run', 'wf.yaml'], dir);
    await cli.waitFor('slow | started');
    cli.child.kill('SIGKILL');
    await cli.done;
    const id = onlyRun(dir);
    writeFileSync(join(dir, 'never'), '');
    const result = await runCli(['resume', id], dir);
    expect(result.code).toBe(0);
    const journal = readFileSync(join(dir, '.arq', 'runs', id, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; deadline?: number });
    const deadlines = journal.filter((e) => e.type === 'step.started').map((e) => e.deadline);
    expect(deadlines).toHaveLength(2);
    expect(deadlines[0]).toBeGreaterThan(0);
    expect(deadlines[1]).toBe(deadlines[0]);
  });
});

describe('arq resume and sub-workflows', () => {
  it('refuses a run whose sub-workflow file changed since it started', async () => {
    const dir = tempDir('arq-resume-sub-');
    writeFileSync(join(dir, 'sub.yaml'), 'name: sub\nsteps:\n  - run: echo sub\n');
    writeFileSync(join(dir, 'wf.yaml'), `name: caller
steps:
  - id: wait
    run: |
      echo waiting
      for i in $(seq 1 300); do [ -e go ] && break; sleep 0.1; done
  - id: call
    uses: workflow
    with: { path: sub.yaml }
`);
    const cli = startCli(['run', 'wf.yaml'], dir);
    await cli.waitFor('wait | waiting');
    cli.child.kill('SIGKILL');
    await cli.done;
    writeFileSync(join(dir, 'go'), '');
    writeFileSync(join(dir, 'sub.yaml'), 'name: sub\nsteps:\n  - run: echo edited\n');
    const id = onlyRun(dir);
    const refused = await runCli(['resume', id], dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(`Workflow file ${join(dir, 'wf.yaml')} (or a sub-workflow it calls) changed since run ${id} started; resume with --force to run the current version\n`);
  });
});

/** Starts `wf.yaml` in `dir`, kills the runner once `text` was printed, and returns the run id. */
async function killed(dir: string, text: string, args: string[] = ['run', 'wf.yaml'], env?: NodeJS.ProcessEnv): Promise<string> {
  const cli = startCli(args, dir, env);
  await cli.waitFor(text);
  cli.child.kill('SIGKILL');
  await cli.done;
  return onlyRun(dir);
}

const WAIT_FOR_GO = 'for i in $(seq 1 300); do [ -e go ] && break; sleep 0.1; done';

describe('arq resume: what the review found', () => {
  it('leaves the interrupted run as it was when the resume is refused (a secret now missing)', async () => {
    const dir = tempDir('arq-resume-refused-');
    writeFileSync(join(dir, 'wf.yaml'), `name: s\nsecrets:\n  T: { env: TOK }\nsteps:\n  - id: wait\n    run: echo waiting; ${WAIT_FOR_GO}\n`);
    const id = await killed(dir, 'wait | waiting', ['run', 'wf.yaml'], { ...process.env, TOK: 'x1' });
    const env = { ...process.env };
    delete env.TOK;
    const refused = await runCli(['resume', id], dir, env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe('Secret "T" is missing: set the environment variable TOK\n');
    expect((await runCli(['runs'], dir)).stdout).toContain(`${id}  s         interrupted`);
  });

  it('replays each item of a foreach that calls a sub-workflow with its own results', async () => {
    const dir = tempDir('arq-resume-subitems-');
    writeFileSync(join(dir, 'sub.yaml'), `name: sub\ninputs:\n  x: { type: string }\nsteps:\n  - id: inner\n    run: |\n      echo "\${{ inputs.x }}" >> marks\n      if [ "\${{ inputs.x }}" = c ]; then echo waiting; ${WAIT_FOR_GO}; fi\n      echo "r=\${{ inputs.x }}-done" >> "$ARQ_OUTPUT"\noutputs:\n  r: \${{ steps.inner.outputs.r }}\n`);
    writeFileSync(join(dir, 'wf.yaml'), `name: loop\nsteps:\n  - id: loop\n    foreach: [a, b, c]\n    concurrency: 1\n    uses: workflow\n    with: { path: sub.yaml, inputs: { x: "\${{ item }}" } }\noutputs:\n  all: \${{ join(steps.loop.outputs.*.r, ',') }}\n`);
    const id = await killed(dir, 'waiting');
    writeFileSync(join(dir, 'go'), '');
    const result = await runCli(['resume', id], dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('outputs: {"all":"a-done,b-done,c-done"}\n');
    expect(marks(dir)).toEqual(['a', 'b', 'c', 'c']);
  });

  it('does not run a failed step again when the runner died during on_failure', async () => {
    const dir = tempDir('arq-resume-onfailure-');
    writeFileSync(join(dir, 'wf.yaml'), `name: rb\nsteps:\n  - id: deploy\n    run: echo deploy >> marks; exit 1\non_failure:\n  - id: rb1\n    run: echo rb1 >> marks\n  - id: rb2\n    run: echo rb2 >> marks; echo waiting; ${WAIT_FOR_GO}\n`);
    const id = await killed(dir, 'rb2 | waiting');
    writeFileSync(join(dir, 'go'), '');
    const result = await runCli(['resume', id], dir);
    expect(result.code).toBe(1);
    expect(marks(dir)).toEqual(['deploy', 'rb1', 'rb2', 'rb2']);
    expect(result.stdout).toContain('✗ deploy failed (0ms): Command failed with exit code 1: echo deploy >> marks; exit 1\n');
  });

  it('resumes a workflow that calls a sub-workflow by a relative path, unchanged, without --force', async () => {
    const dir = tempDir('arq-resume-relative-');
    writeFileSync(join(dir, 'sub.yaml'), 'name: sub\nsteps:\n  - run: echo sub\n');
    writeFileSync(join(dir, 'wf.yaml'), `name: caller\nsteps:\n  - id: wait\n    run: echo waiting; ${WAIT_FOR_GO}\n  - id: call\n    uses: workflow\n    with: { path: sub.yaml }\n`);
    const id = await killed(dir, 'wait | waiting');
    writeFileSync(join(dir, 'go'), '');
    const result = await runCli(['resume', id], dir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('gives a resumed retry its whole timeout after the rest of its backoff', async () => {
    const dir = tempDir('arq-resume-backoff-timeout-');
    writeFileSync(join(dir, 'wf.yaml'), `name: bt\nsteps:\n  - id: flaky\n    run: echo flaky >> marks; [ -e pass ] || exit 1\n    timeout: 1s\n    retry: { attempts: 2, backoff: 2s, factor: 1 }\n`);
    const id = await killed(dir, '↻ flaky attempt 1 failed');
    writeFileSync(join(dir, 'pass'), '');
    const result = await runCli(['resume', id], dir);
    expect(result.code).toBe(0);
    expect(marks(dir)).toEqual(['flaky', 'flaky']);
  });
});
