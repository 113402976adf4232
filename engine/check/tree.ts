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
  private readonly lists: StepList[] = [];
  /** Built on the first question, once every list is complete: most workflows never ask. */
  private positions: Map<StepNode, Position> | undefined;
  /** The root list: [main, on_failure, finally, outputs] as pseudo-steps in order. */
  readonly root: StepList = this.list('root');

  /** A new list of the tree; its steps are pushed onto `nodes` as they are built. */
  list(kind: ListKind, owner?: StepNode): StepList {
    const list: StepList = { kind, owner, nodes: [] };
    this.lists.push(list);
    return list;
  }

  positionOf(node: StepNode): Position | undefined {
    this.positions ??= this.index();
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

  private index(): Map<StepNode, Position> {
    const positions = new Map<StepNode, Position>();
    for (const list of this.lists) list.nodes.forEach((node, index) => positions.set(node, { list, index }));
    return positions;
  }
}
