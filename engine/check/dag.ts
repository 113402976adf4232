/** `needs:` checks: every id names a step of the same list, and the list has no cycle. */
import type { StepNode } from '../model/types.js';
import type { Checker } from './checker.js';
import { closest } from './closest.js';
import type { StepTree, StepList } from './tree.js';

function needsPath(node: StepNode, index: number): (string | number)[] {
  return typeof node.needs === 'object' && node.needs.length > 0 ? [...node.path, 'needs', index] : [...node.path, 'needs'];
}

function checkNames(checker: Checker, list: StepList, rawNeeds: (node: StepNode) => unknown): void {
  const ids = list.nodes.map((n) => n.id);
  const known = new Set(ids);
  for (const node of list.nodes) {
    const single = typeof rawNeeds(node) === 'string';
    node.needs.forEach((need, i) => {
      if (known.has(need) && need !== node.id) return;
      const path = single ? [...node.path, 'needs'] : needsPath(node, i);
      if (need === node.id) return checker.report('needs.self', `Step "${node.id}" needs itself; a step can only need other steps of its list`, path);
      const guess = closest(need, ids.filter((id) => id !== node.id));
      const hint = guess ? ` Did you mean "${guess}"?` : '';
      const others = ids.filter((id) => id !== node.id);
      const expected = others.length ? `Expected one of the steps in the same list: ${others.join(', ')}` : 'A step can only need steps of its own list, and this list has no other step';
      checker.report('needs.unknown', `Unknown step "${need}" in needs.${hint} ${expected}`, path);
    });
  }
}

/**
 * A cycle of needs among `nodes` (steps of a list, or tasks of a team), as the ids around it.
 * Iterative DFS so that a 10,000-step DAG cannot overflow the stack.
 *
 * @example
 * findCycle([{ id: 'a', needs: ['b'] }, { id: 'b', needs: ['a'] }]); // ['a', 'b', 'a']
 */
export function findCycle(nodes: readonly { readonly id: string; readonly needs: readonly string[] }[]): string[] | undefined {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const state = new Map<string, 1 | 2>();
  for (const start of nodes) {
    if (state.has(start.id)) continue;
    const stack: { id: string; next: number }[] = [{ id: start.id, next: 0 }];
    state.set(start.id, 1);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const needs = byId.get(top.id)!.needs.filter((n) => byId.has(n) && n !== top.id);
      if (top.next >= needs.length) {
        state.set(top.id, 2);
        stack.pop();
        continue;
      }
      const dep = needs[top.next++]!;
      if (state.get(dep) === 1) {
        const from = stack.findIndex((f) => f.id === dep);
        return [...stack.slice(from).map((f) => f.id), dep];
      }
      if (!state.has(dep)) {
        state.set(dep, 1);
        stack.push({ id: dep, next: 0 });
      }
    }
  }
  return undefined;
}

/** Checks every list that is a DAG. */
export function checkNeeds(checker: Checker, tree: StepTree, nodes: Iterable<StepNode>, rawNeeds: (node: StepNode) => unknown): void {
  const lists = new Set<StepList>();
  for (const node of nodes) {
    const list = tree.positionOf(node)?.list;
    if (!list) continue;
    if (list.kind !== 'dag' && node.needs.length) {
      checker.report('needs.not_in_dag', '"needs" cannot be used on a branch of a parallel block, where every branch starts at once; put steps that depend on each other in a steps: list', [...node.path, 'needs'], 'key');
    }
    if (list.kind === 'dag') lists.add(list);
  }
  for (const list of lists) {
    checkNames(checker, list, rawNeeds);
    const cycle = findCycle(list.nodes);
    if (cycle) {
      const first = list.nodes.find((n) => n.id === cycle[0])!;
      checker.report('needs.cycle', `Dependency cycle: ${cycle.join(' -> ')}; a DAG cannot have cycles`, [...first.path, 'needs']);
    }
  }
}
