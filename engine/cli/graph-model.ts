/** The compiled machines as a plain graph of states and transitions, for drawing. */
import { compileWorkflow, machineId, type CompiledWorkflow, type JsonValue, type StateConfig } from '../compile/compile.js';

export interface GraphState {
  readonly key: string;
  readonly name: string;
  readonly label: string;
  readonly final: boolean;
  readonly children: GraphState[];
  readonly initial?: string;
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
}

export interface Graph {
  readonly machines: GraphState[];
  readonly edges: GraphEdge[];
}

const safe = (text: string) => text.replace(/[^A-Za-z0-9_]/g, '_');
type Obj = { [key: string]: JsonValue };

interface Pending { from: string; target: string; label: string; siblings: Map<string, string> }

/** What a state runs: a root state's section (its block), or what its invoke starts. */
function runsLabel(compiled: CompiledWorkflow, config: Obj): string {
  const meta = config.meta as Obj | undefined;
  if (typeof meta?.block === 'string') return ` ⟶ ${machineId(meta.block)}`;
  const invoke = config.invoke as Obj | undefined;
  if (!invoke) return '';
  const input = invoke.input as Obj;
  if (invoke.src === 'dag') return ' ⟶ dag coordinator (a child per step: its step actor, in a unit:ID machine when it retries or times out)';
  if (invoke.src === 'chain') return ' ⟶ chain coordinator (the steps in order: each its step actor, in a unit:ID machine when it retries or times out)';
  const node = compiled.workflow.stepsById.get(String(input.id)) ?? undefined;
  if (node?.team) return ` ⟶ team ${node.id}/ (tasks ${node.team.main.steps.map((s) => s.id).join(', ')})`;
  const blocks = [node?.body?.name, ...(node?.branches ?? []).map((b) => b.name)].filter((b) => b !== undefined).map(machineId);
  return invoke.src === 'group' ? ` ⟶ ${blocks.join(', ')}` : ` (${String(invoke.src)})`;
}

function transitionsOf(config: Obj): { label: string; target: string }[] {
  const out: { label: string; target: string }[] = [];
  const add = (label: string, value: JsonValue | undefined) => {
    for (const t of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
      const tr = (typeof t === 'string' ? { target: t } : t) as Obj;
      if (typeof tr.target !== 'string') continue;
      const guard = tr.guard ? ` [${typeof tr.guard === 'string' ? tr.guard : String((tr.guard as Obj).type)}]` : '';
      out.push({ label: label + guard, target: tr.target });
    }
  };
  const invoke = config.invoke as Obj | undefined;
  if (invoke) {
    add('done', invoke.onDone);
    add('error', invoke.onError);
  }
  add('done', config.onDone);
  for (const [delay, value] of Object.entries((config.after ?? {}) as Obj)) add(`after ${delay}`, value);
  add('always', config.always);
  for (const [event, value] of Object.entries((config.on ?? {}) as Obj)) add(event, value);
  return out;
}

class Builder {
  readonly edges: GraphEdge[] = [];
  private readonly ids = new Map<string, string>();
  private readonly pending: Pending[] = [];

  /** `prefix` names the machines of a team apart from the workflow's own (`research/`). */
  constructor(private readonly compiled: CompiledWorkflow, private readonly prefix = '') {}

  machine(config: StateConfig): GraphState {
    const id = String(config.id);
    const root = this.state(id, config as Obj, [id], new Map());
    return this.prefix ? { ...root, label: `${this.prefix}${root.label}` } : root;
  }

  private state(key: string, config: Obj, path: string[], siblings: Map<string, string>): GraphState {
    const name = safe(this.prefix + path.join('__'));
    this.ids.set(path.join('.'), name);
    if (typeof config.id === 'string') this.ids.set(config.id, name);
    const childMap = new Map<string, string>();
    const states = (config.states ?? {}) as Obj;
    for (const child of Object.keys(states)) childMap.set(child, safe(this.prefix + [...path, child].join('__')));
    const children = Object.entries(states).map(([k, v]) => this.state(k, v as Obj, [...path, k], childMap));
    for (const t of transitionsOf(config)) this.pending.push({ from: name, target: t.target, label: t.label, siblings });
    return { key, name, label: key + runsLabel(this.compiled, config), final: config.type === 'final', children, initial: config.initial ? childMap.get(String(config.initial)) : undefined };
  }

  resolve(): void {
    for (const p of this.pending) {
      const to = p.target.startsWith('#') ? this.ids.get(p.target.slice(1)) : p.siblings.get(p.target);
      if (to) this.edges.push({ from: p.from, to, label: p.label });
    }
  }
}

/** The machines a coordinator (chain or DAG) runs: one `unit:ID` block machine per step. */
function unitNames(compiled: CompiledWorkflow): string[] {
  return [...compiled.blocks.values()].flatMap((b) => b.steps.map((step) => `unit:${step.id}`));
}

/**
 * What the coordinators follow: in a DAG, node B starts once each node A it needs has ended; in
 * a chain, each step once the one before it has ended.
 */
function orderEdges(compiled: CompiledWorkflow, prefix: string): GraphEdge[] {
  const unit = (id: string) => safe(`${prefix}unit:${id}`);
  return [...compiled.blocks.values()].flatMap((block) => {
    const coordinator = safe(`${prefix}${machineId(block.name)}__${block.dag ? 'dag' : 'chain'}`);
    const first = block.dag ? block.steps.filter((step) => step.needs.length === 0) : block.steps.slice(0, 1);
    const starts = first.map((step) => ({ from: coordinator, to: unit(step.id), label: 'starts' }));
    const order = block.dag
      ? block.steps.flatMap((step) => step.needs.map((need) => ({ from: unit(need), to: unit(step.id), label: 'needs' })))
      : block.steps.slice(1).map((step, i) => ({ from: unit(block.steps[i]!.id), to: unit(step.id), label: 'then' }));
    return [...starts, ...order];
  });
}

/** Every block machine a run of the workflow may start, by name. */
export function machineNames(compiled: CompiledWorkflow): string[] {
  // An empty on_failure: or finally: has no state in the root machine: nothing runs it.
  const used = [...compiled.blocks.values()].filter((b) => b.steps.length > 0).map((b) => b.name);
  return [...used, ...unitNames(compiled)];
}

/**
 * The root machine and every block machine, with their transitions resolved to state names; then
 * the machines of each `agents.team` step (a DAG of its tasks), named after the step.
 */
export function buildGraph(compiled: CompiledWorkflow, prefix = ''): Graph {
  const builder = new Builder(compiled, prefix);
  const machines = [builder.machine(compiled.root), ...machineNames(compiled).map((name) => builder.machine(compiled.block(name)))];
  builder.resolve();
  const graph = { machines, edges: [...builder.edges, ...orderEdges(compiled, prefix)] };
  for (const node of compiled.workflow.stepsById.values()) {
    if (!node.team) continue;
    const team = buildGraph(compileWorkflow(node.team), `${prefix}${node.id}/`);
    graph.machines.push(...team.machines);
    graph.edges.push(...team.edges);
  }
  return graph;
}
