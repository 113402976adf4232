/** `steps.ID` references: the step exists, and has surely finished where it is read. */
import { stepRefs, type CompiledValue, type StepRef } from '../expr/index.js';
import type { YamlPath } from '../load/load.js';
import type { StepNode } from '../model/types.js';
import type { Checker } from './checker.js';
import { closest } from './closest.js';
import { visibleFrom, visibleFromOutputs } from './reach.js';
import type { StepTree } from './tree.js';

export interface RefSite {
  readonly value: CompiledValue | undefined;
  readonly path: YamlPath;
  /** Refs in a composite's `outputs:` may read its inner steps. */
  readonly outputsOf?: StepNode;
}

export class RefChecker {
  constructor(
    private readonly checker: Checker,
    private readonly tree: StepTree,
    private readonly byId: ReadonlyMap<string, StepNode>,
  ) {}

  check(from: StepNode, site: RefSite): void {
    if (site.value === undefined) return;
    for (const ref of stepRefs(site.value)) this.checkRef(from, site, ref);
  }

  private checkRef(from: StepNode, site: RefSite, ref: StepRef): void {
    const location = this.checker.doc.locateInString([...site.path, ...ref.path], ref.offset);
    const target = this.byId.get(ref.id);
    if (!target) {
      const guess = closest(ref.id, [...this.byId.keys()].filter((id) => this.byId.get(id)!.named));
      const hint = guess ? ` Did you mean "${guess}"?` : '';
      this.checker.problems.push({ code: 'ref.unknown_step', message: `Unknown step "${ref.id}" in \`steps.${ref.id}\`.${hint}`, location });
      return;
    }
    if (site.outputsOf && visibleFromOutputs(this.tree, target, site.outputsOf)) return;
    if (visibleFrom(this.tree, target, from, this.byId)) return;
    this.checker.problems.push({ code: 'ref.unreachable', message: this.unreachable(target, from), location });
  }

  private unreachable(target: StepNode, from: StepNode): string {
    const where = from.named ? `step "${from.id}"` : 'this step';
    return `Step "${target.id}" has not surely finished when ${where} starts; a step can only read steps that run before it (earlier in its list, or in its needs:)`;
  }
}
