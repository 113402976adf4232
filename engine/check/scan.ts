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
 * The `uses:` of every step that names a module file, inner lists (`steps:`, `parallel:`)
 * included, in document order.
 *
 * @example
 * moduleUses({ steps: [{ uses: './x.js' }] }); // [{ uses: './x.js', path: ['steps', 0, 'uses'] }]
 */
export function moduleUses(data: Record<string, unknown>): ModuleUse[] {
  const modules: ModuleUse[] = [];
  for (const section of SECTIONS) modulesIn(data[section], [section], modules);
  return modules;
}

/** `path` is one stack for the whole walk, copied only for a module (the rare case). */
function modulesIn(raw: unknown, path: (string | number)[], modules: ModuleUse[]): void {
  const items = asList(raw);
  for (let index = 0; index < items.length; index++) {
    const step = asRecord(items[index]);
    if (!step) continue;
    if (typeof step.uses === 'string' && isModulePath(step.uses)) modules.push({ uses: step.uses, path: [...path, index, 'uses'] });
    if (step.steps !== undefined) modulesInner(step.steps, path, index, 'steps', modules);
    if (step.parallel !== undefined) modulesInner(step.parallel, path, index, 'parallel', modules);
  }
}

function modulesInner(raw: unknown, path: (string | number)[], index: number, key: string, modules: ModuleUse[]): void {
  path.push(index, key);
  modulesIn(raw, path, modules);
  path.length -= 2;
}

/** Every `id:` written on a step, inner lists included. */
export function stepIds(data: Record<string, unknown>): Set<string> {
  const ids = new Set<string>();
  for (const section of SECTIONS) idsIn(data[section], ids);
  return ids;
}

function idsIn(raw: unknown, ids: Set<string>): void {
  for (const item of asList(raw)) {
    const step = asRecord(item);
    if (!step) continue;
    if (typeof step.id === 'string') ids.add(step.id);
    idsIn(step.steps, ids);
    idsIn(step.parallel, ids);
  }
}
