/** `steps.ID` references: the step exists, and has surely finished where it is read. */
import { stepRefs, type CompiledValue, type StepRef } from '../expr/index.js';
import type { YamlPath } from '../load/load.js';
import type { StepNode } from '../model/types.js';
import type { Checker } from './checker.js';
import { closest } from './closest.js';
import { unreachable, visibleFromOutputs, type Unreachable } from './reach.js';
import type { StepTree } from './tree.js';

/** Where a value is written: `base`, then `key` when there is one (paths are built only for a problem). */
interface RefSite {
  readonly base: YamlPath;
  readonly key: string | undefined;
  /** Refs in a composite's `outputs:` may read its inner steps. */
  readonly outputsOf: StepNode | undefined;
}

/** A step as messages call it: by id, or for a step without one, by what it runs. */
function called(node: StepNode): string {
  if (node.named) return `step "${node.id}"`;
  if (node.id === '#outputs') return "the workflow's outputs:";
  return node.id.startsWith('#') ? 'this step' : `the step "${node.label}"`;
}

/** Why `target` cannot be read from `from`, and what to do instead. */
export function explainUnreachable(target: StepNode, from: StepNode, why: Unreachable): string {
  const step = `Step "${target.id}"`;
  switch (why.reason) {
    case 'self':
      return `${step} cannot read its own results: they exist only once it has finished`;
    case 'enclosing':
      return `${step} contains ${called(from)} and finishes only after it; read a step that runs before "${target.id}" instead`;
    case 'inner':
      return `${step} is inside ${called(from)} and has not run yet when this is read; only the outputs: of ${called(from)} can read its inner steps`;
    case 'foreach':
      return `${step} runs once per item of foreach step "${why.foreach.id}", so it has no single result outside it; read the outputs of "${why.foreach.id}" instead (one entry per item)`;
    case 'parallel':
      return `${step} runs in parallel with ${called(from)}, so it may not have finished; read it from a step after the parallel block`;
    case 'needs':
      return `${step} may still be running when ${called(from)} starts: ${called(why.reader)} does not need "${why.needed.id}", directly or through its needs:; add "${why.needed.id}" to its needs:`;
    case 'later':
      return `${step} runs after ${called(from)}; a step can only read steps that run before it`;
  }
}

export class RefChecker {
  constructor(
    private readonly checker: Checker,
    private readonly tree: StepTree,
    private readonly byId: ReadonlyMap<string, StepNode>,
  ) {}

  /**
   * Checks every value of a step that can read other steps. Most values are constants: they are
   * skipped here, without a call.
   */
  checkStep(node: StepNode): void {
    const { path } = node;
    const condition = node.if?.value;
    if (condition && condition.kind !== 'const') this.check(node, condition, path, 'if');
    if (node.env && node.env.kind !== 'const') this.check(node, node.env, path, 'env');
    if (node.foreach && node.foreach.kind !== 'const') this.check(node, node.foreach, path, 'foreach');
    if (node.with && node.with.kind !== 'const') this.check(node, node.with, path, node.uses === 'shell' && path.length ? undefined : 'with');
    if (node.scriptVars) for (const v of node.scriptVars) this.check(node, v.value, path, 'run');
    if (node.outputs && node.outputs.kind !== 'const') this.check(node, node.outputs, path, 'outputs', node);
  }

  /** Checks the refs of `value` read by `from`; `outputsOf` is the composite step whose `outputs:` it is. */
  check(from: StepNode, value: CompiledValue | undefined, base: YamlPath, key?: string, outputsOf?: StepNode): void {
    if (value === undefined || value.kind === 'const') return;
    for (const ref of stepRefs(value)) this.checkRef(from, { base, key, outputsOf }, ref);
  }

  private checkRef(from: StepNode, site: RefSite, ref: StepRef): void {
    const target = this.byId.get(ref.id);
    if (!target) {
      this.report('ref.unknown_step', this.unknown(ref.id), site, ref);
      return;
    }
    if (site.outputsOf && visibleFromOutputs(this.tree, target, site.outputsOf)) return;
    const why = unreachable(this.tree, target, from, this.byId);
    if (why) this.report('ref.unreachable', explainUnreachable(target, from, why), site, ref);
  }

  private report(code: string, message: string, site: RefSite, ref: StepRef): void {
    const path = site.key === undefined ? [...site.base, ...ref.path] : [...site.base, site.key, ...ref.path];
    this.checker.problems.push({ code, message, location: this.checker.doc.locateInString(path, ref.offset) });
  }

  private unknown(id: string): string {
    const guess = closest(id, [...this.byId.keys()].filter((known) => this.byId.get(known)!.named));
    const hint = guess ? ` Did you mean "${guess}"?` : ' No step has this id; expected the id of a step that runs before this one';
    return `Unknown step "${id}" in \`steps.${id}\`.${hint}`;
  }
}
