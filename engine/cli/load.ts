/** load -> check, as every command that reads a workflow does it. */
import { checkWorkflow } from '../check/workflow.js';
import { loadWorkflowFile } from '../load/load.js';
import type { Workflow } from '../model/types.js';

export async function loadChecked(file: string): Promise<Workflow> {
  return checkWorkflow(await loadWorkflowFile(file, { displayPath: file }));
}
