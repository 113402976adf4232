import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { cpus, hostname, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkWorkflow } from '../../engine/check/workflow.js';
import { loadWorkflowFile } from '../../engine/load/load.js';
import type { RunEvent } from '../../engine/run/events.js';
import { runWorkflow, type RunResult } from '../../engine/run/run.js';
import { runCli } from '../helpers/cli.js';
import { liveProcesses } from '../helpers/processes.js';
import { freePort } from '../helpers/net.js';
import { pngSize } from '../../steps/browser/screenshot.js';

const examples = join(import.meta.dirname, '..', '..', 'examples');

async function run(name: string, inputs: Record<string, unknown> = {}, env?: Record<string, string>): Promise<{ result: RunResult; events: RunEvent[]; workdir: string }> {
  const workflow = await checkWorkflow(await loadWorkflowFile(join(examples, name)));
  const events: RunEvent[] = [];
  const workdir = mkdtempSync(join(tmpdir(), 'arq-example-'));
  const result = await runWorkflow(workflow, { inputs, workdir, env, onEvent: (e) => events.push(e) });
  return { result, events, workdir };
}

/** Offline: answers come from the example's recorded cassette; no server, no key. */
const offline = (name: string) => ({ PATH: process.env.PATH ?? '', ARQ_LLM_CASSETTE: join(examples, `${name}.cassette.json`) });

const finished = (events: RunEvent[]) =>
  events.flatMap((e) => (e.type === 'step.finished' ? [`${e.step}${e.item === undefined ? '' : `[${e.item}]`}:${e.status}`] : []));
const logs = (events: RunEvent[], step: string) => events.flatMap((e) => (e.type === 'step.log' && e.step === step ? [e.line] : []));

