/** Builds the step tree from YAML, checking each step's shape as it goes. */
import { compileCondition, compileValue, type CompiledValue } from '../expr/index.js';
import type { YamlPath } from '../load/load.js';
import { parseDuration } from '../model/duration.js';
import type { Block, RetryPolicy, StepKind, StepNode } from '../model/types.js';
import { asList, asRecord, type Checker } from './checker.js';
import type { StepList, StepTree } from './tree.js';
import type { StepType } from '../../steps/contract.js';
import { buildAction, type PendingWorkflow } from './action.js';
import { checkDurations } from './durations.js';
import { isItemBodyId, itemBodyId } from '../model/ids.js';

export const BASE_CONTEXTS = ['inputs', 'env', 'secrets', 'steps', 'run'] as const;
export const ITEM_CONTEXTS = [...BASE_CONTEXTS, 'item', 'index'] as const;

export interface Defaults {
  readonly timeoutMs?: number;
  readonly retry?: RetryPolicy;
  readonly shell?: string;
  readonly continueOnError?: boolean;
}

/** A step whose kind could only be decided from its keys. */
type Mutable<T> = { -readonly [K in keyof T]: T[K] };
export type DraftStep = Mutable<StepNode> & { pendingWorkflow?: PendingWorkflow };

/** The keys that say what a step runs: a step has exactly one of them. */
const BODIES = ['run', 'uses', 'steps', 'parallel'] as const;

/** A list with one `needs:` among its steps is a DAG. */
function isDag(items: readonly unknown[]): boolean {
  for (let i = 0; i < items.length; i++) if (asRecord(items[i])?.needs !== undefined) return true;
  return false;
}

export class StepBuilder {
  /** Every step by id, in document order; a step whose id was taken is left out. */
  readonly byId = new Map<string, DraftStep>();
  /** The same steps as a list, for the checks that visit them all. */
  readonly steps: DraftStep[] = [];
  /** For dag.ts, in the order of `byId`: each DAG list (at its first step), and the steps elsewhere with `needs:`. */
  readonly needs = { dags: new Set<StepList>(), outsideDag: [] as DraftStep[] };
  readonly subworkflows: DraftStep[] = [];
  private generated = 0;
  private userIds: ReadonlySet<string> | undefined;
  private blocks = 0;

  constructor(
    private readonly checker: Checker,
    readonly tree: StepTree,
    private readonly defaults: Defaults,
    /** The ids written in the file, read only when a step without one needs a made-up id. */
    private readonly idsInFile: () => ReadonlySet<string>,
    /** Custom step types by their `uses:` path, loaded before the build (custom.ts). */
    private readonly custom: ReadonlyMap<string, StepType> = new Map(),
  ) {}

  /** Builds a list of steps owned by `owner` (a composite step or a root section). */
  buildBlock(raw: unknown, path: YamlPath, owner: DraftStep, contexts: readonly string[]): Block {
    const items = asList(raw);
    const dag = isDag(items);
    const list = this.tree.list(dag ? 'dag' : 'chain', owner);
    for (let index = 0; index < items.length; index++) this.addStep(items[index], childPath(path, index), list, contexts);
    return { name: `block${++this.blocks}`, steps: list.nodes, dag };
  }

  /** Builds a step and appends it to `list`; undefined when it is no step at all. */
  private addStep(raw: unknown, path: YamlPath, list: StepList, contexts: readonly string[]): DraftStep | undefined {
    const node = this.buildStep(raw, path, list, contexts);
    if (node) list.nodes.push(node);
    return node;
  }

  private buildStep(raw: unknown, path: YamlPath, list: StepList, contexts: readonly string[]): DraftStep | undefined {
    const step = asRecord(raw);
    if (!step) return undefined;
    const kind = this.kindOf(step, path);
    if (!kind) return undefined;
    const node = this.common(step, path, kind, contexts);
    this.register(node, path, list);
    this.fillKind(node, step, path, contexts);
    return node;
  }

  private kindOf(step: Record<string, unknown>, path: YamlPath): StepKind | undefined {
    const body = soleBody(step);
    if (body === undefined) return this.noSoleBody(step, path);
    if (step.foreach !== undefined && body === 'parallel') {
      this.checker.report('step.foreach_parallel', 'foreach: runs its body once per item; give the body as run:, uses: or steps:, not parallel:', [...path, 'parallel'], 'key');
      return undefined;
    }
    if (step.foreach !== undefined) return 'foreach';
    return body === 'steps' ? 'sequence' : body === 'parallel' ? 'parallel' : 'action';
  }

