import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseLogLine, samplesOf, type Sample } from '../../steps/deploy/access-log.js';
import { judge, type ResourceSample } from '../../steps/deploy/judge.js';
import { liveServers, revisionOf } from '../../steps/deploy/nginx-config.js';
import { startCli } from '../helpers/cli.js';
import { liveProcesses } from '../helpers/processes.js';
import { finishedList, finishedOf, logLines, runText, type RunEvent } from '../helpers/workflow.js';
import { DEPLOY, fetchOnce, runFile, startLiveSide, steadyClient, whoAnswers, type LiveSide } from './live-side.js';

let side: LiveSide | undefined;
afterEach(async () => {
  await side?.down();
  side = undefined;
});

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>;
const readLines = <T>(file: string): T[] => readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as T);

/** Every answer through nginx now comes from A, with the rollback's revision. */
async function expectAllOnA(live: LiveSide, rollbackRevision: number): Promise<void> {
  const config = readFileSync(live.upstreamFile, 'utf8');
  expect([revisionOf(config), liveServers(config)]).toEqual([rollbackRevision, [live.a]]);
  expect(await whoAnswers(live.url)).toEqual(Array(10).fill(`200 ${live.a} rev ${rollbackRevision}`));
}

/** The stored samples of a stage give its stored verdict again. */
function expectVerdictRechecks(evidence: string, stage: string): Record<string, any> {
  const stored = readJson(join(evidence, 'stages', stage, 'verdict.json'));
  const samples = readLines<Sample>(join(evidence, 'stages', stage, 'samples.jsonl'));
  const resources = readLines<ResourceSample>(join(evidence, 'stages', stage, 'resources.jsonl'));
  expect(judge({ samples, resources }, stored['thresholds'], stored['watch'].min_requests, stored['verdict'].status !== 'breach')).toEqual(stored['verdict']);
  return stored;
}

