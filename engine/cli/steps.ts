/** `arq steps [TYPE]`: the step types and their input schemas. */
import { UsageError, WorkflowError } from '../errors.js';
import { CONFIG_FILE, loadConfigSteps } from '../check/custom.js';
import { stepCatalog as builtinSteps } from '../../steps/catalog.js';
import { closest } from '../check/closest.js';
import { EXIT } from './exit.js';

/** `uses: workflow` is run by the engine itself, but a user looks it up like any step type. */
const workflowStep = {
  type: 'workflow',
  description: 'Runs another workflow file: with: { path, inputs }.',
  input: {
    type: 'object', additionalProperties: false, required: ['path'],
    properties: {
      path: { type: 'string', description: 'The workflow file, relative to the calling workflow.' },
      inputs: { type: 'object', description: 'The inputs of the sub-workflow.' },
    },
  },
  output: { type: 'object', description: 'The outputs of the sub-workflow.' },
};

type Listed = { type: string; description: string; input: object; output?: object; custom?: boolean };
let custom: Listed[] = [];

function allSteps(): Listed[] {
  return [...builtinSteps.values(), workflowStep, ...custom];
}

/** Custom types of the current folder's arq.config.yaml, listed under the names it gives them. */
async function loadCustom(): Promise<void> {
  const { steps, problems } = await loadConfigSteps(process.cwd());
  if (problems.length) throw new WorkflowError(problems);
  custom = [...steps].map(([name, step]) => ({ type: name, description: `${step.description} (custom: ${CONFIG_FILE})`, input: step.input, output: step.output, custom: true }));
}

function listSteps(json: boolean | undefined): number {
  const rows = allSteps().map((s) => ({ type: s.type, description: s.description }));
  if (json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  const width = Math.max(...rows.map((r) => r.type.length));
  if (!json) for (const row of rows) process.stdout.write(`${row.type.padEnd(width)}  ${row.description}\n`);
  return EXIT.ok;
}

export async function stepsCommand(type: string | undefined, options: { json?: boolean }): Promise<number> {
  await loadCustom();
  if (type === undefined) return listSteps(options.json);
  const step = allSteps().find((s) => s.type === type);
  if (!step) {
    const guess = closest(type, allSteps().map((s) => s.type));
    throw new UsageError('steps.unknown', `Unknown step type "${type}".${guess ? ` Did you mean "${guess}"?` : ''} Run \`arq steps\` to list them`);
  }
  const doc = { type: step.type, description: step.description, input: step.input, output: step.output };
  process.stdout.write(options.json ? `${JSON.stringify(doc, null, 2)}\n` : `${step.type}: ${step.description}\ninput schema:\n${JSON.stringify(step.input, null, 2)}\n`);
  return EXIT.ok;
}
