/** Turns ajv's errors into problems a user can act on: what is wrong, where, what was expected. */
import type { ErrorObject } from './ajv.js';
import type { YamlPath } from '../load/load.js';
import { closest } from './closest.js';
import { capitalized, describeLimit, describeValue, expectedOf, expectedType, nameAt } from './schema-words.js';

export { describeValue } from './schema-words.js';

export interface SchemaIssue {
  readonly path: YamlPath;
  readonly where: 'key' | 'value';
  readonly code: string;
  readonly message: string;
}

/** Converts ajv's JSON pointer (`/steps/0/with`) into a path, numbers where the data is a list. */
export function pointerToPath(pointer: string, data: unknown): YamlPath {
  const path: (string | number)[] = [];
  let node: unknown = data;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const segment = Array.isArray(node) ? Number(key) : key;
    path.push(segment);
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  }
  return path;
}

/** One error with what is needed to word it. */
interface Context {
  readonly error: ErrorObject;
  readonly path: YamlPath;
  readonly data: unknown;
  /** What the whole validated value is called: `the workflow`, `the inputs of "log"`. */
  readonly root: string;
  /** Every error ajv reported, for errors that only make sense with the ones around them. */
  readonly all: readonly ErrorObject[];
}

const within = (path: string, base: string): boolean => path === base || path.startsWith(`${base}/`);

/** The errors of a failed anyOf's branches: ajv reports them just before the anyOf itself. */
function branchesOf(anyOf: ErrorObject, all: readonly ErrorObject[]): ErrorObject[] {
  const branches: ErrorObject[] = [];
  for (let i = all.indexOf(anyOf) - 1; i >= 0 && within(all[i]!.instancePath, anyOf.instancePath); i--) branches.push(all[i]!);
  return branches;
}

function unknownKeyGuess(error: ErrorObject): string | undefined {
  const key = String((error.params as { additionalProperty: string }).additionalProperty);
  return closest(key, Object.keys((error.parentSchema as { properties?: object }).properties ?? {}));
}

/** Missing keys that a misspelt key of the same mapping stands for: "did you mean" already says it. */
function typoedKeys(all: readonly ErrorObject[]): Set<string> {
  const typos = new Set<string>();
  for (const error of all) {
    const guess = error.keyword === 'additionalProperties' ? unknownKeyGuess(error) : undefined;
    if (guess !== undefined) typos.add(`${error.instancePath}|${guess}`);
  }
  return typos;
}

/** Errors that repeat what another error says better. */
function noiseOf(all: readonly ErrorObject[]): Set<ErrorObject> {
  const typos = typoedKeys(all);
  const noise = new Set<ErrorObject>();
  for (const error of all) {
    if (error.keyword === 'anyOf' || error.keyword === 'oneOf') for (const branch of branchesOf(error, all)) noise.add(branch);
    if (error.keyword === 'if' || (error.propertyName !== undefined && error.keyword !== 'propertyNames')) noise.add(error);
    if (error.keyword === 'required' && typos.has(`${error.instancePath}|${(error.params as { missingProperty: string }).missingProperty}`)) noise.add(error);
  }
  return noise;
}

function unknownKey({ error, path, data, root }: Context): SchemaIssue {
  const key = String((error.params as { additionalProperty: string }).additionalProperty);
  const known = Object.keys((error.parentSchema as { properties?: object }).properties ?? {});
  const guess = unknownKeyGuess(error);
  const hint = guess ? ` Did you mean "${guess}"?` : '';
  const expected = known.length ? ` Expected one of: ${known.join(', ')}` : ' No keys are allowed here';
  const message = `Unknown key "${key}" in ${nameAt(path, data, root)}.${hint}${expected}`;
  return { path: [...path, key], where: 'key', code: 'schema.unknown_key', message };
}

function invalidKey({ error, path, data, root, all }: Context): SchemaIssue {
  const name = String((error.params as { propertyName: string }).propertyName);
  const inner = all.find((other) => other.propertyName === name && other.instancePath === error.instancePath);
  const expected = (inner && expectedOf(inner)) ?? expectedOf(error) ?? 'a valid name';
  const message = `Invalid key ${JSON.stringify(name)} in ${nameAt(path, data, root)}; expected ${expected}`;
  return { path: [...path, name], where: 'key', code: 'schema.key_name', message };
}

