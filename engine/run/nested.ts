/**
 * StepContext.runStep and describeStep: a step runs another step type as part of itself (an LLM's
 * tool call). The type is looked up like a `uses:` (built-ins, then the workflow's custom types),
 * its input is validated against its schema, and it runs with the calling step's signal, folders,
 * env, run and log, so a tool call keeps the step's timeout, permissions and masking.
 */
import { builtinSteps } from '../../steps/registry.js';
import { StepError, type StepContext, type StepOutputs, type StepType } from '../../steps/contract.js';
import { validatorFor } from '../check/ajv.js';
import { ENGINE_ONLY_TYPES as ENGINE_ONLY } from '../check/agents.js';
import { closest } from '../check/closest.js';
import { schemaIssues } from '../check/schema-errors.js';
import type { Workflow } from '../model/types.js';

/**
 * Validates a step type's input; throws `input.invalid` naming the first problem.
 *
 * @example
 * checkStepInput('fs.read', fsRead.input, { path: 3 }); // throws: Invalid input for "fs.read" at with.path: ...
 */
export function checkStepInput(uses: string, schema: object, input: unknown): void {
  const validate = validatorFor(schema, `step:${uses}`);
  if (validate(input)) return;
  const issue = schemaIssues(validate.errors ?? [], input)[0]!;
  const where = issue.path.length ? ` at with.${issue.path.join('.')}` : '';
  throw new StepError('input.invalid', `Invalid input for "${uses}"${where}: ${issue.message}`);
}

/** The step type `uses` names for a workflow, or undefined. */
function lookup(workflow: Workflow, uses: string): StepType | undefined {
  if (ENGINE_ONLY.has(uses)) return undefined;
  return workflow.customSteps?.get(uses) ?? builtinSteps.get(uses);
}

function unknownType(workflow: Workflow, uses: string): StepError {
  if (ENGINE_ONLY.has(uses)) return new StepError('step.not_nested', `"${uses}" is run by the engine and cannot be run from inside a step`);
  const known = [...builtinSteps.keys(), ...(workflow.customSteps?.keys() ?? [])];
  const guess = closest(uses, known);
  return new StepError('step.unknown_type', `Unknown step type "${uses}".${guess ? ` Did you mean "${guess}"?` : ''}`);
}

/** StepContext.describeStep: the description and input schema of a step type, if it may be run from a step. */
export function describeNested(workflow: Workflow, uses: string): { readonly description: string; readonly input: StepType['input'] } | undefined {
  const type = lookup(workflow, uses);
  return type && { description: type.description, input: type.input };
}

/** StepContext.runStep: runs a step type with the calling step's context, its log lines prefixed by the type. */
export async function runNested(workflow: Workflow, ctx: StepContext, uses: string, input: Record<string, unknown>): Promise<StepOutputs> {
  const type = lookup(workflow, uses);
  if (!type) throw unknownType(workflow, uses);
  checkStepInput(uses, type.input, input);
  const log = ctx.log;
  return type.run(input, { ...ctx, log: (stream, line) => log(stream, `[${uses}] ${line}`) });
}
