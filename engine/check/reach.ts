/**
 * Reachability of `steps.ID` references: a step may only read steps that have surely finished
 * before it starts (earlier in a chain, or needed, directly or not, in a DAG).
 */
import type { StepNode } from '../model/types.js';
import type { StepTree } from './tree.js';

function needsTransitively(from: StepNode, target: StepNode, byId: ReadonlyMap<string, StepNode>): boolean {
  const seen = new Set<string>();
  const stack = [...from.needs];
  while (stack.length) {
    const id = stack.pop()!;
    if (id === target.id) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(byId.get(id)?.needs ?? []));
  }
  return false;
}

/** Outputs of steps inside a foreach body exist once per item: outside the body they are not addressable. */
function hiddenInForeach(targetAncestry: readonly StepNode[], upTo: StepNode): boolean {
  const at = targetAncestry.indexOf(upTo);
  return targetAncestry.slice(1, at + 1).some((node) => node.kind === 'foreach');
}

/** Inside the `outputs:` of a composite step: its finished inner steps are visible. */
export function visibleFromOutputs(tree: StepTree, target: StepNode, owner: StepNode): boolean {
  const ancestry = tree.ancestry(target);
  const at = ancestry.indexOf(owner);
  if (at <= 0) return false;
  return !ancestry.slice(1, at).some((node) => node.kind === 'foreach');
}

/** Whether `target` has surely finished when `from` starts. */
export function visibleFrom(tree: StepTree, target: StepNode, from: StepNode, byId: ReadonlyMap<string, StepNode>): boolean {
  const targetAncestry = tree.ancestry(target);
  const fromAncestry = tree.ancestry(from);
  for (const t of targetAncestry) {
    const tPos = tree.positionOf(t)!;
    const s = fromAncestry.find((node) => tree.positionOf(node)?.list === tPos.list);
    if (!s) continue;
    if (s === t || hiddenInForeach(targetAncestry, t)) return false;
    const sPos = tree.positionOf(s)!;
    if (tPos.list.kind === 'parallel') return false;
    if (tPos.list.kind === 'dag') return needsTransitively(s, t, byId);
    return tPos.index < sPos.index;
  }
  return false;
}
