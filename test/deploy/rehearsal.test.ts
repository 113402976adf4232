import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkWorkflow } from '../../engine/check/workflow.js';
import { loadWorkflowFile } from '../../engine/load/load.js';
import { runWorkflow } from '../../engine/run/run.js';
import { parseLogLine, type Sample } from '../../steps/deploy/access-log.js';
import { judge } from '../../steps/deploy/judge.js';
import { runCli, startCli } from '../helpers/cli.js';
import { finishedList, logLines, tempDir, writeFiles, type RunEvent } from '../helpers/workflow.js';

const ROOT = join(import.meta.dirname, '..', '..');
const DEPLOY = join(ROOT, 'workflows', 'deploy.yaml');

async function rehearse(inputs: Record<string, unknown>) {
  const workdir = tempDir('arq-rehearse-');
  const events: RunEvent[] = [];
  const result = await runWorkflow(await checkWorkflow(await loadWorkflowFile(DEPLOY)), { inputs, workdir, rehearse: true, onEvent: (e) => events.push(e) });
  const evidence = join(workdir, '.arq-artifacts', result.runId, 'deploy');
  const read = (name: string) => readFileSync(join(evidence, name), 'utf8');
  const json = (name: string) => JSON.parse(read(name)) as Record<string, unknown>;
  return { result, events, evidence, read, json, workdir };
}

/** What every failed rehearsal does after its failure: the simulated rollback, no B to stop, the report. */
const ROLLED_BACK = ['rollback:succeeded', 'stop_b:skipped', 'report:succeeded'];

