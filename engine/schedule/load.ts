/**
 * Loading one scheduled workflow: read and checked like `arq validate` does it. This needs the
 * whole checker (schemas, step types, expressions), so the scheduler does it in a child process
 * (check-child.ts); `arq schedule --list` does it in-process.
 */
import { createHash } from 'node:crypto';
import { asRecord } from '../check/checker.js';
import { checkWorkflow } from '../check/workflow.js';
import { loadWorkflowFile } from '../load/load.js';
import { shownPath, type ScheduledWorkflow } from './catalog.js';

/**
 * Loads and checks `file`. Undefined when it is no scheduled workflow (no `on.schedule`: a
 * sub-workflow, an inputs file, arq.config.yaml); a WorkflowError lists its problems.
 *
 * @example
 * (await loadScheduled('/srv/pipelines/nightly.yaml'))?.schedules[0].cron; // '30 2 * * *'
 */
export async function loadScheduled(file: string): Promise<ScheduledWorkflow | undefined> {
  const shown = shownPath(file);
  const doc = await loadWorkflowFile(file, { displayPath: shown });
  if (asRecord(asRecord(doc.data)?.on)?.schedule === undefined) return undefined;
  const workflow = await checkWorkflow(doc);
  return {
    file, shown, name: workflow.name, text: doc.text, schedules: workflow.schedules,
    textHash: createHash('sha256').update(doc.text).digest('hex'),
  };
}
