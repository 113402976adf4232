/** Workflow inputs and secrets: their specs, and the defaults checked against the declared types. */
import type { InputSpec, InputType, SecretSpec } from '../model/types.js';
import { asRecord, type Checker } from './checker.js';
import { article, describeValue } from './schema-errors.js';

const typeCheck: Record<InputType, (v: unknown) => boolean> = {
  string: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number',
  boolean: (v) => typeof v === 'boolean',
  list: Array.isArray,
  object: (v) => asRecord(v) !== undefined,
};

/** Whether a value fits an input type. */
export function fitsType(type: InputType, value: unknown): boolean {
  return typeCheck[type](value);
}

function inputSpec(checker: Checker, name: string, raw: Record<string, unknown>): InputSpec {
  const type = (typeof raw.type === 'string' && raw.type in typeCheck ? raw.type : 'string') as InputType;
  const spec: InputSpec = {
    type,
    required: raw.required === true && raw.default === undefined,
    default: raw.default,
    enum: Array.isArray(raw.enum) ? raw.enum : undefined,
    description: typeof raw.description === 'string' ? raw.description : undefined,
  };
  if (raw.default !== undefined && !fitsType(type, raw.default)) {
    checker.report('inputs.default_type', `The default of input "${name}" must be ${article(type)}; found ${describeValue(raw.default)}`, ['inputs', name, 'default']);
  } else if (spec.enum && raw.default !== undefined && !spec.enum.some((v) => JSON.stringify(v) === JSON.stringify(raw.default))) {
    checker.report('inputs.default_enum', `The default of input "${name}" must be one of ${spec.enum.map((v) => JSON.stringify(v)).join(', ')}; found ${describeValue(raw.default)}`, ['inputs', name, 'default']);
  }
  return spec;
}

export function buildInputs(checker: Checker, raw: unknown): Record<string, InputSpec> {
  const specs: Record<string, InputSpec> = {};
  for (const [name, value] of Object.entries(asRecord(raw) ?? {})) {
    const spec = asRecord(value);
    if (spec) specs[name] = inputSpec(checker, name, spec);
  }
  return specs;
}

export function buildSecrets(checker: Checker, raw: unknown): Record<string, SecretSpec> {
  const specs: Record<string, SecretSpec> = {};
  for (const [name, value] of Object.entries(asRecord(raw) ?? {})) {
    const spec = asRecord(value);
    if (!spec) continue;
    const sources = ['env', 'file'].filter((k) => spec[k] !== undefined);
    if (sources.length === 0) {
      checker.report('secrets.source', `Secret "${name}" has no source; expected env: VARIABLE or file: PATH`, ['secrets', name], 'key');
    } else if (sources.length > 1) {
      checker.report('secrets.source', `Secret "${name}" has both env: and file:; expected exactly one source`, ['secrets', name, 'file'], 'key');
    }
    specs[name] = { env: spec.env as string | undefined, file: spec.file as string | undefined, required: spec.required !== false };
  }
  return specs;
}
