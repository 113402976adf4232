/**
 * A proof over the compiled machines, not a run: from every state of every machine a path leads
 * to one of the machine's final states, so no workflow can compile into a machine that gets stuck.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildGraph, type GraphState } from '../../../engine/cli/graph-model.js';
import { checkWorkflow } from '../../../engine/check/workflow.js';
import { compileWorkflow } from '../../../engine/compile/compile.js';
import { loadWorkflowFile } from '../../../engine/load/load.js';

const root = join(import.meta.dirname, '..', '..', '..');
const files = [
  ...readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.yaml')).map((f) => join(root, 'examples', f)),
  ...readdirSync(join(root, 'test', 'fixtures', 'valid')).filter((f) => f.endsWith('.yaml')).map((f) => join(root, 'test', 'fixtures', 'valid', f)),
];

interface Node {
  readonly state: GraphState;
  readonly parent?: Node;
}

function index(state: GraphState, parent: Node | undefined, into: Map<string, Node>): void {
  const node = { state, parent };
  into.set(state.name, node);
  for (const child of state.children) index(child, node, into);
}

/** States reachable from `start`: its transitions, a compound's initial child, and a final child's way out through its parent's `done`. */
function reachable(start: string, nodes: ReadonlyMap<string, Node>, edges: ReadonlyMap<string, string[]>): Set<string> {
  const seen = new Set<string>([start]);
  const queue = [start];
  while (queue.length) {
    const name = queue.pop()!;
    const node = nodes.get(name)!;
    const next = [...(edges.get(name) ?? [])];
    if (node.state.initial) next.push(node.state.initial);
    if (node.state.final && node.parent) next.push(node.parent.state.name);
    for (const to of next) if (nodes.has(to) && !seen.has(to)) seen.add(to), queue.push(to);
  }
  return seen;
}

describe('every compiled machine can always end', () => {
  it.each(files.map((f) => [f.slice(root.length + 1), f]))('%s', async (_name, file) => {
    const graph = buildGraph(compileWorkflow(await checkWorkflow(await loadWorkflowFile(file))));
    const edges = new Map<string, string[]>();
    for (const e of graph.edges) edges.set(e.from, [...(edges.get(e.from) ?? []), e.to]);
    for (const machine of graph.machines) {
      const nodes = new Map<string, Node>();
      index(machine, undefined, nodes);
      const finals = machine.children.filter((c) => c.final).map((c) => c.name);
      expect(finals.length).toBeGreaterThan(0);
      const stuck = [...nodes.keys()].filter((name) => name !== machine.name && !finals.some((f) => reachable(name, nodes, edges).has(f)));
      expect(stuck, `${machine.name}: states with no way to a final state`).toEqual([]);
    }
  });
});