// Stages, extensions, proofs and rollbacks on a busy machine: well past the default test timeout.
describe('deploy.yaml through a real nginx', { timeout: 90_000 }, () => {
  it('promotes a healthy B to 100% while a steady client sees no HTTP error', async () => {
    side = await startLiveSide();
    const client = steadyClient(side.url, 40);
    const { result, events, evidence } = await runFile(DEPLOY, side.workdir, { inputs: side.inputs() });
    const answers = await client.stop();
    expect(result.error).toBeUndefined();
    expect(result.outputs).toMatchObject({ outcome: 'promoted', reason: null });
    expect(finishedList(events).filter((e) => e.startsWith('watch'))).toEqual(['watch[0]:succeeded', 'watch[1]:succeeded', 'watch[2]:succeeded']);
    // The user saw answers from both sides, every one a 200, and no connection lost to the reloads.
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    expect(new Set(answers.map((a) => a.upstream))).toEqual(new Set([side.a, side.b]));
    // nginx now sends everything to B, with the last stage's revision.
    const last = readJson(join(evidence, 'splits', '04-stage-100pct.json'));
    expect([last['revision'], last['weight'], last['test'].exit_code, last['reload'].exit_code, last['proof'].live]).toEqual([5, 100, 0, 0, true]);
    expect(liveServers(readFileSync(side.upstreamFile, 'utf8'))).toEqual([side.b]);
    expect(await whoAnswers(side.url)).toEqual(Array(10).fill(`200 ${side.b} rev 5`));
    for (const stage of ['01-10pct', '02-50pct', '03-100pct']) {
      const stored = expectVerdictRechecks(evidence, stage);
      expect(stored['verdict'].status).toBe('pass');
      expect(stored['verdict'].b.requests).toBeGreaterThanOrEqual(5);
    }
    expect(readFileSync(join(evidence, 'summary.md'), 'utf8')).toContain(`# Deployment ${result.runId}: promoted\n`);
    // B outlives the run: it is the live variant now.
    expect(liveProcesses('variant-b')).toHaveLength(1);
  });

  it('rolls back a B that fails a share of its requests at 10%: A gets 100% again and B is stopped', async () => {
    side = await startLiveSide();
    const client = steadyClient(side.url, 40);
    const { result, events, evidence } = await runFile(DEPLOY, side.workdir, { inputs: side.inputs({ b_env: { FAIL_SHARE: '0.25' } }) });
    await client.stop();
    const reason = result.outputs['reason'] as string;
    expect(reason).toMatch(/^stage 10%: B error rate [\d.]+% > 0\.5% critical \(\d+ of \d+ requests\)$/);
    expect(result.error).toBe(`Step "canary" failed: Step "watch" (item 0) failed: ${reason}`);
    expect(finishedList(events).slice(-4)).toEqual(['canary:failed', 'rollback:succeeded', 'stop_b:succeeded', 'report:succeeded']);
    const stored = expectVerdictRechecks(evidence, '01-10pct');
    // B failed a quarter of its requests; over both sides the share is far smaller.
    const all = samplesOf(readFileSync(side.accessLog, 'utf8').split('\n').map(parseLogLine), { a: side.a, b: side.b, revision: 3 });
    expect(stored['verdict'].b.errors).toBeGreaterThan(0);
    expect(all.filter((s) => s.variant === 'A' && s.error)).toEqual([]);
    const rollback = readJson(join(evidence, 'rollback.json'));
    expect(rollback).toMatchObject({ trigger_source: 'breach', trigger_reason: reason, revision: 4 });
    expect(typeof rollback['breach_to_a_ms']).toBe('number');
    await expectAllOnA(side, 4);
    expect(logLines(events, 'stop_b')).toEqual([expect.stringMatching(/^service b \(pid \d+\) stopped$/)]);
    expect(liveProcesses('variant-b')).toEqual([]);
  });

  it('rolls back a slow B on its p95 latency with the default limits', async () => {
    side = await startLiveSide();
    const client = steadyClient(side.url, 40);
    const inputs = side.inputs({ b_env: { SLOW_MS: '800' } });
    const { result, evidence } = await runFile(DEPLOY, side.workdir, { inputs: { ...inputs, thresholds: { memory_critical_mb: 400, cpu_critical_percent: 100 } } });
    await client.stop();
    const reason = result.outputs['reason'] as string;
    const [, p95] = /^stage 10%: B p95 (\d+) ms > 300 ms critical$/.exec(reason) ?? [];
    expect(Number(p95)).toBeGreaterThanOrEqual(800);
    const stored = expectVerdictRechecks(evidence, '01-10pct');
    // A is judged beside B: its p95 is below B's (A is not slowed down).
    expect(stored['verdict'].a.p95_ms).toBeLessThan(Number(p95));
    await expectAllOnA(side, 4);
    expect(liveProcesses('variant-b')).toEqual([]);
  });

  it('rolls back when a phase\'s health check fails, before any traffic moves and before B starts', async () => {
    side = await startLiveSide();
    const phases = [
      { name: 'build', command: 'echo built > BUILT' },
      { name: 'warm-up', command: 'true', health: { url: `http://127.0.0.1:${side.ports.b}/health`, deadline_ms: 1000, interval_ms: 200 } },
      { name: 'never', command: 'touch NEVER' },
    ];
    const { result, events, evidence } = await runFile(DEPLOY, side.workdir, { inputs: side.inputs({ phases }) });
    const reason = result.outputs['reason'] as string;
    expect(reason).toMatch(new RegExp(`^phase warm-up: health check failed: http://127\\.0\\.0\\.1:${side.ports.b}/health not healthy after \\d+ attempts? in 1s: connection refused$`));
    expect(finishedList(events)).toEqual([
      'plan:succeeded', 'prepare:succeeded', 'baseline:succeeded', 'phases[0]:succeeded', 'phases[1]:failed', 'phases:failed', 'start_b:skipped', 'canary:skipped',
      'rollback:succeeded', 'stop_b:skipped', 'report:succeeded',
    ]);
    expect(readdirSync(join(evidence, 'splits')).filter((f) => f.endsWith('.json'))).toEqual(['01-baseline.json', '02-rollback.json']);
    expect(existsSync(join(evidence, 'stages'))).toBe(false);
    expect([existsSync(join(side.workdir, 'BUILT')), existsSync(join(side.workdir, 'NEVER'))]).toEqual([true, false]);
    // No request ever reached B.
    const log = readFileSync(side.accessLog, 'utf8').split('\n').map(parseLogLine);
    expect(log.filter((e) => e?.addresses.includes(side!.b))).toEqual([]);
    await expectAllOnA(side, 3);
    expect(readJson(join(evidence, 'phases', '02-warm-up.json'))).toMatchObject({ outcome: 'failed', error: reason });
  });

  it('rolls back when `arq run` is cancelled mid-canary (SIGTERM): A gets 100%, B is stopped, exit 130', async () => {
    side = await startLiveSide();
    const inputsFile = join(side.workdir, 'inputs.json');
    writeFileSync(inputsFile, JSON.stringify(side.inputs({ stages: [{ weight: 10, watch: '60s' }, { weight: 100, watch: '60s' }] })));
    const state = join(side.workdir, 'state');
    const cli = startCli(['run', DEPLOY, '--inputs-file', inputsFile, '--workdir', side.workdir, '--state-dir', state], side.workdir);
    await cli.waitFor('▶ watch[0]');
    cli.child.kill('SIGTERM');
    const { code, stdout } = await cli.done;
    expect(code).toBe(130);
    expect(stdout).toContain('✓ rollback succeeded');
    const [runId] = readdirSync(join(state, 'runs'));
    const evidence = join(state, 'runs', runId!, 'artifacts', 'deploy');
    expect(readJson(join(evidence, 'trigger.json'))).toMatchObject({ source: 'cancel', reason: 'stage 10%: the watch was stopped (cancel or timeout)' });
    expect(readJson(join(evidence, 'rollback.json'))).toMatchObject({ trigger_source: 'cancel', revision: 4 });
    expect(readFileSync(join(evidence, 'summary.md'), 'utf8')).toContain(': rolled back\n\nReason: stage 10%: the watch was stopped (cancel or timeout)\n');
    await expectAllOnA(side, 4);
    expect(liveProcesses('variant-b')).toEqual([]);
  });

  it('rolls back when B\'s process dies during a stage', async () => {
    side = await startLiveSide();
    const inputs = side.inputs({ stages: [{ weight: 10, watch: '60s' }, { weight: 100, watch: '60s' }], watch: { min_requests: 5, resource_interval_ms: 200, interval_ms: 100 } });
    let killed: number | undefined;
    const onEvent = (event: RunEvent) => {
      if (event.type !== 'step.started' || event.step !== 'watch' || killed !== undefined) return;
      [killed] = liveProcesses('variant-b');
      process.kill(killed!, 'SIGKILL');
    };
    const { result, evidence } = await runFile(DEPLOY, side.workdir, { inputs, onEvent });
    expect(result.outputs['reason']).toBe(`stage 10%: B is not running any more (pid ${killed} exited)`);
    expect(readJson(join(evidence, 'trigger.json'))).toMatchObject({ source: 'breach', reason: `stage 10%: B is not running any more (pid ${killed} exited)` });
    await expectAllOnA(side, 4);
  });

  it('rolls back, saying so, when the access log the watch reads does not exist', async () => {
    side = await startLiveSide();
    const inputs = side.inputs();
    const missing = join(side.workdir, 'demo', 'nginx', 'logs', 'missing.log');
    const { result } = await runFile(DEPLOY, side.workdir, { inputs: { ...inputs, nginx: { ...(inputs['nginx'] as object), access_log: missing } } });
    const reason = `stage 10%: The access log ${missing} does not exist: nginx writes it once the location that proxies to the upstream says \`access_log ${missing} arq_deploy;\``;
    expect(result.outputs).toMatchObject({ outcome: 'rolled back', reason });
    await expectAllOnA(side, 4);
    expect(liveProcesses('variant-b')).toEqual([]);
  });

  it('serves a large answer whole to a slow reader, although nginx\'s workers (nobody, when run as root) cannot write the private temp folder', async () => {
    side = await startLiveSide();
    const answer = await fetchOnce(`${side.url}big?kb=8192`, true);
    expect([answer.status, answer.bytes]).toEqual([200, 8192 * 1024]);
    expect(readFileSync(join(side.workdir, 'demo', 'nginx', 'logs', 'error.log'), 'utf8')).not.toContain('Permission denied');
  });
});