describe('deploy.yaml rehearsed on simulated streams (no nginx, nothing started)', () => {
  it('healthy: every stage passes and B is promoted; nothing but the evidence is written', async () => {
    const { result, events, evidence, read, json, workdir } = await rehearse({});
    expect(result.status).toBe('succeeded');
    expect(result.outputs).toEqual({ outcome: 'promoted', reason: null, summary: join(evidence, 'summary.md'), breach_to_a_ms: null });
    expect(finishedList(events)).toEqual([
      'plan:succeeded', 'prepare:succeeded', 'baseline:succeeded', 'phases:succeeded', 'start_b:skipped',
      'shift[0]:succeeded', 'watch[0]:succeeded', 'shift[1]:succeeded', 'watch[1]:succeeded', 'shift[2]:succeeded', 'watch[2]:succeeded', 'canary:succeeded',
      'rollback:skipped', 'stop_b:skipped', 'report:succeeded',
    ]);
    expect(logLines(events, 'plan')).toEqual(['rehearsal with the simulated stream "healthy": nothing is started, nginx is not touched']);
    const verdicts = ['01-10pct', '02-50pct', '03-100pct'].map((stage) => json(`stages/${stage}/verdict.json`) as { verdict: { status: string; a: { requests: number }; b: { requests: number; errors: number } }; revision: number });
    expect(verdicts.map((v) => [v.revision, v.verdict.status, v.verdict.a.requests, v.verdict.b.requests, v.verdict.b.errors])).toEqual([
      [2, 'pass', 1080, 120, 0], [3, 'pass', 600, 600, 0], [4, 'pass', 0, 1200, 0],
    ]);
    expect(readdirSync(join(evidence, 'splits')).sort()).toEqual([
      '01-baseline.conf', '01-baseline.json', '02-stage-10pct.conf', '02-stage-10pct.json', '03-stage-50pct.conf', '03-stage-50pct.json', '04-stage-100pct.conf', '04-stage-100pct.json',
    ]);
    expect(read('splits/04-stage-100pct.conf')).toContain('    server 127.0.0.1:8001 down max_fails=0;\n    server 127.0.0.1:8002 weight=1 max_fails=0;\n');
    expect(existsSync(join(workdir, '.arq', 'services'))).toBe(false);
    expect(read('summary.md')).toContain('| 10% | 2 | pass | 120 | 0 |');
  });

  it.each([
    { stream: 'latency_spike', reason: 'stage 10%: B p95 461 ms > 300 ms critical', source: 'breach' },
    { stream: 'error_burst', reason: 'stage 10%: B error rate 8.33% > 0.5% critical (1 of 12 requests)', source: 'breach' },
    { stream: 'zero_traffic', reason: 'stage 10%: inconclusive: B answered 0 of the 20 requests needed in 90 s (2 extensions)', source: 'inconclusive' },
  ])('$stream: the first stage fails with its reason and the rollback gives A all the traffic again', async ({ stream, reason, source }) => {
    const { result, events, json, read } = await rehearse({ rehearsal: stream });
    expect(result.status).toBe('failed');
    expect(result.error).toBe(`Step "canary" failed: Step "watch" (item 0) failed: ${reason}`);
    expect(result.outputs).toMatchObject({ outcome: 'rolled back', reason });
    expect(finishedList(events).slice(-6)).toEqual(['shift[0]:succeeded', 'watch[0]:failed', 'canary:failed', ...ROLLED_BACK]);
    expect(json('trigger.json')).toMatchObject({ source, reason });
    expect(json('rollback.json')).toMatchObject({ trigger_reason: reason, trigger_source: source, revision: 3, rehearsed: true });
    expect(read('splits/03-rollback.conf')).toContain('    server 127.0.0.1:8001 weight=1 max_fails=0;\n    server 127.0.0.1:8002 down max_fails=0;\n');
    expect(read('summary.md')).toContain(`rolled back (rehearsal, simulated stream "${stream}": nginx was not touched, nothing was started)\n\nReason: ${reason}\n`);
  });

  it('failed_reload: the split to 10% is never applied, so no stage is watched and A gets 100% back', async () => {
    const { result, events, json } = await rehearse({ rehearsal: 'failed_reload' });
    const reason = 'stage 10%: revision 2 is not live: the reload was not applied within 10000 ms (rehearsal: the simulated nginx kept answering with revision 1)';
    expect(result.outputs).toMatchObject({ outcome: 'rolled back', reason });
    expect(finishedList(events).slice(-6)).toEqual(['shift[0]:failed', 'watch[0]:skipped', 'canary:failed', ...ROLLED_BACK]);
    expect(json('trigger.json')).toMatchObject({ source: 'split', reason });
    expect(json('splits/02-stage-10pct.json')).toMatchObject({ revision: 2, weight: 10, live_at: null, error: reason });
  });

  it('the stored samples give the stored verdict again: the evidence can be re-checked', async () => {
    const { json, read } = await rehearse({ rehearsal: 'latency_spike' });
    const stored = json('stages/01-10pct/verdict.json') as { verdict: unknown; thresholds: Parameters<typeof judge>[1]; watch: { min_requests: number } };
    const samples = read('stages/01-10pct/samples.jsonl').trim().split('\n').map((line) => JSON.parse(line) as Sample);
    const resources = read('stages/01-10pct/resources.jsonl').trim().split('\n').map((line) => JSON.parse(line));
    expect(judge({ samples, resources }, stored.thresholds, stored.watch.min_requests, false)).toEqual(stored.verdict);
    expect(parseLogLine('not a log line')).toBeUndefined();
  });

  it('thresholds are inputs: a 500 ms limit lets the latency spike through with a warning, a 22 MB one stops B on memory', async () => {
    const lenient = await rehearse({ rehearsal: 'latency_spike', thresholds: { latency_p95_critical_ms: 500 } });
    expect(lenient.result.outputs).toMatchObject({ outcome: 'promoted' });
    expect((lenient.json('stages/01-10pct/verdict.json').verdict as { status: string; reasons: string[] })).toMatchObject({ status: 'warn', reasons: ['B p95 467 ms > 200 ms target'] });
    const strict = await rehearse({ thresholds: { memory_critical_mb: 22 } });
    expect(strict.result.outputs).toMatchObject({ outcome: 'rolled back', reason: 'stage 10%: B memory 23.2 MB > 22 MB critical' });
  });

  it('refuses bad settings before anything moves: no baseline, so nothing to roll back', async () => {
    const { result, events } = await rehearse({ stages: [{ weight: 10 }, { weight: 60 }] });
    expect(result.error).toBe('Step "plan" failed: The last stage has weight 60: it must be 100, where B takes all the traffic');
    expect(finishedList(events)).toEqual(['plan:failed', 'prepare:skipped', 'baseline:skipped', 'phases:skipped', 'start_b:skipped', 'canary:skipped', 'rollback:skipped', 'stop_b:skipped', 'report:succeeded']);
    expect(result.outputs).toMatchObject({ outcome: 'failed' });
  });

  it('phases are not run in a rehearsal: each says what it would run', async () => {
    const { events, json } = await rehearse({ phases: [{ name: 'migrate', command: 'touch MIGRATED', health: { url: 'http://127.0.0.1:9/health' } }] });
    expect(logLines(events, 'phases')).toEqual(['rehearsal: phase migrate would run sh -c "touch MIGRATED", then check http://127.0.0.1:9/health']);
    expect(json('phases/01-migrate.json')).toMatchObject({ outcome: 'rehearsed', rehearsed: true });
  });
});

