/** `arq runs` and the record `arq run` leaves: real CLI processes, real files, killed runners. */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startCli, type CliProcess } from '../helpers/cli.js';
import { killLeftovers, liveProcesses, uniqueSleep } from '../helpers/processes.js';
import { tempDir, writeFiles } from '../helpers/workflow.js';

const dir = tempDir('arq-cli-runs-');
const markers: string[] = [];
afterEach(() => markers.splice(0).forEach(killLeftovers));

/** A step that prints a line, then waits (30 s at most) for a file that never appears; its marker finds it to kill it. */
function waitingWorkflow(name: string, marker: string): string {
  const file = `${name}.yaml`;
  writeFiles(dir, {
    [file]: `name: ${name}\nsteps:\n  - id: first\n    run: echo one\n  - id: wait\n    run: |\n      # ${marker}\n      echo waiting\n      for i in $(seq 1 300); do [ -e go-never ] && break; sleep 0.1; done\n`,
  });
  return file;
}

writeFiles(dir, {
  'ok.yaml': 'name: ok\nsteps:\n  - id: a\n    run: echo hello\n  - id: b\n    run: "true"\n',
  'bad.yaml': 'name: bad\nsteps:\n  - id: a\n    run: exit 4\n',
});

interface RunRow {
  id: string;
  workflow: string;
  status: string;
  duration_ms: number;
  steps: Record<string, { status: string; attempts: number }>;
}

async function runsJson(stateDir: string, ...args: string[]): Promise<RunRow[]> {
  const result = await runCli(['runs', '--json', '--state-dir', stateDir, ...args], dir);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as RunRow[];
}

const runIdOf = (stdout: string) => /run (\d{8}-\d{6}-[0-9a-f]{6}) started/.exec(stdout)![1]!;

/** Starts a waiting run and resolves once its step has printed its first line. */
async function startWaiting(stateDir: string, name: string): Promise<CliProcess> {
  const marker = uniqueSleep();
  markers.push(marker);
  const cli = startCli(['run', waitingWorkflow(name, marker), '--state-dir', stateDir], dir);
  await cli.waitFor('wait | waiting');
  return cli;
}

