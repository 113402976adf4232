/**
 * Reachability of `steps.ID` references: a step may only read steps that have surely finished
 * before it starts (earlier in a chain, or needed, directly or not, in a DAG).
 */
import type { StepNode } from '../model/types.js';
import type { StepTree } from './tree.js';

/** Why a step cannot be read from another one. */
export type Unreachable =
  /** A step reads itself (in its own `if:`, `env:`, ...). */
  | { readonly reason: 'self' }
  /** The reader is inside the target, which finishes only after the reader. */
  | { readonly reason: 'enclosing' }
  /** The target is inside the reader, read outside the reader's `outputs:`. */
  | { readonly reason: 'inner' }
  /** The target runs once per item of `foreach`, which hides it from outside. */
  | { readonly reason: 'foreach'; readonly foreach: StepNode }
  /** The target sits in a parallel branch next to the reader's. */
  | { readonly reason: 'parallel' }
  /** In a DAG, `reader` (the reader or its enclosing step) does not need `needed`. */
  | { readonly reason: 'needs'; readonly reader: StepNode; readonly needed: StepNode }
  /** The target runs later in the same list. */
  | { readonly reason: 'later' };

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
function foreachAround(targetAncestry: readonly StepNode[], upTo: StepNode): StepNode | undefined {
  const at = targetAncestry.indexOf(upTo);
  return targetAncestry.slice(1, at + 1).find((node) => node.kind === 'foreach');
}

/** Inside the `outputs:` of a composite step: its finished inner steps are visible. */
export function visibleFromOutputs(tree: StepTree, target: StepNode, owner: StepNode): boolean {
  const ancestry = tree.ancestry(target);
  const at = ancestry.indexOf(owner);
  if (at <= 0) return false;
  return !ancestry.slice(1, at).some((node) => node.kind === 'foreach');
}

function sameStep(target: StepNode, from: StepNode, shared: StepNode): Unreachable {
  if (target === from) return { reason: 'self' };
  return shared === target ? { reason: 'enclosing' } : { reason: 'inner' };
}

/** Whether `target` has surely finished when `from` starts: undefined if so, else why not. */
export function unreachable(tree: StepTree, target: StepNode, from: StepNode, byId: ReadonlyMap<string, StepNode>): Unreachable | undefined {
  const targetAncestry = tree.ancestry(target);
  const fromAncestry = tree.ancestry(from);
  for (const t of targetAncestry) {
    const tPos = tree.positionOf(t)!;
    const s = fromAncestry.find((node) => tree.positionOf(node)?.list === tPos.list);
    if (!s) continue;
    if (s === t) return sameStep(target, from, t);
    const foreach = foreachAround(targetAncestry, t);
    if (foreach) return { reason: 'foreach', foreach };
    if (tPos.list.kind === 'parallel') return { reason: 'parallel' };
    if (tPos.list.kind === 'dag') return needsTransitively(s, t, byId) ? undefined : { reason: 'needs', reader: s, needed: t };
    return tPos.index < tree.positionOf(s)!.index ? undefined : { reason: 'later' };
  }
  return { reason: 'later' };
}

/** Whether `target` has surely finished when `from` starts. */
export function visibleFrom(tree: StepTree, target: StepNode, from: StepNode, byId: ReadonlyMap<string, StepNode>): boolean {
  return unreachable(tree, target, from, byId) === undefined;
}