describe('arq run --rehearse', () => {
  it('runs deploy.yaml with no inputs at all, exits 1 on a breach and prints the reason', async () => {
    const dir = tempDir('arq-rehearse-cli-');
    const { code, stdout, stderr } = await runCli(['run', DEPLOY, '--rehearse', '--input', 'rehearsal=latency_spike'], dir);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(stdout).toContain('✗ watch[0] failed');
    expect(stdout).toContain('"outcome":"rolled back","reason":"stage 10%: B p95 461 ms > 300 ms critical"');
    const [runId] = readdirSync(join(dir, '.arq', 'runs'));
    const started = JSON.parse(readFileSync(join(dir, '.arq', 'runs', runId!, 'journal.jsonl'), 'utf8').split('\n')[0]!);
    expect(started).toMatchObject({ type: 'run.started', rehearse: true });
    expect(existsSync(join(dir, '.arq', 'runs', runId!, 'artifacts', 'deploy', 'summary.md'))).toBe(true);
  });

  it('rehearses the demo\'s inputs file: its settings are taken, its phases only described', async () => {
    const dir = tempDir('arq-rehearse-demo-');
    const { code, stdout } = await runCli(['run', DEPLOY, '--rehearse', '--inputs-file', join(ROOT, 'examples', 'deploy-demo', 'inputs.yaml')], dir);
    expect(code).toBe(0);
    expect(stdout).toContain('prepare[0] | rehearsal: phase demo-stack would run arq run examples/deploy-demo/up.yaml');
    expect(stdout).toContain('phases[1] | rehearsal: phase a-still-healthy would run sh -c "echo \\"A answers before B starts\\"", then check http://127.0.0.1:18081/health');
    const [runId] = readdirSync(join(dir, '.arq', 'runs'));
    expect(readdirSync(join(dir, '.arq', 'runs', runId!, 'artifacts', 'deploy', 'prepare'))).toEqual(['01-demo-stack.json']);
    const plan = JSON.parse(readFileSync(join(dir, '.arq', 'runs', runId!, 'artifacts', 'deploy', 'plan.json'), 'utf8'));
    expect(plan).toMatchObject({
      a: '127.0.0.1:18081', b: { address: '127.0.0.1:18082', env: { PORT: '18082', VARIANT: 'B' } },
      prepare: [{ index: 1, name: 'demo-stack', workflow: 'examples/deploy-demo/up.yaml', group: 'prepare', timeout_ms: 600000 }],
      stages: [{ name: '10%', watch_ms: 5000 }, { name: '50%', watch_ms: 5000 }, { name: '100%', watch_ms: 5000 }],
      thresholds: { memory_critical_mb: 120, latency_p95_critical_ms: 300 }, watch: { min_requests: 10, probe_rps: 40, max_extensions: 2 },
    });
  });

  it('sets run.rehearse and ARQ_REHEARSE=1 for any workflow; without the flag both are off', async () => {
    const dir = tempDir('arq-rehearse-flag-');
    writeFiles(dir, { 'wf.yaml': 'name: flag\nsteps:\n  - run: echo "rehearse=${{ run.rehearse }} env=${ARQ_REHEARSE:-unset}"\n' });
    expect((await runCli(['run', 'wf.yaml', '--rehearse'], dir)).stdout).toContain('rehearse=true env=1');
    expect((await runCli(['run', 'wf.yaml'], dir)).stdout).toContain('rehearse=false env=unset');
  });

  it('a rehearsal resumed after its runner was killed is still a rehearsal', async () => {
    const dir = tempDir('arq-rehearse-resume-');
    writeFiles(dir, {
      'wf.yaml': 'name: resumed\nsteps:\n  - run: |\n      echo waiting\n      for i in $(seq 1 300); do [ -e go ] && break; sleep 0.1; done\n  - run: echo "rehearse=${{ run.rehearse }} env=${ARQ_REHEARSE:-unset}"\n',
    });
    const cli = startCli(['run', 'wf.yaml', '--rehearse'], dir);
    await cli.waitFor('waiting');
    cli.child.kill('SIGKILL');
    expect((await cli.done).signal).toBe('SIGKILL');
    writeFiles(dir, { go: '' });
    const [runId] = readdirSync(join(dir, '.arq', 'runs'));
    const resumed = await runCli(['resume', runId!], dir);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain('rehearse=true env=1');
  });
});
