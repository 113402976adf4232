/** Checks an action step (`run:` or `uses:`): its type exists and its inputs fit the type's schema. */
import { compileScript, compileValue, type CompiledValue, type ScriptVar } from '../expr/index.js';
import type { YamlPath } from '../load/load.js';
import { stepCatalog as builtinSteps } from '../../steps/catalog.js';
import type { StepType } from '../../steps/contract.js';
import { validatorFor, type ErrorObject, type ValidateFunction } from './ajv.js';
import { asRecord, type Checker } from './checker.js';
import { closest } from './closest.js';
import { isModulePath } from './custom.js';
import { describeValue, schemaIssues } from './schema-errors.js';

/** The fields of a step an action fills in, set in this order (the model's key order). */
export interface ActionFields {
  uses?: string;
  with?: CompiledValue;
  scriptVars?: readonly ScriptVar[];
  custom?: StepType;
}

/** A `uses: workflow` step: its sub-workflow is checked once the whole workflow is built. */
export interface PendingWorkflow {
  readonly path: YamlPath;
  readonly file: unknown;
  readonly inputs: unknown;
}

interface RawAction {
  readonly uses: string;
  readonly with: Record<string, unknown>;
  /** The step's path. */
  readonly path: YamlPath;
  /** A `run:` step: the shorthand keeps its inputs on the step, not under `with:`. */
  readonly shorthand: boolean;
  /** Whether the step has a `with:` of its own. */
  readonly hasWith: boolean;
}

/** The inputs of a step without `with:`; nothing here writes to inputs as written (compileScripts copies). */
const NO_INPUTS: Record<string, unknown> = Object.freeze({});

function rawAction(step: Record<string, unknown>, path: YamlPath, defaultShell: string | undefined): RawAction {
  if (typeof step.run === 'string') return { uses: 'shell', with: shellInputs(step, defaultShell), path, shorthand: true, hasWith: false };
  return { uses: String(step.uses), with: asRecord(step.with) ?? NO_INPUTS, path, shorthand: false, hasWith: step.with !== undefined };
}

/** The inputs of the `run:` shorthand: run, shell, cwd and outputs, written on the step itself. */
function shellInputs(step: Record<string, unknown>, defaultShell: string | undefined): Record<string, unknown> {
  const input: Record<string, unknown> = { run: step.run };
  if (step.shell !== undefined) input.shell = step.shell;
  if (step.cwd !== undefined) input.cwd = step.cwd;
  if (step.outputs !== undefined) input.outputs = step.outputs;
  if (input.shell === undefined && defaultShell !== undefined) input.shell = defaultShell;
  return input;
}

/** Where a `with` key is written in the file; built only when something is reported there. */
function keyPath(action: RawAction, key: string): YamlPath {
  return action.shorthand ? [...action.path, key] : [...action.path, 'with', key];
}

/** Where the inputs as a whole are written: the step itself for the run: shorthand. */
function inputsPath(action: RawAction): YamlPath {
  return action.shorthand ? action.path : [...action.path, 'with'];
}

const hasExpression = (value: unknown): boolean =>
  typeof value === 'string' ? value.includes('${{') : value !== null && typeof value === 'object' && Object.values(value).some(hasExpression);

/** A value computed at run time cannot be checked now; the step checks it again when it runs. */
function checkable(error: ErrorObject): boolean {
  return !(error.keyword !== 'required' && error.keyword !== 'additionalProperties' && hasExpression(error.data));
}

/** Validators by step type: the name of a type's validator is built once, not per step. */
const inputValidators = new WeakMap<StepType, ValidateFunction>();

function inputValidator(type: StepType): ValidateFunction {
  let validate = inputValidators.get(type);
  if (!validate) inputValidators.set(type, (validate = validatorFor(type.input, `step:${type.type}`)));
  return validate;
}

function checkInputs(checker: Checker, type: StepType, action: RawAction): void {
  const validate = inputValidator(type);
  if (validate(action.with)) return;
  const errors = (validate.errors ?? []).filter(checkable);
  for (const issue of schemaIssues(errors, action.with, `the inputs of "${type.type}"`)) {
    const [first, ...rest] = issue.path;
    const base = first === undefined ? [...inputsPath(action)] : [...keyPath(action, String(first)), ...rest];
    checker.report(`input.${issue.code.replace(/^schema\./, '')}`, issue.message, base, issue.where);
  }
}

/** Code run elsewhere (a page's JavaScript) is taken as written: a value pasted into it could change what it does. */
function checkConstantInputs(checker: Checker, type: StepType, action: RawAction): void {
  if (!type.constantInputs) return;
  for (const key of type.constantInputs) {
    if (!hasExpression(action.with[key])) continue;
    checker.report('input.not_constant', `"${key}" of "${type.type}" is code and must be written as it is, without \${{ }} expressions; pass values in \`args\` and read them as arguments[0], arguments[1], ...`, keyPath(action, key));
  }
}

/** sh and bash quote like sh; any other interpreter only gets the variable's name (README). */
function shellFamily(shell: unknown): 'sh' | 'other' {
  return shell === undefined || shell === 'sh' || shell === 'bash' ? 'sh' : 'other';
}