describe('examples', () => {
  it('every example file is covered by a test below', () => {
    const files = readdirSync(examples).filter((f) => f.endsWith('.yaml')).sort();
    expect(files).toEqual(['agents-research.yaml', 'browser-login.yaml', 'dag.yaml', 'failure-handling.yaml', 'foreach.yaml', 'hello.yaml', 'llm-summary.yaml', 'parallel.yaml', 'retry-timeout.yaml', 'subworkflow.yaml', 'system-report.yaml']);
  });

  it('hello runs its chain in order and passes outputs along', async () => {
    const { result, events } = await run('hello.yaml', { name: 'Ann' });
    expect(result.status).toBe('succeeded');
    expect(finished(events)).toEqual(['greet:succeeded', 'shout:succeeded', 'count:succeeded']);
    expect(result.outputs).toEqual({ message: 'Hello, Ann!', loud: 'HELLO, ANN!', letters: 3 });
  });

  it('parallel runs three branches, one of them a chain, then reads their outputs', async () => {
    const { result, events } = await run('parallel.yaml');
    expect(result.status).toBe('succeeded');
    expect(result.outputs).toEqual({ kernel: 'Linux', report: 'kernel Linux, slow branch done: yes' });
    expect(finished(events).slice(-2)).toEqual(['checks:succeeded', 'report:succeeded']);
  });

  it('dag respects needs and skips what depends on a skipped step', async () => {
    const { result, events } = await run('dag.yaml');
    expect(result.status).toBe('succeeded');
    expect(result.outputs).toEqual({ artifact: 'app-1.4.2.tar', docs: 'skipped', publish_docs: 'skipped' });
    const order = finished(events);
    expect(order[0]).toBe('fetch:succeeded');
    expect(order.at(-1)).toBe('package:succeeded');
    expect(order.indexOf('test:succeeded')).toBeGreaterThan(order.indexOf('compile:succeeded'));
    expect(logs(events, 'test')).toEqual(['testing app-1.4.2.tar']);
  });

  it('foreach returns one output per item, in item order', async () => {
    const { result, events } = await run('foreach.yaml', { regions: ['a', 'b', 'c', 'd'] });
    expect(result.status).toBe('succeeded');
    expect(result.outputs).toEqual({ urls: ['https://a.example.test', 'https://b.example.test', 'https://c.example.test', 'https://d.example.test'] });
    expect(logs(events, 'push')).toHaveLength(4);
  });

  it('retry-timeout retries the flaky step twice and stops the stuck one', async () => {
    const { result, events } = await run('retry-timeout.yaml');
    expect(result.status).toBe('succeeded');
    expect(result.outputs).toEqual({ stuck: 'failed' });
    expect(logs(events, 'flaky')).toEqual(['attempt 1', 'attempt 2', 'attempt 3']);
    const retries = events.flatMap((e) => (e.type === 'step.retrying' ? [e.delay_ms] : []));
    expect(retries).toEqual([100, 200]);
    const stuck = events.find((e) => e.type === 'step.finished' && e.step === 'stuck');
    expect(stuck).toMatchObject({ status: 'failed', error: 'Timed out after 500ms', continued: true });
  });

  it('failure-handling runs only finally on success', async () => {
    const { result, events } = await run('failure-handling.yaml');
    expect(result.status).toBe('succeeded');
    expect(finished(events)).toEqual(['backup:succeeded', 'release:succeeded', 'report:succeeded']);
    expect(logs(events, 'report')).toEqual(['run ended as succeeded']);
  });

  it('failure-handling rolls back, then runs finally, and the run still fails', async () => {
    const { result, events } = await run('failure-handling.yaml', { break: true });
    expect(result.status).toBe('failed');
    expect(finished(events)).toEqual(['backup:succeeded', 'release:failed', 'rollback:succeeded', 'report:succeeded']);
    expect(logs(events, 'rollback')).toEqual(['restoring snapshot-1']);
    expect(logs(events, 'report')).toEqual(['run ended as failed']);
    expect(result.error).toBe('Step "release" failed: Command failed with exit code 3: if [ "${{ inputs.break }}" = "true" ]; then echo "release failed" >&2; exit 3; fi…\nrelease failed');
  });

  it('system-report checks the machine and writes a report file from its real figures', async () => {
    const workflow = await checkWorkflow(await loadWorkflowFile(join(examples, 'system-report.yaml')));
    const workdir = mkdtempSync(join(tmpdir(), 'arq-example-'));
    const result = await runWorkflow(workflow, { workdir });
    expect(result.status).toBe('succeeded');
    expect(result.outputs).toEqual({ file: join(workdir, 'report', 'system.json'), samples: 2 });
    const report = JSON.parse(readFileSync(join(workdir, 'report', 'system.json'), 'utf8')) as Record<string, unknown>;
    expect(report).toEqual({ host: hostname(), cores: cpus().length, memory_mb: Math.round(totalmem() / 2 ** 20), samples: 2 });
  });

  it('browser-login starts its companion demo site, signs in in headless Chromium, keeps a screenshot, the password masked, and stops the site', async () => {
    const password = 'correct horse battery staple';
    const env = { ...process.env, DEMO_ADMIN_PASSWORD: password };
    const port = await freePort();
    const workflow = await checkWorkflow(await loadWorkflowFile(join(examples, 'browser-login.yaml')));
    const workdir = mkdtempSync(join(tmpdir(), 'arq-example-'));
    const events: RunEvent[] = [];
    const result = await runWorkflow(workflow, { inputs: { port }, workdir, env, artifactsDir: join(workdir, 'artifacts'), onEvent: (e) => events.push(e) });
    expect(result.status).toBe('succeeded');
    const url = `http://127.0.0.1:${port}`;
    expect(result.outputs).toEqual({ page: 'Sign in', landed_on: `${url}/admin`, screenshot: join(workdir, 'artifacts', 'admin.png'), size: '800x600' });
    expect(pngSize(readFileSync(join(workdir, 'artifacts', 'admin.png')))).toEqual({ width: 800, height: 600 });
    expect(JSON.stringify(events)).not.toContain(password);
    // stop_with_run: the site ended with the run.
    expect(liveProcesses(`browser-login-server.mjs ${port}`)).toEqual([]);
  });

  it('subworkflow runs another file twice with different inputs', async () => {
    const { result, events } = await run('subworkflow.yaml');
    expect(result.status).toBe('succeeded');
    expect(result.outputs).toEqual({ both: 'Hello, Ann! / Hello, Bob?' });
    expect(finished(events)).toEqual(['greet_ann/line:succeeded', 'greet_ann:succeeded', 'greet_bob/line:succeeded', 'greet_bob:succeeded']);
  });

  it('llm-summary reads a file through a tool, summarises it and rates the summary, offline from its cassette', async () => {
    const { result, events } = await run('llm-summary.yaml', {}, offline('llm-summary'));
    expect(result.status).toBe('succeeded');
    expect(result.outputs).toEqual({
      summary: 'Release 1.4 makes runs resume after a crash and kills whole process trees on timeouts.\nIt also adds HTTP, file and system step types.',
      clarity: 4,
      requests: 2,
    });
    expect(finished(events)).toEqual(['notes:succeeded', 'summary:succeeded', 'rating:succeeded']);
    expect(logs(events, 'summary')).toEqual([
      'tool fs.read {"path":"notes.md"}', 'tool fs.read succeeded',
      'Release 1.4 makes runs resume after a crash and kills whole process trees on timeouts.', 'It also adds HTTP, file and system step types.',
    ]);
    expect(events.find((e) => e.type === 'step.finished' && e.step === 'rating')).toMatchObject({ outputs: { json: { clarity: 4, missing: ['the version number of each step type'] }, repairs: 0 } });
  });

  it('agents-research runs two agents at once, then the editor merges their notes, offline from its cassette', async () => {
    const { result, events, workdir } = await run('agents-research.yaml', {}, offline('agents-research'));
    expect(result.status).toBe('succeeded');
    const report = '# Workflow engines\n\nWorkflow engines come from batch schedulers and now run builds, pipelines and deployments as code.\nTheir files are easy to review but limit steps; journals make runs resumable; fan-out needs limits.';
    expect(result.outputs).toEqual({
      report,
      points: ['Declarative files are easy to review but limit what a step can express.', 'Durable journals make runs resumable at the cost of disk writes.', 'Parallel fan-out is fast but needs budgets and limits.'],
      spend: { requests: 3, tokens: 459 },
    });
    const order = finished(events);
    expect(order.slice(0, 2).sort()).toEqual(['research/history:succeeded', 'research/tradeoffs:succeeded']);
    expect(order.slice(2)).toEqual(['research/report:succeeded', 'research:succeeded', 'save:succeeded']);
    // Both research tasks started before either finished: they ran at the same time.
    const firstEnd = events.findIndex((e) => e.type === 'step.finished');
    const starts = events.slice(0, firstEnd).flatMap((e) => (e.type === 'step.started' ? [e.step] : []));
    expect(starts).toEqual(['research', 'research/history', 'research/tradeoffs']);
    expect(readFileSync(join(workdir, 'report.md'), 'utf8')).toBe(report);
  });

  it('llm-summary runs from the command line offline, the model\'s text shown line by line', async () => {
    const workdir = mkdtempSync(join(tmpdir(), 'arq-example-'));
    const env = { ...offline('llm-summary'), ARQ_HOME: join(workdir, '.state') };
    const { code, stdout } = await runCli(['run', join(examples, 'llm-summary.yaml'), '--workdir', workdir], workdir, env);
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines).toContain('  summary | Release 1.4 makes runs resume after a crash and kills whole process trees on timeouts.');
    expect(lines).toContain('  summary | It also adds HTTP, file and system step types.');
    expect(lines.at(-2)).toBe('outputs: {"summary":"Release 1.4 makes runs resume after a crash and kills whole process trees on timeouts.\\nIt also adds HTTP, file and system step types.","clarity":4,"requests":2}');
  });
});
