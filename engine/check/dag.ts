/** `needs:` checks: every id names a step of the same list, and the list has no cycle. */
import type { StepNode } from '../model/types.js';
import type { Checker } from './checker.js';
import { closest } from './closest.js';
import type { StepList } from './tree.js';

function needsPath(node: StepNode, index: number): (string | number)[] {
  return typeof node.needs === 'object' && node.needs.length > 0 ? [...node.path, 'needs', index] : [...node.path, 'needs'];
}

/** Where each id sits in a list (its last step, when ids repeat). */
type IdIndex = ReadonlyMap<string, number>;

function indexOf(nodes: readonly { readonly id: string }[]): IdIndex {
  const index = new Map<string, number>();
  for (let i = 0; i < nodes.length; i++) index.set(nodes[i]!.id, i);
  return index;
}

function checkNames(checker: Checker, list: StepList, index: IdIndex, rawNeeds: (node: StepNode) => unknown): void {
  for (const node of list.nodes) {
    for (let i = 0; i < node.needs.length; i++) {
      const need = node.needs[i]!;
      if (need !== node.id && index.has(need)) continue;
      const path = typeof rawNeeds(node) === 'string' ? [...node.path, 'needs'] : needsPath(node, i);
      if (need === node.id) checker.report('needs.self', `Step "${node.id}" needs itself; a step can only need other steps of its list`, path);
      else checker.report('needs.unknown', unknownNeed(need, node, list.nodes.map((n) => n.id)), path);
    }
  }
}

function unknownNeed(need: string, node: StepNode, ids: readonly string[]): string {
  const others = ids.filter((id) => id !== node.id);
  const guess = closest(need, others);
  const hint = guess ? ` Did you mean "${guess}"?` : '';
  const expected = others.length ? `Expected one of the steps in the same list: ${others.join(', ')}` : 'A step can only need steps of its own list, and this list has no other step';
  return `Unknown step "${need}" in needs.${hint} ${expected}`;
}

type Needing = { readonly id: string; readonly needs: readonly string[] };

/**
 * A cycle of needs among `nodes` (steps of a list, or tasks of a team), as the ids around it.
 * Iterative DFS so that a 10,000-step DAG cannot overflow the stack.
 *
 * @example
 * findCycle([{ id: 'a', needs: ['b'] }, { id: 'b', needs: ['a'] }]); // ['a', 'b', 'a']
 */
export function findCycle(nodes: readonly Needing[]): string[] | undefined {
  return cycleIn(nodes, indexOf(nodes));
}

/** The DFS of findCycle on indexes: a step's state and its next need live in arrays, not maps. */
function cycleIn(nodes: readonly Needing[], index: IdIndex): string[] | undefined {
  const state = new Uint8Array(nodes.length); // 0 unseen, 1 on the DFS stack, 2 done
  const stack: number[] = [];
  const next: number[] = [];
  for (const start of nodes) {
    const first = index.get(start.id)!;
    if (state[first]) continue;
    stack.push(first);
    next.push(0);
    state[first] = 1;
    while (stack.length) {
      const dep = nextNeed(nodes, index, stack, next);
      if (dep === undefined) {
        state[stack.pop()!] = 2;
        next.pop();
        continue;
      }
      if (state[dep] === 1) return [...stack.slice(stack.indexOf(dep)).map((i) => nodes[i]!.id), nodes[dep]!.id];
      if (!state[dep]) {
        state[dep] = 1;
        stack.push(dep);
        next.push(0);
      }
    }
  }
  return undefined;
}

/** The next need of the top of the stack that names another step of the list (advancing its `next`), or undefined. */
function nextNeed(nodes: readonly Needing[], index: IdIndex, stack: readonly number[], next: number[]): number | undefined {
  const top = stack.length - 1;
  const node = nodes[stack[top]!]!;
  while (next[top]! < node.needs.length) {
    const need = node.needs[next[top]!++]!;
    const at = index.get(need);
    if (at !== undefined && need !== node.id) return at;
  }
  return undefined;
}

/** The lists to check, as the step builder found them (in the order of its steps). */
export interface NeedsSites {
  /** Every list that is a DAG. */
  readonly dags: Iterable<StepList>;
  /** The steps with `needs:` in a list that is no DAG: a parallel block's branches. */
  readonly outsideDag: Iterable<StepNode>;
}

/** Checks every list that is a DAG, and that no other list has `needs:`. */
export function checkNeeds(checker: Checker, sites: NeedsSites, rawNeeds: (node: StepNode) => unknown): void {
  for (const node of sites.outsideDag) {
    checker.report('needs.not_in_dag', '"needs" cannot be used on a branch of a parallel block, where every branch starts at once; put steps that depend on each other in a steps: list', [...node.path, 'needs'], 'key');
  }
  for (const list of sites.dags) {
    const index = indexOf(list.nodes);
    checkNames(checker, list, index, rawNeeds);
    const cycle = cycleIn(list.nodes, index);
    if (cycle) {
      const first = list.nodes.find((n) => n.id === cycle[0])!;
      checker.report('needs.cycle', `Dependency cycle: ${cycle.join(' -> ')}; a DAG cannot have cycles`, [...first.path, 'needs']);
    }
  }
}
