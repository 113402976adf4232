/** `needs:` checks: every id names a step of the same list, and the list has no cycle. */
import type { StepNode } from '../model/types.js';
import type { Checker } from './checker.js';
import { closest } from './closest.js';
import type { StepList } from './tree.js';

function needsPath(node: StepNode, index: number): (string | number)[] {
  return typeof node.needs === 'object' && node.needs.length > 0 ? [...node.path, 'needs', index] : [...node.path, 'needs'];
}

type Needing = { readonly id: string; readonly needs: readonly string[] };

/** A list whose needs are resolved to positions once, for both the name check and the cycle search. */
interface Resolved {
  readonly nodes: readonly Needing[];
  /** Whether every id is used once: then an id's position is its step's own. */
  readonly unique: boolean;
  /** Position of each id (of its last step, when ids repeat). */
  readonly index: ReadonlyMap<string, number>;
  /** The needs of step i are targets[starts[i]] up to targets[starts[i + 1]]: -1 for no other step of the list. */
  readonly starts: Int32Array;
  readonly targets: Int32Array;
}

function resolve(nodes: readonly Needing[]): Resolved {
  const index = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < nodes.length; i++) {
    index.set(nodes[i]!.id, i);
    total += nodes[i]!.needs.length;
  }
  const starts = new Int32Array(nodes.length + 1);
  const targets = new Int32Array(total);
  for (let i = 0, k = 0; i < nodes.length; i++) {
    const { id, needs } = nodes[i]!;
    for (const need of needs) targets[k++] = need === id ? -1 : (index.get(need) ?? -1);
    starts[i + 1] = k;
  }
  return { nodes, unique: index.size === nodes.length, index, starts, targets };
}

function checkNames(checker: Checker, list: StepList, resolved: Resolved, rawNeeds: (node: StepNode) => unknown): void {
  list.nodes.forEach((node, n) => {
    for (let i = 0; i < node.needs.length; i++) {
      if (resolved.targets[resolved.starts[n]! + i]! >= 0) continue;
      const need = node.needs[i]!;
      const path = typeof rawNeeds(node) === 'string' ? [...node.path, 'needs'] : needsPath(node, i);
      if (need === node.id) checker.report('needs.self', `Step "${node.id}" needs itself; a step can only need other steps of its list`, path);
      else checker.report('needs.unknown', unknownNeed(need, node, list.nodes.map((other) => other.id)), path);
    }
  });
}

function unknownNeed(need: string, node: StepNode, ids: readonly string[]): string {
  const others = ids.filter((id) => id !== node.id);
  const guess = closest(need, others);
  const hint = guess ? ` Did you mean "${guess}"?` : '';
  const expected = others.length ? `Expected one of the steps in the same list: ${others.join(', ')}` : 'A step can only need steps of its own list, and this list has no other step';
  return `Unknown step "${need}" in needs.${hint} ${expected}`;
}

/**
 * A cycle of needs among `nodes` (steps of a list, or tasks of a team), as the ids around it.
 * Iterative DFS so that a 10,000-step DAG cannot overflow the stack.
 *
 * @example
 * findCycle([{ id: 'a', needs: ['b'] }, { id: 'b', needs: ['a'] }]); // ['a', 'b', 'a']
 */
export function findCycle(nodes: readonly Needing[]): string[] | undefined {
  return cycleIn(resolve(nodes));
}

/** The DFS of findCycle on positions: a step's state and its next need live in arrays, not maps. */
function cycleIn(resolved: Resolved): string[] | undefined {
  const { nodes, unique, index } = resolved;
  const state = new Uint8Array(nodes.length); // 0 unseen, 1 on the DFS stack, 2 done
  const stack: number[] = [];
  const next: number[] = [];
  for (let s = 0; s < nodes.length; s++) {
    const first = unique ? s : index.get(nodes[s]!.id)!;
    if (state[first]) continue;
    stack.push(first);
    next.push(resolved.starts[first]!);
    state[first] = 1;
    while (stack.length) {
      const dep = nextNeed(resolved, stack, next);
      if (dep === undefined) {
        state[stack.pop()!] = 2;
        next.pop();
        continue;
      }
      if (state[dep] === 1) return [...stack.slice(stack.indexOf(dep)).map((i) => nodes[i]!.id), nodes[dep]!.id];
      if (!state[dep]) {
        state[dep] = 1;
        stack.push(dep);
        next.push(resolved.starts[dep]!);
      }
    }
  }
  return undefined;
}

/** The next need of the top of the stack that is another step of the list (advancing its `next`), or undefined. */
function nextNeed(resolved: Resolved, stack: readonly number[], next: number[]): number | undefined {
  const top = stack.length - 1;
  const end = resolved.starts[stack[top]! + 1]!;
  while (next[top]! < end) {
    const target = resolved.targets[next[top]!++]!;
    if (target >= 0) return target;
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
    const resolved = resolve(list.nodes);
    checkNames(checker, list, resolved, rawNeeds);
    const cycle = cycleIn(resolved);
    if (cycle) {
      const first = list.nodes.find((n) => n.id === cycle[0])!;
      checker.report('needs.cycle', `Dependency cycle: ${cycle.join(' -> ')}; a DAG cannot have cycles`, [...first.path, 'needs']);
    }
  }
}
