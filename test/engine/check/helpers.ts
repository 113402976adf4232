/** Checks workflow text given inline, and reads its problems as [line, column, code, message]. */
import { checkWorkflow } from '../../../engine/check/workflow.js';
import { WorkflowError, sortProblems } from '../../../engine/errors.js';
import { parseWorkflowText } from '../../../engine/load/load.js';

export type Row = readonly [number, number, string, string];

/** Lines joined with newlines, so a test can show the YAML as it would be written. */
export function yaml(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

/** Every problem of the workflow, sorted by place; an empty list when it checks. */
export async function problemsIn(text: string): Promise<Row[]> {
  try {
    await checkWorkflow(parseWorkflowText(text, 'wf.yaml'));
    return [];
  } catch (error) {
    if (!(error instanceof WorkflowError)) throw error;
    return sortProblems(error.problems).map((p) => [p.location.line, p.location.column, p.code, p.message]);
  }
}