/** What a failed anyOf expected: its own words, or the types its branches allow. */
function anyOfExpected({ error, all }: Context): string {
  const types = branchesOf(error, all).filter((e) => e.keyword === 'type').flatMap((e) => [e.params.type as unknown].flat());
  return expectedOf(error) ?? (types.length ? expectedType([...new Set(types)]) : 'one of the allowed forms');
}

function expectedValue(ctx: Context): string {
  const { error } = ctx;
  const custom = expectedOf(error);
  switch (error.keyword) {
    case 'anyOf': return anyOfExpected(ctx);
    case 'type': return custom ?? expectedType(error.params.type);
    case 'enum': return `one of ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const': return JSON.stringify((error.params as { allowedValue: unknown }).allowedValue);
    case 'pattern': return custom ?? `a string matching the pattern ${String(error.params.pattern)}`;
    default: return custom ?? describeLimit(error) ?? `valid (${error.message ?? 'see the schema'})`;
  }
}

function wrongValue(ctx: Context): SchemaIssue {
  const { error, path, data, root } = ctx;
  const code = error.keyword === 'anyOf' ? 'schema.type' : `schema.${error.keyword}`;
  const message = `${capitalized(nameAt(path, data, root))} must be ${expectedValue(ctx)}; found ${describeValue(error.data)}`;
  return { path, where: 'value', code, message };
}

/** The keys of a `oneOf: [{ required: [a] }, { required: [b] }]`: exactly one of them must be given. */
function alternativeKeys(error: ErrorObject): string[] | undefined {
  const branches = (error.parentSchema as { oneOf?: unknown[] } | undefined)?.oneOf ?? [];
  const keys = branches.map((b) => {
    const branch = b as { required?: unknown[] };
    return Object.keys(branch).length === 1 && branch.required?.length === 1 ? String(branch.required[0]) : undefined;
  });
  return keys.length && keys.every((k) => k !== undefined) ? (keys as string[]) : undefined;
}

function oneOfKeys(ctx: Context, keys: readonly string[]): SchemaIssue {
  const { error, path, data, root } = ctx;
  const given = keys.filter((k) => error.data !== null && typeof error.data === 'object' && k in error.data);
  if (!given.length) return { path, where: 'key', code: 'schema.required', message: `Missing one of the keys ${keys.join(', ')} in ${nameAt(path, data, root)}` };
  return { path, where: 'key', code: 'schema.oneOf', message: `Only one of the keys ${keys.join(', ')} may be given in ${nameAt(path, data, root)}; found ${given.join(' and ')}` };
}

function describe(ctx: Context): SchemaIssue {
  const { error, path, data, root } = ctx;
  const alternatives = error.keyword === 'oneOf' ? alternativeKeys(error) : undefined;
  if (alternatives) return oneOfKeys(ctx, alternatives);
  if (error.keyword === 'additionalProperties') return unknownKey(ctx);
  if (error.keyword === 'propertyNames') return invalidKey(ctx);
  if (error.keyword === 'required') {
    const key = (error.params as { missingProperty: string }).missingProperty;
    return { path, where: 'key', code: 'schema.required', message: `Missing required key "${key}" in ${nameAt(path, data, root)}` };
  }
  return wrongValue(ctx);
}

/**
 * Every schema problem, one per place, without the noise of anyOf branches. `root` names the
 * validated value in messages (`the workflow`, `the inputs of "log"`).
 */
export function schemaIssues(errors: readonly ErrorObject[], data: unknown, root = 'the workflow'): SchemaIssue[] {
  const seen = new Set<string>();
  const issues: SchemaIssue[] = [];
  const noise = noiseOf(errors);
  for (const error of errors) {
    if (noise.has(error)) continue;
    const issue = describe({ error, path: pointerToPath(error.instancePath, data), data, root, all: errors });
    const key = `${issue.path.join('/')}|${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  return issues;
}

/** "a list", "an object": the article for an input type's name. */
export function article(type: string): string {
  return `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
}
