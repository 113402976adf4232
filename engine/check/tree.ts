/** Where each step sits: its list, its index there, and the composite step that owns the list. */
import type { StepNode } from '../model/types.js';

export type ListKind = 'chain' | 'dag' | 'parallel' | 'root';

export interface StepList {
  readonly kind: ListKind;
  readonly owner?: StepNode;
  readonly nodes: StepNode[];
}

export interface Position {
  readonly list: StepList;
  readonly index: number;
}

/** The shape of the workflow, for reachability: which steps have surely finished before another starts. */
export class StepTree {
  private readonly positions = new Map<StepNode, Position>();
  /** The root list: [main, on_failure, finally, outputs] as pseudo-steps in order. */
  readonly root: StepList = { kind: 'root', nodes: [] };

  place(node: StepNode, list: StepList, index: number): void {
    this.positions.set(node, { list, index });
  }

  positionOf(node: StepNode): Position | undefined {
    return this.positions.get(node);
  }

  /** The node, then the composite steps around it, up to a pseudo-step of the root list. */
  ancestry(node: StepNode): StepNode[] {
    const chain: StepNode[] = [node];
    for (let owner = this.positionOf(node)?.list.owner; owner; owner = this.positionOf(owner)?.list.owner) {
      chain.push(owner);
    }
    return chain;
  }
}
