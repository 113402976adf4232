/** check: a loaded document -> a checked Workflow, or every problem found in it. */
import { readFileSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { packageRoot } from '../paths.js';
import { WorkflowError } from '../errors.js';
import { loadWorkflowFile, type LoadedDocument } from '../load/load.js';
import type { Block, StepNode, Workflow } from '../model/types.js';
import { validatorFor } from './ajv.js';
import { buildAgents, buildSettings, checkStepTools } from './agents.js';
import { asList, asRecord, Checker } from './checker.js';
import { checkNeeds } from './dag.js';
import { loadCustomSteps } from './custom.js';
import { checkDurations } from './durations.js';
import { checkPermissions, grantedPermissions } from './permissions.js';
import { buildInputs, buildSecrets } from './inputs.js';
import { RefChecker } from './refs.js';
import { moduleUses, stepIds } from './scan.js';
import { checkSchedules } from './schedule.js';
import { schemaIssues } from './schema-errors.js';
import { BASE_CONTEXTS, durationOf, retryOf, StepBuilder, type DraftStep, type Defaults } from './steps.js';
import { checkSubworkflows, type CheckChild } from './subworkflow.js';
import { checkTeams } from './team.js';
import { StepTree } from './tree.js';

/** The language's reference: the same file editors use through yaml-language-server. */
export const workflowSchema = JSON.parse(readFileSync(join(packageRoot, 'schemas', 'workflow.schema.json'), 'utf8')) as object;

interface CheckOptions {
  /** Absolute paths of the workflows that include this one: a sub-workflow cycle is an error. */
  readonly stack?: readonly string[];
}

function checkSchema(checker: Checker, data: unknown): void {
  const validate = validatorFor(workflowSchema, 'workflow');
  if (validate(data)) return;
  for (const issue of schemaIssues(validate.errors ?? [], data)) checker.report(issue.code, issue.message, issue.path, issue.where);
}

function defaultsOf(raw: Record<string, unknown>): Defaults {
  const d = asRecord(raw.defaults) ?? {};
  return {
    timeoutMs: durationOf(d.timeout),
    retry: retryOf(d.retry),
    shell: typeof d.shell === 'string' ? d.shell : undefined,
    continueOnError: typeof d.continue_on_error === 'boolean' ? d.continue_on_error : undefined,
  };
}

function section(tree: StepTree, id: string): DraftStep {
  const node: DraftStep = { id, named: false, label: id, path: [], kind: 'sequence', continueOnError: false, needs: [] };
  tree.root.nodes.push(node);
  return node;
}

function checkRefs(checker: Checker, builder: StepBuilder, sections: { outputs: DraftStep }, outputs: Workflow['outputs']): void {
  const refs = new RefChecker(checker, builder.tree, builder.byId);
  // Indexed: a for-of allocates an iterator result per step until the loop is optimised.
  for (let i = 0; i < builder.steps.length; i++) refs.checkStep(builder.steps[i]!);
  refs.check(sections.outputs, outputs, ['outputs']);
}

function nameOf(file: string, raw: Record<string, unknown>): string {
  return typeof raw.name === 'string' ? raw.name : basename(file, extname(file));
}

/** Checks a loaded workflow; throws a WorkflowError listing every problem, or returns the model. */
export async function checkWorkflow(doc: LoadedDocument, options: CheckOptions = {}): Promise<Workflow> {
  const checker = new Checker(doc);
  checkSchema(checker, doc.data);
  const raw = asRecord(doc.data) ?? {};
  const tree = new StepTree();
  const custom = await loadCustomSteps(doc, moduleUses(raw));
  checker.problems.push(...custom.problems);
  const builder = new StepBuilder(checker, tree, defaultsOf(raw), () => stepIds(raw), custom.steps);
  checkDurations(checker, asRecord(raw.defaults) ?? {}, ['defaults']);
  const sections = { main: section(tree, '#main'), onFailure: section(tree, '#on_failure'), finally: section(tree, '#finally'), outputs: section(tree, '#outputs') };
  const main: Block = builder.buildBlock(raw.steps, ['steps'], sections.main, BASE_CONTEXTS);
  const onFailure = builder.buildBlock(raw.on_failure, ['on_failure'], sections.onFailure, BASE_CONTEXTS);
  const fin = builder.buildBlock(raw.finally, ['finally'], sections.finally, BASE_CONTEXTS);
  const outputs = raw.outputs === undefined ? undefined : builder.value(raw.outputs, ['outputs'], BASE_CONTEXTS);
  const env = raw.env === undefined ? undefined : builder.value(raw.env, ['env'], BASE_CONTEXTS.filter((c) => c !== 'env' && c !== 'steps'));
  checkNeeds(checker, builder.needs, (node) => rawNeedsOf(doc, node));
  checkRefs(checker, builder, sections, outputs);
  checkStepTools(checker, builder.steps, custom.steps);
  const agents = buildAgents(checker, raw.agents, custom.steps);
  const buildTeams = checkTeams(checker, builder.steps, agents);
  const permissions = grantedPermissions(raw.permissions);
  checkPermissions(checker, builder.steps, permissions);
  const name = nameOf(doc.file, raw);
  const inputs = buildInputs(checker, raw.inputs);
  const workflow: Workflow = {
    file: doc.file, name, doc, env, outputs, main, onFailure, finally: fin,
    inputs, secrets: buildSecrets(checker, raw.secrets), stepsById: builder.byId, customSteps: custom.steps,
    agents, settings: buildSettings(checker, raw),
    schedules: await checkSchedules(checker, raw.on, { name, inputs }),
    allowedPaths: asList(asRecord(raw.permissions)?.paths).filter((p): p is string => typeof p === 'string'),
    permissions,
  };
  buildTeams(workflow);
  const stack = options.stack ?? [resolve(doc.file)];
  const problems = [...checker.problems, ...(await checkSubworkflows(checker, builder.subworkflows, stack, checkChild))];
  if (problems.length) throw new WorkflowError(problems);
  return workflow;
}

const checkChild: CheckChild = async (file, displayPath, stack) =>
  checkWorkflow(await loadWorkflowFile(file, { displayPath }), { stack });

function rawNeedsOf(doc: LoadedDocument, node: StepNode): unknown {
  let value: unknown = doc.data;
  for (const key of [...node.path, 'needs']) value = (value as Record<string | number, unknown> | undefined)?.[key];
  return value;
}