/** Sets `with` and `scriptVars` of the step. */
function compileInputs(node: ActionFields, checker: Checker, type: StepType, action: RawAction, contexts: readonly string[]): void {
  let input = action.with;
  let scriptVars: ScriptVar[] | undefined;
  if (type.scriptInputs) input = compileScripts(checker, type.scriptInputs, action, contexts, (scriptVars = []));
  const compiled = compileValue(input, contexts);
  for (const p of compiled.problems) checker.reportExpressions([{ ...p, path: p.path.slice(1) }], keyPath(action, String(p.path[0])));
  node.with = compiled.compiled;
  node.scriptVars = scriptVars?.length ? scriptVars : undefined;
}

/** The inputs with each script input compiled, its expressions lifted into `scriptVars`. */
function compileScripts(checker: Checker, keys: readonly string[], action: RawAction, contexts: readonly string[], scriptVars: ScriptVar[]): Record<string, unknown> {
  let input = action.with;
  for (const key of keys) {
    if (typeof input[key] !== 'string') continue;
    const { script, vars, problems } = compileScript(input[key] as string, contexts, shellFamily(input.shell));
    if (problems.length) checker.reportExpressions(problems, keyPath(action, key));
    // The inputs as written stay untouched: the compiled scripts go into a copy.
    if (input === action.with) input = { ...action.with };
    // A script that did not compile is reported once, here, not again as a plain value below.
    input[key] = problems.length ? '' : script;
    scriptVars.push(...vars);
  }
  return input;
}

function unknownType(checker: Checker, uses: string, path: YamlPath): void {
  const guess = closest(uses, [...builtinSteps.keys(), 'workflow']);
  const hint = guess ? ` Did you mean "${guess}"?` : '';
  checker.report('step.unknown_type', `Unknown step type "${uses}".${hint} Run \`arq steps\` to list the step types`, [...path, 'uses']);
}

/** Checks and compiles one action step into `node`; returns its sub-workflow, for `uses: workflow`. */
export function buildAction(node: ActionFields, checker: Checker, step: Record<string, unknown>, path: YamlPath, contexts: readonly string[], defaultShell?: string, custom: ReadonlyMap<string, StepType> = new Map()): PendingWorkflow | undefined {
  // A `run:` or `uses:` that is not a string is already a schema problem: there is no type to check.
  if (typeof step.run !== 'string' && typeof step.uses !== 'string') return undefined;
  const action = rawAction(step, path, defaultShell);
  if (action.uses === 'workflow') return workflowAction(node, checker, action, path, contexts);
  const type = custom.get(action.uses) ?? builtinSteps.get(action.uses);
  if (!type) {
    // A module that did not load was reported where it was loaded.
    if (!isModulePath(action.uses)) unknownType(checker, action.uses, path);
    node.uses = action.uses;
    return undefined;
  }
  if (step.with === undefined || asRecord(step.with)) checkInputs(checker, type, action);
  checkConstantInputs(checker, type, action);
  const isCustom = custom.has(action.uses);
  node.uses = isCustom ? action.uses : type.type;
  compileInputs(node, checker, type, action, contexts);
  if (isCustom) node.custom = type;
  return undefined;
}

function checkWorkflowWith(checker: Checker, action: RawAction, path: YamlPath): void {
  for (const key of Object.keys(action.with)) {
    if (key === 'path' || key === 'inputs') continue;
    const hint = closest(key, ['path', 'inputs']) ? ` Did you mean "${closest(key, ['path', 'inputs'])}"?` : '';
    checker.report('input.unknown_key', `Unknown key "${key}" in the inputs of "workflow".${hint} Expected one of: path, inputs`, keyPath(action, key), 'key');
  }
  if (typeof action.with.path !== 'string') {
    const missing = action.with.path === undefined;
    const at = !missing ? keyPath(action, 'path') : action.hasWith ? [...path, 'with'] : [...path, 'uses'];
    checker.report('input.required', 'A `uses: workflow` step needs `with: { path: FILE }`: the sub-workflow to run', at, missing && action.hasWith ? 'key' : 'value');
  } else if (action.with.path.includes('${{')) {
    // The sub-workflow is checked with its caller, before anything runs: its file must be known then.
    checker.report('input.not_constant', 'The path of a sub-workflow must be a constant file name; expressions are not allowed there', keyPath(action, 'path'));
  }
  const inputs = action.with.inputs;
  if (inputs !== undefined && !asRecord(inputs)) {
    checker.report('input.type', `"inputs" must be a mapping of the sub-workflow's input names to values; found ${describeValue(inputs)}`, keyPath(action, 'inputs'));
  }
}

function workflowAction(node: ActionFields, checker: Checker, action: RawAction, path: YamlPath, contexts: readonly string[]): PendingWorkflow {
  checkWorkflowWith(checker, action, path);
  const inputs = compileValue(asRecord(action.with.inputs) ?? {}, contexts);
  checker.reportExpressions(inputs.problems, keyPath(action, 'inputs'));
  node.uses = 'workflow';
  node.with = inputs.compiled;
  return { path: keyPath(action, 'path'), file: action.with.path, inputs: action.with.inputs };
}
