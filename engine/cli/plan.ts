/** `arq run --dry-run`: the checked plan, step by step, with the inputs the run would get. */
import { UsageError } from '../errors.js';
import { formatDuration } from '../model/duration.js';
import type { Block, StepNode, Workflow } from '../model/types.js';
import { applyInputs } from '../run/inputs.js';

function describe(step: StepNode): string {
  const parts: string[] = [step.kind === 'action' ? `uses ${step.uses}` : step.kind];
  if (step.kind === 'foreach') parts.push(`concurrency ${step.concurrency ?? 'all'}`);
  if (step.needs.length) parts.push(`needs ${step.needs.join(', ')}`);
  if (step.if) parts.push('if');
  if (step.timeoutMs !== undefined) parts.push(`timeout ${formatDuration(step.timeoutMs)}`);
  if (step.retry && step.retry.attempts > 1) parts.push(`retry ${step.retry.attempts}x`);
  if (step.continueOnError) parts.push('continue_on_error');
  return parts.join(', ');
}

function blockLines(block: Block, indent: string): string[] {
  const lines: string[] = [];
  block.steps.forEach((step, i) => {
    const bullet = block.dag ? '•' : `${i + 1}.`;
    // An id arq made up (step_3, fe__item) means nothing to the reader: show what the step runs.
    const name = step.named ? step.id : `"${step.label}"`;
    lines.push(`${indent}${bullet} ${name} (${describe(step)})`);
    if (step.body) lines.push(...blockLines(step.body, `${indent}   `));
    for (const branch of step.branches ?? []) lines.push(...blockLines(branch, `${indent}   | `));
  });
  return lines;
}

/** The plan as text lines. */
export function planLines(workflow: Workflow, inputs: Record<string, unknown>): string[] {
  const lines = [`workflow ${workflow.name} (${workflow.file})`];
  if (Object.keys(inputs).length) lines.push(`inputs: ${JSON.stringify(inputs)}`);
  lines.push(`steps${workflow.main.dag ? ' (DAG)' : ''}:`, ...blockLines(workflow.main, '  '));
  if (workflow.onFailure.steps.length) lines.push('on_failure:', ...blockLines(workflow.onFailure, '  '));
  if (workflow.finally.steps.length) lines.push('finally:', ...blockLines(workflow.finally, '  '));
  return lines;
}

export function printPlan(workflow: Workflow, given: Record<string, unknown>): void {
  const inputs = applyInputs(workflow, given, (message) => new UsageError('input.invalid', message));
  process.stdout.write(planLines(workflow, inputs).join('\n') + '\ndry run: nothing was run\n');
}
