/** `arq validate FILE...`: every problem of every file, then exit 2 if there was any. */
import { WorkflowError, formatProblem, sortProblems } from '../errors.js';
import { EXIT } from './exit.js';
import { loadChecked } from './load.js';

export async function validateCommand(files: readonly string[]): Promise<number> {
  let problems = 0;
  for (const file of files) {
    try {
      const workflow = await loadChecked(file);
      process.stdout.write(`${file}: ok (${workflow.stepsById.size} step${workflow.stepsById.size === 1 ? "" : "s"})\n`);
    } catch (error) {
      if (!(error instanceof WorkflowError)) throw error;
      problems += error.problems.length;
      process.stderr.write(sortProblems(error.problems).map(formatProblem).join('\n') + '\n');
    }
  }
  if (problems) process.stderr.write(`${problems} problem${problems === 1 ? '' : 's'} found\n`);
  return problems ? EXIT.usage : EXIT.ok;
}