describe('arq runs', () => {
  it('lists a finished run with its workflow, status, duration and steps', async () => {
    const stateDir = join(dir, 'state-ok');
    const run = await runCli(['run', 'ok.yaml', '--state-dir', stateDir], dir);
    expect(run.code).toBe(0);
    const rows = await runsJson(stateDir);
    expect(rows.map((r) => [r.id, r.workflow, r.status])).toEqual([[runIdOf(run.stdout), 'ok', 'succeeded']]);
    expect(rows[0]!.duration_ms).toBeGreaterThan(0);
    expect(rows[0]!.steps).toMatchObject({ a: { status: 'succeeded', attempts: 1 }, b: { status: 'succeeded', attempts: 1 } });
  });

  it('lists runs newest first in a table, and filters them by workflow, status and count', async () => {
    const stateDir = join(dir, 'state-many');
    const first = runIdOf((await runCli(['run', 'ok.yaml', '--state-dir', stateDir], dir)).stdout);
    const second = runIdOf((await runCli(['run', 'bad.yaml', '--state-dir', stateDir], dir)).stdout);
    const third = runIdOf((await runCli(['run', 'ok.yaml', '--state-dir', stateDir], dir)).stdout);
    expect((await runsJson(stateDir)).map((r) => r.id)).toEqual([third, second, first]);
    expect((await runsJson(stateDir, '--workflow', 'ok')).map((r) => r.id)).toEqual([third, first]);
    expect((await runsJson(stateDir, '--status', 'failed')).map((r) => r.id)).toEqual([second]);
    expect((await runsJson(stateDir, '--limit', '1')).map((r) => r.id)).toEqual([third]);
    const table = await runCli(['runs', '--state-dir', stateDir], dir);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID {22}WORKFLOW {2}STATUS {5}STARTED {14}DURATION$/);
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/).slice(0, 3))).toEqual([[third, 'ok', 'succeeded'], [second, 'bad', 'failed'], [first, 'ok', 'succeeded']]);
  });

  it('reads ARQ_HOME when no --state-dir is given, and .arq in the current directory otherwise', async () => {
    const home = join(dir, 'home');
    const run = await runCli(['run', 'ok.yaml'], dir, { ...process.env, ARQ_HOME: home });
    expect(readdirSync(join(home, 'runs'))).toEqual([runIdOf(run.stdout)]);
    const local = await runCli(['run', 'ok.yaml'], dir, { ...process.env, ARQ_HOME: '' });
    expect(readdirSync(join(dir, '.arq', 'runs'))).toEqual([runIdOf(local.stdout)]);
  });

  it('says there are no runs in an empty state directory', async () => {
    const result = await runCli(['runs', '--state-dir', join(dir, 'empty')], dir);
    expect(result).toMatchObject({ code: 0, stdout: `No runs in ${join(dir, 'empty')}\n`, stderr: '' });
  });

  it('shows a run whose runner was killed with SIGKILL mid-step as interrupted, with how to resume it', async () => {
    const stateDir = join(dir, 'state-killed');
    const cli = await startWaiting(stateDir, 'killed');
    const runId = readdirSync(join(stateDir, 'runs'))[0]!;
    cli.child.kill('SIGKILL');
    expect((await cli.done).signal).toBe('SIGKILL');
    markers.forEach(killLeftovers);
    const rows = await runsJson(stateDir);
    expect(rows.map((r) => [r.id, r.status])).toEqual([[runId, 'interrupted']]);
    expect(rows[0]!.steps).toMatchObject({ first: { status: 'succeeded' }, wait: { status: 'running' } });
    const table = await runCli(['runs', '--state-dir', stateDir], dir);
    expect(table.stdout.split('\n').slice(-3)).toEqual(['', `${runId} was interrupted (its runner is gone); resume with: arq resume ${runId}`, '']);
  });

  it('ends the journal with run.finished cancelled after SIGINT, and exits 130', async () => {
    const stateDir = join(dir, 'state-sigint');
    const cli = await startWaiting(stateDir, 'interrupted');
    const runId = readdirSync(join(stateDir, 'runs'))[0]!;
    cli.child.kill('SIGINT');
    expect((await cli.done).code).toBe(130);
    const lines = readFileSync(join(stateDir, 'runs', runId, 'journal.jsonl'), 'utf8').trimEnd().split('\n');
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ type: 'run.finished', run: runId, status: 'cancelled' });
    expect((await runsJson(stateDir)).map((r) => r.status)).toEqual(['cancelled']);
    expect(liveProcesses(markers[0]!)).toEqual([]);
  });

  it('on SIGINT during a step with child processes: exit 130, no process left, finally ran, journal ends cancelled', async () => {
    const stateDir = join(dir, 'state-sigint-children');
    const marker = uniqueSleep();
    markers.push(marker);
    writeFiles(dir, {
      'children.yaml': `name: children\nsteps:\n  - id: spawn\n    run: sleep ${marker} & sleep ${marker} & echo spawned; wait\nfinally:\n  - id: cleanup\n    run: echo cleaned > finally.ran\n`,
    });
    const cli = startCli(['run', 'children.yaml', '--state-dir', stateDir], dir);
    await cli.waitFor('spawn | spawned');
    cli.child.kill('SIGINT');
    expect((await cli.done).code).toBe(130);
    expect(readFileSync(join(dir, 'finally.ran'), 'utf8')).toBe('cleaned\n');
    expect(liveProcesses(marker)).toEqual([]);
    const runId = readdirSync(join(stateDir, 'runs'))[0]!;
    const entries = readFileSync(join(stateDir, 'runs', runId, 'journal.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string; step?: string; status?: string });
    expect(entries.map((e) => [e.type, e.step, e.status].filter(Boolean).join(' '))).toEqual([
      'run.started', 'step.started spawn', 'step.finished spawn cancelled', 'step.started cleanup', 'step.finished cleanup succeeded', 'run.finished cancelled',
    ]);
  });

  it('leaves a readable journal without run.finished after a second SIGINT, shown as interrupted', async () => {
    const stateDir = join(dir, 'state-sigint2');
    const cli = await startWaiting(stateDir, 'twice');
    const cancelling = new Promise<void>((resolve) => cli.child.stderr!.on('data', (chunk: Buffer) => chunk.toString().includes('cancelling') && resolve()));
    cli.child.kill('SIGINT');
    await cancelling;
    cli.child.kill('SIGINT');
    expect((await cli.done).code).toBe(130);
    const runId = readdirSync(join(stateDir, 'runs'))[0]!;
    const lines = readFileSync(join(stateDir, 'runs', runId, 'journal.jsonl'), 'utf8').trimEnd().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { type: string }).type).at(-1)).not.toBe('run.finished');
    expect((await runsJson(stateDir)).map((r) => r.status)).toEqual(['interrupted']);
  });

  it('leaves no run folder when the run is refused before it starts (a missing secret)', async () => {
    const stateDir = join(dir, 'state-refused');
    writeFiles(dir, { 'needs-secret.yaml': 'name: s\nsecrets:\n  T: { env: ARQ_TEST_ABSENT_SECRET }\nsteps:\n  - run: "true"\n' });
    const result = await runCli(['run', 'needs-secret.yaml', '--state-dir', stateDir], dir);
    expect(result.code).toBe(2);
    expect(readdirSync(join(stateDir, 'runs'))).toEqual([]);
  });
});

