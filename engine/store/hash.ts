/** The fingerprint of what a run runs: the workflow file and every sub-workflow file it calls. */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { Workflow } from '../model/types.js';

function collect(workflow: Workflow, into: Map<string, string>): void {
  for (const node of workflow.stepsById.values()) {
    // Absolute: `arq run wf.yaml` and a resume from elsewhere must hash the same paths.
    const file = resolve(node.workflow?.file ?? '');
    if (!node.workflow || into.has(file)) continue;
    into.set(file, node.workflow.doc.text);
    collect(node.workflow, into);
  }
}

/**
 * sha256 of the workflow's text, then of each sub-workflow's path and text in path order: a resume
 * notices an edit to any file the run would read, not only the top one.
 */
export function workflowHash(workflow: Workflow): string {
  const hash = createHash('sha256').update(workflow.doc.text);
  const subs = new Map<string, string>();
  collect(workflow, subs);
  for (const [file, text] of [...subs].sort(([a], [b]) => a.localeCompare(b))) hash.update(`\0${file}\0${text}`);
  return hash.digest('hex');
}