  /** Reports a step with no body, or with several. */
  private noSoleBody(step: Record<string, unknown>, path: YamlPath): undefined {
    const bodies = BODIES.filter((key) => step[key] !== undefined);
    if (bodies.length === 0) {
      const which = typeof step.id === 'string' ? `Step "${step.id}"` : 'This step';
      this.checker.report('step.no_body', `${which} has nothing to run; expected one of run:, uses:, steps: or parallel:`, path);
      return undefined;
    }
    if (bodies.length > 1) {
      this.checker.report('step.many_bodies', `A step takes only one of run:, uses:, steps: or parallel:; found ${bodies.map((b) => `${b}:`).join(' and ')}`, [...path, bodies[1]!], 'key');
    }
    return undefined;
  }

  private nextId(): string {
    this.userIds ??= this.idsInFile();
    let id: string;
    do id = `step_${++this.generated}`;
    while (this.userIds.has(id));
    return id;
  }

  private common(step: Record<string, unknown>, path: YamlPath, kind: StepKind, contexts: readonly string[]): DraftStep {
    const named = typeof step.id === 'string';
    const id = named ? (step.id as string) : this.nextId();
    const isAction = kind === 'action';
    const node: DraftStep = {
      id, named, kind, path,
      label: typeof step.name === 'string' ? step.name : named ? id : labelOf(step),
      continueOnError: typeof step.continue_on_error === 'boolean' ? step.continue_on_error : (isAction && this.defaults.continueOnError) || false,
      needs: needsOf(step.needs),
      timeoutMs: durationOf(step.timeout) ?? (isAction ? this.defaults.timeoutMs : undefined),
      retry: retryOf(step.retry) ?? (isAction ? this.defaults.retry : undefined),
    };
    if (step.if !== undefined) node.if = this.condition(step.if, [...path, 'if'], contexts);
    if (step.env !== undefined) node.env = this.value(step.env, [...path, 'env'], contexts);
    if (step.resume === 'rerun' || step.resume === 'fail') node.resume = step.resume;
    checkDurations(this.checker, step, path);
    return node;
  }

  /**
   * Only a step with an `id:` can take an id already used: the ids arq makes up skip every id
   * written in the file (scan.ts).
   */
  private register(node: DraftStep, path: YamlPath, list: StepList): void {
    const first = this.byId.get(node.id);
    if (first) {
      const at = this.checker.doc.locate([...first.path, 'id']);
      this.checker.report('step.duplicate_id', `Duplicate step id "${node.id}": already used at line ${at.line}, column ${at.column}; step ids must be unique in the whole workflow`, [...path, 'id']);
      return;
    }
    // arq names the inline body of a foreach `ID__item`: a user id of that form could clash with it.
    if (node.named && isItemBodyId(node.id)) {
      this.checker.report('step.reserved_id', `Step id "${node.id}" is reserved: ids ending in "__item" name the body of a foreach step`, [...path, 'id']);
    }
    this.byId.set(node.id, node);
    this.steps.push(node);
    if (list.kind === 'dag') this.needs.dags.add(list);
    else if (node.needs.length) this.needs.outsideDag.push(node);
  }

  private fillKind(node: DraftStep, step: Record<string, unknown>, path: YamlPath, contexts: readonly string[]): void {
    this.rejectMisplaced(node.kind, step, path);
    if (node.kind === 'sequence') node.body = this.buildBlock(step.steps, [...path, 'steps'], node, contexts);
    if (node.kind === 'parallel') node.branches = this.buildBranches(step.parallel, [...path, 'parallel'], node, contexts);
    if (node.kind === 'foreach') this.fillForeach(node, step, path, contexts);
    if (node.kind === 'action') this.fillAction(node, step, path, contexts);
    if (node.kind !== 'action' && step.outputs !== undefined) {
      node.outputs = this.value(step.outputs, [...path, 'outputs'], node.kind === 'foreach' ? ITEM_CONTEXTS : contexts);
    }
  }

  /** Each branch is a block of one step; the branches sit side by side in one parallel list. */
  private buildBranches(raw: unknown, path: YamlPath, owner: DraftStep, contexts: readonly string[]): Block[] {
    const list = this.tree.list('parallel', owner);
    const branches: Block[] = [];
    const items = asList(raw);
    for (let index = 0; index < items.length; index++) {
      const node = this.addStep(items[index], childPath(path, index), list, contexts);
      if (node) branches.push({ name: `block${++this.blocks}`, steps: [node], dag: false });
    }
    return branches;
  }

  private rejectMisplaced(kind: StepKind, step: Record<string, unknown>, path: YamlPath): void {
    if (step.with !== undefined && step.uses === undefined) this.misplaced('with', 'uses:', path);
    if (step.shell !== undefined && step.run === undefined) this.misplaced('shell', 'run:', path);
    if (step.cwd !== undefined && step.run === undefined) this.misplaced('cwd', 'run:', path);
    if (step.concurrency !== undefined && kind !== 'foreach') this.misplaced('concurrency', 'foreach:', path);
  }

