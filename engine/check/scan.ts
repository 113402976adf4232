/**
 * Walks over the step lists as written, before any step is built: for the local modules their
 * `uses:` name (loaded before the build), and the ids they use (made-up ids must avoid them).
 */
import type { YamlPath } from '../load/load.js';
import { asList, asRecord } from './checker.js';
import { isModulePath } from './custom.js';

/** A `uses:` naming a module file, and where it is written. */
export interface ModuleUse {
  readonly uses: string;
  readonly path: YamlPath;
}

/** The sections that hold steps, in document order. */
const SECTIONS = ['steps', 'on_failure', 'finally'] as const;

/**
 * The `uses:` of every step that names a module file, in document order.
 *
 * @example
 * moduleUses({ steps: [{ uses: './x.js' }] }); // [{ uses: './x.js', path: ['steps', 0, 'uses'] }]
 */
export function moduleUses(data: Record<string, unknown>): ModuleUse[] {
  const modules: ModuleUse[] = [];
  eachStep(data, (step, path) => {
    if (typeof step.uses === 'string' && isModulePath(step.uses)) modules.push({ uses: step.uses, path: [...path, 'uses'] });
  });
  return modules;
}

/** Every `id:` written on a step. */
export function stepIds(data: Record<string, unknown>): Set<string> {
  const ids = new Set<string>();
  eachStep(data, (step) => {
    if (typeof step.id === 'string') ids.add(step.id);
  });
  return ids;
}

type Visit = (step: Record<string, unknown>, path: readonly (string | number)[]) => void;

/** Visits every step mapping, inner lists (`steps:`, `parallel:`) included, in document order. */
function eachStep(data: Record<string, unknown>, visit: Visit): void {
  for (const section of SECTIONS) visitList(data[section], [section], visit);
}

/** `path` is one stack for the whole walk: a visitor copies what it keeps. */
function visitList(raw: unknown, path: (string | number)[], visit: Visit): void {
  const items = asList(raw);
  for (let index = 0; index < items.length; index++) {
    const step = asRecord(items[index]);
    if (!step) continue;
    path.push(index);
    visit(step, path);
    if (step.steps !== undefined) visitInner(step.steps, path, 'steps', visit);
    if (step.parallel !== undefined) visitInner(step.parallel, path, 'parallel', visit);
    path.pop();
  }
}

function visitInner(raw: unknown, path: (string | number)[], key: string, visit: Visit): void {
  path.push(key);
  visitList(raw, path, visit);
  path.pop();
}
