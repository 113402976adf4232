import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newRunId, runWorkflow } from '../../../engine/run/run.js';
import { loadRun, listRuns } from '../../../engine/store/history.js';
import { readJournal } from '../../../engine/store/journal.js';
import { RunRecorder } from '../../../engine/store/recorder.js';
import { foldJournal, readSummary, writeSummary, emptySummary } from '../../../engine/store/summary.js';
import { checkText, tempDir } from '../../helpers/workflow.js';

const dir = tempDir('arq-recorder-');

const YAML = `
name: recorded
steps:
  - id: hello
    run: echo "out line"; echo "err line" >&2
  - id: items
    foreach: \${{ fromJSON('["a","b"]') }}
    concurrency: 1
    run: echo "item \${{ item }}"
  - id: flaky
    run: exit 3
    retry: { attempts: 2, backoff: 1ms }
    continue_on_error: true
`;

/** Runs the workflow above with a recorder, as `arq run` does. */
async function recordRun(stateDir: string) {
  const workflow = await checkText(YAML, dir);
  const runId = newRunId();
  const recorder = RunRecorder.create({ stateDir, runId, workflow: workflow.name, file: join(dir, 'wf.yaml'), hash: 'abc', workdir: dir });
  const result = await runWorkflow(workflow, { runId, workdir: dir, onEvent: (e) => recorder.record(e) });
  recorder.close();
  return { runId, result, runDir: recorder.dir };
}

describe('a recorded run', () => {
  it('journals every event but step logs, in order, with where the run came from', async () => {
    const { runId, runDir } = await recordRun(join(dir, 'state1'));
    const { entries, skipped } = readJournal(join(runDir, 'journal.jsonl'));
    expect(skipped).toBe(0);
    const steps = entries.map((e) => `${e.type}${'step' in e ? ` ${e.step}${e.item === undefined ? '' : `[${e.item}]`}` : ''}`);
    expect(steps).toEqual([
      'run.started', 'step.started hello', 'step.finished hello',
      'step.started items', 'step.started items[0]', 'step.finished items[0]', 'step.started items[1]', 'step.finished items[1]', 'step.finished items',
      'step.started flaky', 'step.retrying flaky', 'step.started flaky', 'step.finished flaky', 'run.finished',
    ]);
    expect(entries[0]).toMatchObject({ type: 'run.started', run: runId, workflow: 'recorded', inputs: {}, version: 1, file: join(dir, 'wf.yaml'), hash: 'abc', workdir: dir, pid: process.pid });
    expect(entries.at(-1)).toMatchObject({ type: 'run.finished', status: 'succeeded' });
    expect(entries[2]).toMatchObject({ type: 'step.finished', attempts: 1, outputs: { stdout: 'out line', stderr: 'err line', exit_code: 0 } });
  });

  it('writes each step\'s lines to its own log, tagged by stream and item', async () => {
    const { runDir } = await recordRun(join(dir, 'state2'));
    expect(readdirSync(join(runDir, 'logs')).sort()).toEqual(['hello.log', 'items.log']);
    expect(readFileSync(join(runDir, 'logs', 'hello.log'), 'utf8')).toBe('stdout | out line\nstderr | err line\n');
    expect(readFileSync(join(runDir, 'logs', 'items.log'), 'utf8')).toBe('stdout [0] | item a\nstdout [1] | item b\n');
  });

  it('writes run.json with the final status and each step\'s status and attempts, and releases the lock', async () => {
    const { runId, runDir } = await recordRun(join(dir, 'state3'));
    const summary = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8'));
    expect(summary).toMatchObject({ id: runId, workflow: 'recorded', file: join(dir, 'wf.yaml'), hash: 'abc', status: 'succeeded', pid: process.pid });
    expect(summary.steps.hello).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(summary.steps.flaky).toMatchObject({ status: 'failed', attempts: 2, error: 'Command failed with exit code 3: exit 3' });
    expect(summary.steps['items[1]']).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(existsSync(join(runDir, 'lock'))).toBe(false);
    expect(readdirSync(runDir).sort()).toEqual(['journal.jsonl', 'logs', 'run.json']);
  });

  it('rebuilds the same summary from the journal when run.json is missing', async () => {
    const { runId, runDir } = await recordRun(join(dir, 'state4'));
    const written = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8'));
    rmSync(join(runDir, 'run.json'));
    expect(readSummary(runDir, runId)).toEqual(written);
  });

  it('reads a run whose journal was cut mid-line as interrupted, as far as it got', async () => {
    const stateDir = join(dir, 'state5');
    const { runId, runDir } = await recordRun(stateDir);
    const lines = readFileSync(join(runDir, 'journal.jsonl'), 'utf8').split('\n');
    // run.started, step.started hello, then the first 20 characters of step.finished hello.
    writeFileSync(join(runDir, 'journal.jsonl'), `${lines.slice(0, 2).join('\n')}\n${lines[2]!.slice(0, 20)}`);
    rmSync(join(runDir, 'run.json'));
    const run = loadRun(stateDir, runId)!;
    expect(run.status).toBe('interrupted');
    expect(Object.keys(run.summary.steps)).toEqual(['hello']);
    expect(run.summary.steps.hello!.status).toBe('running');
    expect(listRuns(stateDir).map((r) => r.status)).toEqual(['interrupted']);
  });
});

describe('run.json', () => {
  it('is replaced whole: no temp file is left and the content is the new summary', () => {
    writeSummary(dir, emptySummary('old'));
    const summary = { ...emptySummary('r9', { workflow: 'w' }), status: 'failed' as const };
    writeSummary(dir, summary);
    expect(JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'))).toEqual(summary);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('folds an empty journal to a running summary with no steps', () => {
    expect(foldJournal('r1', [])).toMatchObject({ id: 'r1', status: 'running', steps: {} });
  });
});
