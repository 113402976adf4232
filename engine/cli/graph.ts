/** `arq graph FILE`: the machines that actually run, drawn from the compiled configs. */
import { compileWorkflow } from '../compile/compile.js';
import { EXIT } from './exit.js';
import { buildGraph, machineNames, type Graph, type GraphState } from './graph-model.js';
import { loadChecked } from './load.js';

const quote = (text: string) => text.replace(/"/g, "'");

function mermaidState(state: GraphState, indent: string, out: string[]): void {
  if (!state.children.length) {
    out.push(`${indent}state "${quote(state.label)}" as ${state.name}`);
    return;
  }
  out.push(`${indent}state "${quote(state.label)}" as ${state.name} {`);
  if (state.initial) out.push(`${indent}  [*] --> ${state.initial}`);
  for (const child of state.children) mermaidState(child, `${indent}  `, out);
  for (const child of state.children) if (child.final) out.push(`${indent}  ${child.name} --> [*]`);
  out.push(`${indent}}`);
}

export function toMermaid(graph: Graph): string {
  const out = ['stateDiagram-v2'];
  for (const machine of graph.machines) mermaidState(machine, '  ', out);
  for (const edge of graph.edges) out.push(`  ${edge.from} --> ${edge.to} : ${quote(edge.label)}`);
  return out.join('\n') + '\n';
}

function dotState(state: GraphState, indent: string, out: string[]): void {
  const shape = state.final ? 'doublecircle' : state.children.length ? 'box' : 'ellipse';
  if (!state.children.length) {
    out.push(`${indent}${state.name} [label="${quote(state.label)}", shape=${shape}];`);
    return;
  }
  out.push(`${indent}subgraph cluster_${state.name} {`, `${indent}  label="${quote(state.label)}";`);
  out.push(`${indent}  ${state.name} [label="${quote(state.key)}", shape=point];`);
  for (const child of state.children) dotState(child, `${indent}  `, out);
  out.push(`${indent}}`);
}

export function toDot(graph: Graph): string {
  const out = ['digraph arq {', '  compound=true;'];
  for (const machine of graph.machines) dotState(machine, '  ', out);
  for (const edge of graph.edges) out.push(`  ${edge.from} -> ${edge.to} [label="${quote(edge.label)}"];`);
  return out.join('\n') + '\n}\n';
}

export async function graphCommand(file: string, format: 'mermaid' | 'dot' | 'json'): Promise<number> {
  const compiled = compileWorkflow(await loadChecked(file));
  if (format === 'json') {
    const blocks = Object.fromEntries(machineNames(compiled).map((name) => [name, compiled.block(name)]));
    process.stdout.write(`${JSON.stringify({ root: compiled.root, blocks }, null, 2)}\n`);
  } else {
    const graph = buildGraph(compiled);
    process.stdout.write(format === 'dot' ? toDot(graph) : toMermaid(graph));
  }
  return EXIT.ok;
}
