/**
 * Validators for the workflow schema and every step type's input schema. The build precompiles
 * the built-in ones (dist/validators.cjs), so checking a workflow never loads ajv's compiler
 * (~90 ms of a cold start); anything else, or a schema changed since the build, compiles here.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Ajv as AjvClass, ErrorObject, ValidateFunction } from 'ajv';
import { packageRoot } from '../paths.js';

const require = createRequire(import.meta.url);
let ajv: AjvClass | undefined;
let precompiled: Record<string, ValidateFunction> | undefined;
const cache = new WeakMap<object, ValidateFunction>();

/** The options both the build and the runtime compile with: `x-expected` words a failed schema's message. */
export function createAjv(): AjvClass {
  const { Ajv } = require('ajv') as { Ajv: typeof AjvClass };
  const instance = new Ajv({ allErrors: true, verbose: true, strict: false, allowUnionTypes: true, code: { source: true } });
  instance.addKeyword({ keyword: 'x-expected', schemaType: 'string' });
  return instance;
}

/** A short fingerprint of a schema: a precompiled validator is used only for the schema it was built from. */
export function schemaHash(schema: object): string {
  return createHash('sha1').update(JSON.stringify(schema)).digest('hex').slice(0, 16);
}

function loadPrecompiled(): Record<string, ValidateFunction> {
  const file = join(packageRoot, 'dist', 'validators.cjs');
  return existsSync(file) ? (require(file) as Record<string, ValidateFunction>) : {};
}

function fromBuild(schema: object, name: string | undefined): ValidateFunction | undefined {
  if (name === undefined) return undefined;
  precompiled ??= loadPrecompiled();
  const validate = precompiled[`${name}@${schemaHash(schema)}`];
  return validate;
}

/** The validator of a schema, compiled once for the life of the process. */
export function validatorFor(schema: object, name?: string): ValidateFunction {
  const cached = cache.get(schema);
  if (cached) return cached;
  const validate = fromBuild(schema, name) ?? (ajv ??= createAjv()).compile(schema);
  cache.set(schema, validate);
  return validate;
}

export type { ErrorObject };
