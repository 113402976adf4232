/** `uses: workflow` steps: the sub-workflow file is read and checked, and its inputs match. */
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { WorkflowError, type Problem } from '../errors.js';
import type { Workflow } from '../model/types.js';
import { asRecord, type Checker } from './checker.js';
import { closest } from './closest.js';
import type { DraftStep } from './steps.js';

/** Checks a sub-workflow: `stack` holds the absolute paths of the workflows that include it. */
export type CheckChild = (file: string, displayPath: string, stack: readonly string[]) => Promise<Workflow>;

/** Sub-workflow paths are relative to the file that names them, and shown that way. */
function displayPathOf(parent: string, file: string): string {
  return isAbsolute(file) ? file : join(dirname(parent), file);
}

function cycleProblem(checker: Checker, step: DraftStep, stack: readonly string[], file: string): Problem {
  const cycle = [...stack.slice(stack.indexOf(file)), file].map((f) => basename(f)).join(' -> ');
  const message = `Sub-workflow cycle: ${cycle}; a workflow cannot run itself, directly or through other workflows`;
  return { code: 'workflow.cycle', message, location: checker.doc.locate(step.pendingWorkflow!.path) };
}

/** A file that cannot be read is reported where it is named, not at line 1 of a file that is not there. */
function unreadable(checker: Checker, step: DraftStep, error: WorkflowError): Problem[] {
  if (!error.problems.every((p) => p.code === 'load.unreadable')) return [...error.problems];
  const { file, path } = step.pendingWorkflow!;
  return error.problems.map((p) => ({
    code: 'workflow.unreadable',
    message: `${p.message.replace(/^Cannot read file/, `Cannot read sub-workflow "${String(file)}"`)}; the path is relative to this workflow's file`,
    location: checker.doc.locate(path),
  }));
}

/** Checks every `uses: workflow` step of a workflow; returns the problems found in and around them. */
export async function checkSubworkflows(checker: Checker, steps: readonly DraftStep[], stack: readonly string[], checkChild: CheckChild): Promise<Problem[]> {
  const problems: Problem[] = [];
  for (const step of steps) {
    const pending = step.pendingWorkflow!;
    if (typeof pending.file !== 'string' || pending.file.includes('${{')) continue;
    const shown = displayPathOf(checker.doc.file, pending.file);
    const file = resolve(shown);
    if (stack.includes(file)) {
      problems.push(cycleProblem(checker, step, stack, file));
      continue;
    }
    try {
      step.workflow = await checkChild(file, shown, [...stack, file]);
      problems.push(...inputProblems(checker, step, pending.inputs));
    } catch (error) {
      if (!(error instanceof WorkflowError)) throw error;
      problems.push(...unreadable(checker, step, error));
    }
  }
  return problems;
}

function unknownInput(checker: Checker, step: DraftStep, name: string): Problem {
  const known = Object.keys(step.workflow!.inputs);
  const guess = closest(name, known);
  const hint = guess ? ` Did you mean "${guess}"?` : '';
  const takes = known.length ? `Expected one of: ${known.join(', ')}` : 'It takes no inputs';
  const message = `Unknown input "${name}" for sub-workflow ${basename(step.workflow!.file)}.${hint} ${takes}`;
  return { code: 'workflow.unknown_input', message, location: checker.doc.locate([...step.path, 'with', 'inputs', name], 'key') };
}

function inputProblems(checker: Checker, step: DraftStep, raw: unknown): Problem[] {
  const specs = step.workflow!.inputs;
  const given = asRecord(raw) ?? {};
  const problems = Object.keys(given).filter((name) => !(name in specs)).map((name) => unknownInput(checker, step, name));
  for (const [name, spec] of Object.entries(specs)) {
    if (!spec.required || name in given) continue;
    const message = `Sub-workflow ${basename(step.workflow!.file)} needs input "${name}"; add it under with: inputs:`;
    problems.push({ code: 'workflow.missing_input', message, location: checker.doc.locate([...step.path, 'with'], 'key') });
  }
  return problems;
}
