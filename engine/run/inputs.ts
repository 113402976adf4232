/** Workflow inputs: given values checked against the declared types, defaults filled in. */
import type { InputSpec, Workflow } from '../model/types.js';
import { fitsType } from '../check/inputs.js';
import { article, describeValue } from '../check/schema-errors.js';

type MakeError = (message: string) => Error;

/** Throws when a given value does not fit its input's type or enum. */
export function checkInputValue(name: string, spec: InputSpec, value: unknown, makeError: MakeError): void {
  if (!fitsType(spec.type, value)) throw makeError(`Input "${name}" must be ${article(spec.type)}; found ${describeValue(value)}`);
  if (spec.enum && !spec.enum.some((v) => JSON.stringify(v) === JSON.stringify(value))) {
    throw makeError(`Input "${name}" must be one of ${spec.enum.map((v) => JSON.stringify(v)).join(', ')}; found ${describeValue(value)}`);
  }
}

/** The inputs a run sees: every given value checked, every default filled, every required one present. */
export function applyInputs(workflow: Workflow, given: Readonly<Record<string, unknown>>, makeError: MakeError): Record<string, unknown> {
  const specs = workflow.inputs;
  const unknown = Object.keys(given).filter((name) => !Object.hasOwn(specs, name));
  if (unknown.length) {
    const known = Object.keys(specs);
    throw makeError(`Unknown input "${unknown[0]}"; ${workflow.name} takes ${known.length ? known.join(', ') : 'no inputs'}`);
  }
  const inputs: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const value = given[name] ?? spec.default;
    if (value === undefined) {
      if (spec.required) throw makeError(`Missing required input "${name}"${spec.description ? ` (${spec.description})` : ''}: pass --input ${name}=VALUE`);
      inputs[name] = null;
      continue;
    }
    checkInputValue(name, spec, value, makeError);
    inputs[name] = value;
  }
  return inputs;
}

/** Converts a command-line `--input name=text` to the declared type of the input. */
export function parseInputText(workflow: Workflow, name: string, text: string, makeError: MakeError): unknown {
  const type = workflow.inputs[name]?.type ?? 'string';
  if (type === 'string') return text;
  if (type === 'number') {
    // Decimal only: Number() would also take "0x10", "0b1" and "Infinity".
    const n = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text.trim()) ? Number(text) : NaN;
    if (!Number.isFinite(n)) throw makeError(`Input "${name}" must be a number; found "${text}"`);
    return n;
  }
  if (type === 'boolean') {
    if (text === 'true' || text === 'false') return text === 'true';
    throw makeError(`Input "${name}" must be true or false; found "${text}"`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw makeError(`Input "${name}" must be ${article(type)} written as JSON (e.g. ${type === 'list' ? '["a","b"]' : '{"k":"v"}'}); found "${text}"`);
  }
}