describe('traffic.split on a real nginx', () => {
  let live: LiveSide;
  beforeAll(async () => {
    live = await startLiveSide();
  });
  afterAll(() => live.down());

  const split = (nginx: Record<string, unknown>, a: string) => `name: split
steps:
  - uses: traffic.split
    id: split
    with:
      nginx: ${JSON.stringify(nginx)}
      a: ${a}
      b: ${live.b}
      weight: 50
      label: stage 50%
`;

  it('catches a reload that exits 0 without applying the config: the proof never sees the new revision', async () => {
    const nginx = { ...(live.inputs()['nginx'] as Record<string, unknown>), reload_command: ['true'], proof_deadline_ms: 1500 };
    const { result, events } = await runText(split(nginx, live.a), live.workdir, { artifactsDir: join(live.workdir, 'split-1') });
    expect(result.status).toBe('failed');
    expect(finishedOf(events, 'split').error).toMatch(/^stage 50%: revision 2 is not live: the reload was not applied within 1500 ms \(\d+ probes: \d+ with revision 1; needed answers with revision 2\)$/);
    // The file says revision 2, nginx still serves revision 1: only the probes could tell.
    expect(revisionOf(readFileSync(live.upstreamFile, 'utf8'))).toBe(2);
    expect(await whoAnswers(live.url, 3)).toEqual(Array(3).fill(`200 ${live.a} rev 1`));
    const probes = readLines<{ revision: string }>(join(live.workdir, 'split-1', 'deploy', 'splits', '01-stage-50pct.probes.jsonl'));
    expect(new Set(probes.map((p) => p.revision))).toEqual(new Set(['1']));
  });

  it('puts the previous config back when nginx -t rejects the new one, and says why', async () => {
    const before = readFileSync(live.upstreamFile, 'utf8');
    const nginx = live.inputs()['nginx'] as Record<string, unknown>;
    const { events } = await runText(split(nginx, 'no-such-host.invalid:80'), live.workdir, { artifactsDir: join(live.workdir, 'split-2') });
    const error = finishedOf(events, 'split').error!;
    expect(error.split('\n')[0]).toBe(`stage 50%: the config was rejected, the previous one is back in place: nginx -p ${join(live.workdir, 'demo', 'nginx')} -c nginx.conf -e logs/error.log -t exited with 1:`);
    expect(error).toContain('host not found in upstream "no-such-host.invalid:80"');
    expect(readFileSync(live.upstreamFile, 'utf8')).toBe(before);
  });
});
