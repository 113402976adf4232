/** `arq steps [TYPE]`: the step types and their input schemas. */
import { UsageError } from '../errors.js';
import { builtinSteps } from '../../steps/registry.js';
import { closest } from '../check/closest.js';
import { EXIT } from './exit.js';

export async function stepsCommand(type: string | undefined, options: { json?: boolean }): Promise<number> {
  if (type === undefined) {
    const rows = [...builtinSteps.values()].map((s) => ({ type: s.type, description: s.description }));
    if (options.json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    else {
      const width = Math.max(...rows.map((r) => r.type.length));
      for (const row of rows) process.stdout.write(`${row.type.padEnd(width)}  ${row.description}\n`);
      process.stdout.write(`${'workflow'.padEnd(width)}  Runs another workflow file: with: { path, inputs }.\n`);
    }
    return EXIT.ok;
  }
  const step = builtinSteps.get(type);
  if (!step) {
    const guess = closest(type, [...builtinSteps.keys()]);
    throw new UsageError('steps.unknown', `Unknown step type "${type}".${guess ? ` Did you mean "${guess}"?` : ''} Run \`arq steps\` to list them`);
  }
  const doc = { type: step.type, description: step.description, input: step.input, output: step.output };
  process.stdout.write(options.json ? `${JSON.stringify(doc, null, 2)}\n` : `${step.type}: ${step.description}\ninput schema:\n${JSON.stringify(step.input, null, 2)}\n`);
  return EXIT.ok;
}
