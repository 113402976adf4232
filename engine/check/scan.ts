/**
 * One walk over the step lists as written, before any step is built: the ids they use (made-up
 * ids must avoid them) and the local modules their `uses:` name (loaded before the build).
 */
import type { YamlPath } from '../load/load.js';
import { asList, asRecord } from './checker.js';
import { isModulePath } from './custom.js';

/** A `uses:` naming a module file, and where it is written. */
export interface ModuleUse {
  readonly uses: string;
  readonly path: YamlPath;
}

export interface StepScan {
  readonly ids: Set<string>;
  readonly modules: ModuleUse[];
}

/** The sections that hold steps, in document order. */
const SECTIONS = ['steps', 'on_failure', 'finally'] as const;

/**
 * Scans every step list of a workflow's data, inner lists (`steps:`, `parallel:`) included.
 *
 * @example
 * scanSteps({ steps: [{ id: 'a', uses: './x.js' }] }); // { ids: {'a'}, modules: [{ uses: './x.js', path: ['steps', 0, 'uses'] }] }
 */
export function scanSteps(data: Record<string, unknown>): StepScan {
  const scan: StepScan = { ids: new Set(), modules: [] };
  for (const section of SECTIONS) scanList(data[section], [section], scan);
  return scan;
}

/** `path` is a stack shared by the whole walk: copied only for a module, the rare case. */
function scanList(raw: unknown, path: (string | number)[], scan: StepScan): void {
  const items = asList(raw);
  for (let index = 0; index < items.length; index++) {
    const step = asRecord(items[index]);
    if (!step) continue;
    if (typeof step.id === 'string') scan.ids.add(step.id);
    if (typeof step.uses === 'string' && isModulePath(step.uses)) scan.modules.push({ uses: step.uses, path: [...path, index, 'uses'] });
    if (step.steps !== undefined) scanInner(step.steps, path, index, 'steps', scan);
    if (step.parallel !== undefined) scanInner(step.parallel, path, index, 'parallel', scan);
  }
}

function scanInner(raw: unknown, path: (string | number)[], index: number, key: string, scan: StepScan): void {
  path.push(index, key);
  scanList(raw, path, scan);
  path.pop();
  path.pop();
}
