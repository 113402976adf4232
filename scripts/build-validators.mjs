// Precompiles the workflow schema and every built-in step's input schema into standalone modules,
// one per schema (dist/validators/NAME@HASH.cjs), so `arq validate` never loads or runs ajv's
// compiler (~90 ms) and reads only the validators its workflow uses. Each is named NAME@HASH: a
// schema edited after the build is compiled at run time instead.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const standalone = require('ajv/dist/standalone').default;
const { createAjv, schemaHash, validatorFileName } = await import('../dist/engine/check/ajv.js');
const { builtinSteps } = await import('../dist/steps/registry.js');

const ajv = createAjv();
const schemas = { workflow: JSON.parse(readFileSync(new URL('../schemas/workflow.schema.json', import.meta.url), 'utf8')) };
for (const step of builtinSteps.values()) schemas[`step:${step.type}`] = step.input;
const keys = [];
for (const [name, schema] of Object.entries(schemas)) {
  const key = `${name}@${schemaHash(schema)}`;
  ajv.addSchema(schema, key);
  keys.push(key);
}
const folder = new URL('../dist/validators/', import.meta.url);
rmSync(folder, { recursive: true, force: true });
mkdirSync(folder, { recursive: true });
for (const key of keys) writeFileSync(new URL(validatorFileName(key), folder), standalone(ajv, { [key]: key }));
console.log(`precompiled ${keys.length} validators into dist/validators/`);

// The step types as data, for the bundled CLI's checks (steps/catalog.ts): no module is loaded to read them.
const catalog = [...builtinSteps.values()].map(({ type, description, input, output, scriptInputs, constantInputs, permission }) => ({ type, description, input, output, scriptInputs, constantInputs, permission }));
writeFileSync(new URL('../dist/step-catalog.json', import.meta.url), JSON.stringify(catalog));
console.log(`wrote ${catalog.length} step types into dist/step-catalog.json`);