  private misplaced(key: string, owner: string, path: YamlPath): void {
    this.checker.report('step.misplaced_key', `"${key}" only applies to a step with ${owner}`, [...path, key], 'key');
  }

  private fillForeach(node: DraftStep, step: Record<string, unknown>, path: YamlPath, contexts: readonly string[]): void {
    node.foreach = this.value(step.foreach, [...path, 'foreach'], contexts);
    if (typeof step.concurrency === 'number') node.concurrency = step.concurrency;
    const itemContexts = [...new Set([...contexts, 'item', 'index'])];
    if (step.steps !== undefined) {
      node.body = this.buildBlock(step.steps, [...path, 'steps'], node, itemContexts);
      return;
    }
    // The inline body is the action step of each item: the workflow's defaults apply to it.
    const { timeoutMs, retry, continueOnError = false } = this.defaults;
    const body: DraftStep = { id: itemBodyId(node.id), named: false, kind: 'action', label: node.label, path, continueOnError, needs: [], timeoutMs, retry };
    this.fillAction(body, step, path, itemContexts);
    this.tree.list('chain', node).nodes.push(body);
    node.body = { name: `block${++this.blocks}`, steps: [body], dag: false };
  }

  private fillAction(node: DraftStep, step: Record<string, unknown>, path: YamlPath, contexts: readonly string[]): void {
    const workflow = buildAction(node, this.checker, step, path, contexts, this.defaults.shell, this.custom);
    if (workflow) this.subworkflows.push(Object.assign(node, { pendingWorkflow: workflow }));
  }

  condition(raw: unknown, path: YamlPath, contexts: readonly string[]) {
    const { compiled, problems } = compileCondition(String(raw), contexts);
    this.checker.reportExpressions(problems, path);
    return compiled;
  }

  value(raw: unknown, path: YamlPath, contexts: readonly string[]): CompiledValue {
    const { compiled, problems } = compileValue(raw, contexts);
    this.checker.reportExpressions(problems, path);
    return compiled;
  }
}

/** The one key of BODIES a step has, or undefined when it has none or several. */
function soleBody(step: Record<string, unknown>): (typeof BODIES)[number] | undefined {
  // Read by name, not in a loop over BODIES: this runs for every step.
  const { run, uses, steps, parallel } = step;
  const count = Number(run !== undefined) + Number(uses !== undefined) + Number(steps !== undefined) + Number(parallel !== undefined);
  if (count !== 1) return undefined;
  return run !== undefined ? 'run' : uses !== undefined ? 'uses' : steps !== undefined ? 'steps' : 'parallel';
}

/** `needs: x` reads as `[x]`; anything but a string in a list is a schema problem, left out here. */
function needsOf(raw: unknown): string[] {
  if (typeof raw === 'string') return [raw];
  if (!Array.isArray(raw)) return [];
  // A copy of its exact size: filter() grows its result, leaving room for 17 more in every step.
  return raw.every(isString) ? raw.slice() : raw.filter(isString);
}

const isString = (value: unknown): value is string => typeof value === 'string';

/**
 * `[...path, key]`. Every step keeps its path: a spread and a push leave room for 17 more
 * elements, an array literal none, and most steps sit in a top-level list.
 */
function childPath(path: YamlPath, key: number): YamlPath {
  return path.length === 1 ? [path[0]!, key] : [...path, key];
}

function labelOf(step: Record<string, unknown>): string {
  if (typeof step.run === 'string') {
    const line = step.run.trim().split('\n')[0] ?? '';
    return line.length > 60 ? `${line.slice(0, 59)}…` : line;
  }
  if (typeof step.uses === 'string') return step.uses;
  return step.parallel !== undefined ? 'parallel' : 'steps';
}

export function durationOf(raw: unknown): number | undefined {
  if (typeof raw === 'number' && Number.isInteger(raw) && raw >= 0) return raw;
  if (typeof raw === 'string' && /^[0-9]+(\.[0-9]+)?(ms|s|m|h)$/.test(raw)) return parseDuration(raw);
  return undefined;
}

export function retryOf(raw: unknown): RetryPolicy | undefined {
  const retry = asRecord(raw);
  if (!retry) return undefined;
  const num = (v: unknown, fallback: number) => (typeof v === 'number' ? v : fallback);
  return {
    attempts: num(retry.attempts, 1),
    backoffMs: durationOf(retry.backoff) ?? 1000,
    factor: num(retry.factor, 2),
    maxDelayMs: durationOf(retry.max_delay),
    jitter: num(retry.jitter, 0),
  };
}
