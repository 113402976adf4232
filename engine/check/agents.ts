/**
 * The workflow's `agents:` and `llm:` blocks: constants handed to LLM steps, with every tool they
 * grant checked to be a step type the workflow can run (a tool of an llm.* step too).
 */
import type { StepType } from '../../steps/contract.js';
import { stepCatalog as builtinSteps } from '../../steps/catalog.js';
import type { YamlPath } from '../load/load.js';
import type { AgentSpec, StepNode } from '../model/types.js';
import { asList, asRecord, valueAt, type Checker } from './checker.js';
import { closest } from './closest.js';

/** Step types the engine runs itself: never a tool, never run from inside a step. */
export const ENGINE_ONLY_TYPES: ReadonlySet<string> = new Set(['workflow', 'agents.team', 'agents.plan']);

/** The types a model may be granted as tools: built-ins and the workflow's custom types. */
function toolTypes(custom: ReadonlyMap<string, StepType>): string[] {
  return [...builtinSteps.keys(), ...custom.keys()].filter((t) => !ENGINE_ONLY_TYPES.has(t));
}

/** Reports every entry of a `tools:` list that is not a step type a model may be granted. */
export function checkTools(checker: Checker, path: YamlPath, custom: ReadonlyMap<string, StepType>): void {
  const known = toolTypes(custom);
  asList(valueAt(checker.doc.data, path)).forEach((tool, i) => {
    if (typeof tool !== 'string' || known.includes(tool)) return;
    const engine = ENGINE_ONLY_TYPES.has(tool) ? ` "${tool}" is run by the engine, not as a tool.` : '';
    const guess = engine ? undefined : closest(tool, known);
    checker.report('tools.unknown', `Unknown tool "${tool}": a tool is a step type.${engine}${guess ? ` Did you mean "${guess}"?` : ''} Run \`arq steps\` to list them`, [...path, i]);
  });
}

/** Reports any `${{ }}` in a block that is read as a constant. */
function checkConstant(checker: Checker, value: unknown, path: YamlPath, block: string): void {
  if (typeof value === 'string' && value.includes('${{')) {
    checker.report('expr.not_allowed', `Expressions are not evaluated in the ${block} block; write a constant here`, path);
    return;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) checkConstant(checker, inner, [...path, Array.isArray(value) ? Number(key) : key], block);
  }
}

/** The `agents:` block by name (tools checked), or undefined without one. */
export function buildAgents(checker: Checker, raw: unknown, custom: ReadonlyMap<string, StepType>): Record<string, AgentSpec> | undefined {
  const block = asRecord(raw);
  if (!block) return undefined;
  checkConstant(checker, block, ['agents'], 'agents:');
  const agents: Record<string, AgentSpec> = {};
  for (const [name, value] of Object.entries(block)) {
    const spec = asRecord(value);
    if (!spec) continue;
    checkTools(checker, ['agents', name, 'tools'], custom);
    agents[name] = { ...spec, name } as AgentSpec;
  }
  return agents;
}

/** Workflow-level settings of step families: `{ llm }` when the workflow has an `llm:` block. */
export function buildSettings(checker: Checker, raw: Record<string, unknown>): Record<string, unknown> | undefined {
  if (asRecord(raw.llm) === undefined) return undefined;
  checkConstant(checker, raw.llm, ['llm'], 'llm:');
  return { llm: raw.llm };
}

/** The `with: tools:` of every llm.* step whose list is written out. */
export function checkStepTools(checker: Checker, nodes: readonly StepNode[], custom: ReadonlyMap<string, StepType>): void {
  // Indexed: a for-of allocates an iterator result per step until the loop is optimised.
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    if (node.uses?.startsWith('llm.') && node.path.length) checkTools(checker, [...node.path, 'with', 'tools'], custom);
  }
}
