/**
 * Validators for the workflow schema and every step type's input schema. The build precompiles
 * the built-in ones (dist/validators/, one file each, read only when used), so checking a workflow
 * never loads ajv's compiler (~90 ms of a cold start); anything else, or a schema changed since the
 * build, compiles here.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Ajv as AjvClass, ErrorObject, ValidateFunction } from 'ajv';
import { packageRoot } from '../paths.js';

const require = createRequire(import.meta.url);
let ajv: AjvClass | undefined;
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

/**
 * The file a precompiled validator is built into: its key with what a file name cannot hold replaced.
 *
 * @example
 * validatorFileName('step:fs.read@0123456789abcdef'); // 'step_fs.read@0123456789abcdef.cjs'
 */
export function validatorFileName(key: string): string {
  return `${key.replace(/[^A-Za-z0-9._@-]/g, '_')}.cjs`;
}

function fromBuild(schema: object, name: string | undefined): ValidateFunction | undefined {
  if (name === undefined) return undefined;
  const key = `${name}@${schemaHash(schema)}`;
  const file = join(packageRoot, 'dist', 'validators', validatorFileName(key));
  return existsSync(file) ? (require(file) as Record<string, ValidateFunction>)[key] : undefined;
}

/** The validator of a schema, compiled once for the life of the process. */
export function validatorFor(schema: object, name?: string): ValidateFunction {
  const cached = cache.get(schema);
  if (cached) return cached;
  const validate = fromBuild(schema, name) ?? (ajv ??= createAjv()).compile(schema);
  cache.set(schema, validate);
  return validate;
}

export type { ErrorObject, ValidateFunction };
