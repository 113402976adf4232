/**
 * Custom step types: `uses: ./steps/my-step.js` loads a local module that exports the step
 * contract (`export const step = { type, description, input, run }`, or a default export). The
 * module is loaded while the workflow is checked, so its inputs are checked like a built-in's.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { StepType } from '../../steps/contract.js';
import { stepCatalog as builtinSteps } from '../../steps/catalog.js';
import { WorkflowError, type Problem } from '../errors.js';
import { loadWorkflowFile, type LoadedDocument } from '../load/load.js';
import { asRecord } from './checker.js';
import type { ModuleUse } from './scan.js';

/** A `uses:` that names a file rather than a registered type. */
export function isModulePath(uses: string): boolean {
  return uses.startsWith('./') || uses.startsWith('../') || uses.startsWith('/');
}

function contractOf(module: Record<string, unknown>): StepType | undefined {
  const candidate = asRecord(module.step) ?? asRecord(module.default);
  const ok = candidate && typeof candidate.run === 'function' && asRecord(candidate.input) && typeof candidate.type === 'string';
  return ok ? (candidate as unknown as StepType) : undefined;
}

async function loadOne(file: string): Promise<StepType | string> {
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' ? 'no such file' : error instanceof Error ? error.message.split('\n')[0] : String(error);
    return `Cannot load the step module ${file}: ${reason}`;
  }
  return contractOf(module) ?? `The step module ${file} exports no step: expected \`export const step = { type, description, input, run }\` (or a default export of that shape)`;
}

/** The file that names custom step types for the workflows of its folder. */
export const CONFIG_FILE = 'arq.config.yaml';

/**
 * Custom step types named in `arq.config.yaml` (`steps: { NAME: ./module.js }`) in `dir`: loaded
 * and registered under their names. A missing file is no config; a bad entry is a problem there.
 */
export async function loadConfigSteps(dir: string): Promise<{ steps: Map<string, StepType>; problems: Problem[] }> {
  const steps = new Map<string, StepType>();
  const problems: Problem[] = [];
  const file = join(dir, CONFIG_FILE);
  if (!existsSync(file)) return { steps, problems };
  let config: LoadedDocument;
  try {
    config = await loadWorkflowFile(file, { displayPath: file });
  } catch (error) {
    if (error instanceof WorkflowError) return { steps, problems: [...error.problems] };
    throw error;
  }
  for (const [name, module] of Object.entries(asRecord(asRecord(config.data)?.steps) ?? {})) {
    const at = config.locate(['steps', name]);
    if (builtinSteps.has(name) || name === 'workflow' || typeof module !== 'string') {
      problems.push({ code: 'config.step', message: typeof module !== 'string' ? `Step type "${name}" must name a module file (e.g. ./steps/${name}.js)` : `Step type "${name}" is built in; give the custom one another name`, location: at });
      continue;
    }
    const loaded = await loadOne(resolve(dir, module));
    if (typeof loaded === 'string') problems.push({ code: 'step.module', message: loaded, location: at });
    else steps.set(name, loaded);
  }
  return { steps, problems };
}

/**
 * Loads every custom step module a workflow names (`modules`, its `uses:` of a file, in document
 * order: scan.ts), or names through arq.config.yaml; a module that fails to load is a problem.
 */
export async function loadCustomSteps(doc: LoadedDocument, modules: readonly ModuleUse[]): Promise<{ steps: Map<string, StepType>; problems: Problem[] }> {
  const { steps, problems } = await loadConfigSteps(dirname(resolve(doc.file)));
  for (const { uses, path } of modules) {
    if (steps.has(uses)) continue;
    const loaded = await loadOne(resolve(dirname(doc.file), uses));
    if (typeof loaded === 'string') problems.push({ code: 'step.module', message: loaded, location: doc.locate(path) });
    else steps.set(uses, loaded);
  }
  return { steps, problems };
}
