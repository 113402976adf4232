/** `arq logs`: a recorded run's step logs, by id or id prefix, and following a run as it goes. */
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/cli.js';
import { tempDir, writeFiles } from '../helpers/workflow.js';

const dir = tempDir('arq-cli-logs-');
const stateDir = join(dir, 'state');
// A failed test must not leave a step waiting for its 30 s.
afterEach(() => ['go', 'go-killed'].forEach((gate) => writeFileSync(join(dir, gate), '')));

/** A run whose middle step prints a line, then waits (30 s at most) for the file \`gate\`. */
function gated(gate: string): string {
  return `name: follow
steps:
  - id: first
    run: echo "before"
  - id: wait
    run: |
      echo "waiting"
      for i in $(seq 1 300); do [ -e ${gate} ] && break; sleep 0.1; done
      echo "after"
  - id: last
    run: echo "the end"
`;
}

writeFiles(dir, {
  'logs.yaml': `name: logs
steps:
  - id: build
    run: echo compiling; echo done
  - id: warn
    run: 'echo "warning: x" >&2'
  - id: quiet
    run: "true"
  - id: regions
    foreach: \${{ fromJSON('["eu","us"]') }}
    concurrency: 1
    run: echo "deploy \${{ item }}"
  - id: notes
    uses: workflow
    with: { path: sub.yaml }
`,
  'sub.yaml': 'name: sub\nsteps:\n  - id: inner\n    run: echo "from the sub-workflow"\n',
  'follow.yaml': gated('go'),
  'follow-killed.yaml': gated('go-killed'),
});

let runId = '';
beforeAll(async () => {
  const result = await runCli(['run', 'logs.yaml', '--state-dir', stateDir], dir);
  expect(result.code).toBe(0);
  runId = readdirSync(join(stateDir, 'runs'))[0]!;
});

const logs = (...args: string[]) => runCli(['logs', ...args, '--state-dir', stateDir], dir);

describe('arq logs', () => {
  it('prints exactly one step\'s lines, tagged by stream', async () => {
    expect(await logs(runId, 'build')).toEqual({ code: 0, signal: null, stdout: 'stdout | compiling\nstdout | done\n', stderr: '' });
  });

  it('prints every step\'s lines in the order the steps started, each prefixed by its step', async () => {
    expect((await logs(runId)).stdout).toBe([
      'build | stdout | compiling',
      'build | stdout | done',
      'warn | stderr | warning: x',
      'regions | stdout [0] | deploy eu',
      'regions | stdout [1] | deploy us',
      'notes/inner | stdout | from the sub-workflow',
      '',
    ].join('\n'));
  });

  it('accepts a unique prefix of the run id, and a sub-workflow step by its full id', async () => {
    expect((await logs(runId.slice(0, 18), 'notes/inner')).stdout).toBe('stdout | from the sub-workflow\n');
  });

  it('prints nothing for a step that printed nothing', async () => {
    expect(await logs(runId, 'quiet')).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });

  it('exits 2 for an unknown step, suggesting the closest one', async () => {
    expect(await logs(runId, 'biuld')).toMatchObject({ code: 2, stdout: '', stderr: `Run ${runId} has no step "biuld"; did you mean "build"?\n` });
    expect(await logs(runId, 'zzzzzzzz')).toMatchObject({ code: 2, stderr: `Run ${runId} has no step "zzzzzzzz"; its steps: build, warn, quiet, regions, notes, notes/inner\n` });
  });

  it('exits 2 for an unknown run', async () => {
    expect(await logs('19990101')).toMatchObject({ code: 2, stdout: '', stderr: `No run "19990101" in ${stateDir}; \`arq runs\` lists the runs\n` });
  });

  it('follows a running run, printing lines as they come, and stops when the run finishes', async () => {
    const followState = join(dir, 'follow-state');
    rmSync(join(dir, 'go'), { force: true });
    const run = startCli(['run', 'follow.yaml', '--state-dir', followState], dir);
    await run.waitFor('wait | waiting');
    const id = readdirSync(join(followState, 'runs'))[0]!;
    const follower = startCli(['logs', id, '--follow', '--state-dir', followState], dir);
    await follower.waitFor('wait | stdout | waiting\n');
    writeFileSync(join(dir, 'go'), '');
    expect((await run.done).code).toBe(0);
    expect(await follower.done).toEqual({
      code: 0,
      signal: null,
      stdout: 'first | stdout | before\nwait | stdout | waiting\nwait | stdout | after\nlast | stdout | the end\n',
      stderr: '',
    });
  });

  it('stops following a run whose runner died, and says how to resume it', async () => {
    const followState = join(dir, 'follow-killed');
    rmSync(join(dir, 'go-killed'), { force: true });
    const run = startCli(['run', 'follow-killed.yaml', '--state-dir', followState], dir);
    await run.waitFor('wait | waiting');
    const id = readdirSync(join(followState, 'runs'))[0]!;
    const follower = startCli(['logs', id, 'wait', '-f', '--state-dir', followState], dir);
    await follower.waitFor('stdout | waiting\n');
    run.child.kill('SIGKILL');
    await run.done;
    expect(await follower.done).toEqual({
      code: 0,
      signal: null,
      stdout: 'stdout | waiting\n',
      stderr: `arq: run ${id} was interrupted (its runner is gone); resume with: arq resume ${id}\n`,
    });
  });
});
