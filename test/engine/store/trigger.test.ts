/** A scheduled run's trigger in the record: journalled with run.started, kept in run.json, kept by a resume. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunTrigger } from '../../../engine/model/schedule.js';
import { readJournal } from '../../../engine/store/journal.js';
import { RunRecorder } from '../../../engine/store/recorder.js';
import { readSummary } from '../../../engine/store/summary.js';
import { tempDir } from '../../helpers/workflow.js';

const dir = tempDir('arq-trigger-');
const trigger: RunTrigger = { type: 'schedule', entry: 2, cron: '0 3 * * *', timezone: 'Europe/Berlin', planned_at: '2026-03-29T01:00:00.000Z', reason: 'catch_up' };
const options = { stateDir: dir, runId: '20260329-010000-abcdef', workflow: 'nightly', file: '/srv/nightly.yaml', hash: 'h', workdir: '/' };

describe('the trigger of a scheduled run', () => {
  it('is written with run.started and read back into the summary; a resume without one keeps it', () => {
    const first = RunRecorder.create({ ...options, trigger });
    first.record({ type: 'run.started', run: options.runId, workflow: 'nightly', time: Date.parse('2026-03-29T01:00:01Z'), inputs: {} });
    first.close();
    const runDir = join(dir, 'runs', options.runId);
    expect(readJournal(join(runDir, 'journal.jsonl')).entries[0]).toMatchObject({ type: 'run.started', trigger });
    expect(readSummary(runDir, options.runId)!.trigger).toEqual(trigger);

    const resumed = RunRecorder.resume(options, readJournal(join(runDir, 'journal.jsonl')).entries);
    resumed.record({ type: 'run.started', run: options.runId, workflow: 'nightly', time: Date.parse('2026-03-29T02:00:00Z'), inputs: {}, resumed: true });
    resumed.record({ type: 'run.finished', run: options.runId, workflow: 'nightly', status: 'succeeded', time: Date.parse('2026-03-29T02:00:01Z'), duration_ms: 3_600_000 });
    resumed.close();
    const summary = readSummary(runDir, options.runId)!;
    expect(summary.status).toBe('succeeded');
    expect(summary.trigger).toEqual(trigger);
  });
});
