// Precompiles the workflow schema and every built-in step's input schema into one standalone
// module (dist/validators.cjs), so `arq validate` never loads or runs ajv's compiler (~90 ms).
// Each export is named NAME@HASH: a schema edited after the build is compiled at run time instead.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const standalone = require('ajv/dist/standalone').default;
const { createAjv, schemaHash } = await import('../dist/engine/check/ajv.js');
const { builtinSteps } = await import('../dist/steps/registry.js');

const ajv = createAjv();
const schemas = { workflow: JSON.parse(readFileSync(new URL('../schemas/workflow.schema.json', import.meta.url), 'utf8')) };
for (const step of builtinSteps.values()) schemas[`step:${step.type}`] = step.input;
const ids = {};
for (const [name, schema] of Object.entries(schemas)) {
  const key = `${name}@${schemaHash(schema)}`;
  ajv.addSchema(schema, key);
  ids[key] = key;
}
writeFileSync(new URL('../dist/validators.cjs', import.meta.url), standalone(ajv, ids));
console.log(`precompiled ${Object.keys(ids).length} validators into dist/validators.cjs`);
