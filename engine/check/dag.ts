/** `needs:` checks: every id names a step of the same list, and the list has no cycle. */
import type { StepNode } from '../model/types.js';
import type { Checker } from './checker.js';
import { closest } from './closest.js';
import type { StepList } from './tree.js';

function needsPath(node: StepNode, index: number): (string | number)[] {
  return typeof node.needs === 'object' && node.needs.length > 0 ? [...node.path, 'needs', index] : [...node.path, 'needs'];
}

function checkNames(checker: Checker, list: StepList, rawNeeds: (node: StepNode) => unknown): void {
  const ids = list.nodes.map((n) => n.id);
  const known = new Set(ids);
  for (const node of list.nodes) {
    for (let i = 0; i < node.needs.length; i++) {
      const need = node.needs[i]!;
      if (need !== node.id && known.has(need)) continue;
      const path = typeof rawNeeds(node) === 'string' ? [...node.path, 'needs'] : needsPath(node, i);
      if (need === node.id) checker.report('needs.self', `Step "${node.id}" needs itself; a step can only need other steps of its list`, path);
      else checker.report('needs.unknown', unknownNeed(need, node, ids), path);
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
      const dep = nextNeed(byId, top);
      if (dep === undefined) {
        state.set(top.id, 2);
        stack.pop();
        continue;
      }
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

/** The next need of a frame that names another step of the list (advancing `frame.next`), or undefined. */
function nextNeed(byId: ReadonlyMap<string, { readonly needs: readonly string[] }>, frame: { id: string; next: number }): string | undefined {
  const needs = byId.get(frame.id)!.needs;
  while (frame.next < needs.length) {
    const need = needs[frame.next++]!;
    if (byId.has(need) && need !== frame.id) return need;
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
    checkNames(checker, list, rawNeeds);
    const cycle = findCycle(list.nodes);
    if (cycle) {
      const first = list.nodes.find((n) => n.id === cycle[0])!;
      checker.report('needs.cycle', `Dependency cycle: ${cycle.join(' -> ')}; a DAG cannot have cycles`, [...first.path, 'needs']);
    }
  }
}