describe('--secrets-file', () => {
  const secret = `s3cr3t-${process.pid}-${Date.now()}`;

  /** Every file under `root` whose bytes contain `text`. */
  function filesContaining(root: string, text: string): string[] {
    return readdirSync(root, { recursive: true, encoding: 'utf8' })
      .map((f) => join(root, f))
      .filter((f) => statSync(f).isFile() && readFileSync(f, 'utf8').includes(text));
  }

  it('gives secrets their value, keeps it out of step environments, and leaves it in no file nor output', async () => {
    const stateDir = join(dir, 'state-secret');
    writeFiles(dir, {
      'prod.env': `# deploy secrets\nDEPLOY_TOKEN="${secret}"\n`,
      'secret.yaml': `name: secret
secrets:
  TOKEN: { env: DEPLOY_TOKEN }
steps:
  - id: show
    run: |
      echo "token=\${{ secrets.TOKEN }}"
      echo "env=[\${DEPLOY_TOKEN:-unset}]"
      echo "token=\${{ secrets.TOKEN }}" >&2
  - id: fail
    run: echo "\${{ secrets.TOKEN }}" >&2; exit 1
outputs:
  token: \${{ secrets.TOKEN }}
`,
    });
    const plain = await runCli(['run', 'secret.yaml', '--secrets-file', 'prod.env', '--state-dir', stateDir], dir);
    const json = await runCli(['run', 'secret.yaml', '--secrets-file', 'prod.env', '--state-dir', stateDir, '--json'], dir);
    expect([plain.code, json.code]).toEqual([1, 1]);
    expect(plain.stdout).toContain('  show | token=***\n  show | env=[unset]\n');
    const ids = readdirSync(join(stateDir, 'runs'));
    expect(ids).toHaveLength(2);
    expect(readFileSync(join(stateDir, 'runs', ids[0]!, 'logs', 'show.log'), 'utf8')).toBe('stdout | token=***\nstdout | env=[unset]\nstderr | token=***\n');
    expect(filesContaining(stateDir, secret)).toEqual([]);
    for (const output of [plain.stdout, plain.stderr, json.stdout, json.stderr]) expect(output).not.toContain(secret);
  });
});
