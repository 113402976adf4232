/** One ajv instance for the workflow schema and every step type's input schema. */
import { createRequire } from 'node:module';
import type { Ajv as AjvClass, ErrorObject, ValidateFunction } from 'ajv';

const require = createRequire(import.meta.url);
let ajv: AjvClass | undefined;
const cache = new WeakMap<object, ValidateFunction>();

/** `x-expected` words the message of a failed schema; editors ignore it. */
function createAjv(): AjvClass {
  const { Ajv } = require('ajv') as { Ajv: typeof AjvClass };
  const instance = new Ajv({ allErrors: true, verbose: true, strict: false, allowUnionTypes: true });
  instance.addKeyword({ keyword: 'x-expected', schemaType: 'string' });
  return instance;
}

/** Compiles a schema once and keeps the validator for the life of the process. */
export function validatorFor(schema: object): ValidateFunction {
  let validate = cache.get(schema);
  if (!validate) {
    ajv ??= createAjv();
    const compiled = ajv.compile(schema);
    cache.set(schema, compiled);
    return compiled;
  }
  return validate;
}

export type { ErrorObject };
