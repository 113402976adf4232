/**
 * The built-in step types as checking a workflow sees them: name, description, schemas and flags,
 * never `run`. From source this is the registry itself. The bundled CLI replaces this module
 * (scripts/bundle.mjs) by dist/step-catalog.json, written by the same build from the registry, so
 * `arq validate` loads no step module, nor the Node built-ins (http, tls, child_process, ...) they
 * import.
 *
 * @example
 * stepCatalog.get('fs.read')?.input; // the JSON Schema of its `with:`
 */
import type { StepType } from './contract.js';
import { builtinSteps } from './registry.js';

/** Built-in step types by name; checking code reads their data only, never calls `run`. */
export const stepCatalog: ReadonlyMap<string, StepType> = builtinSteps;
