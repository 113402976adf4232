/** Turns ajv's errors into problems a user can act on: what is wrong, where, what was expected. */
import type { ErrorObject } from './ajv.js';
import type { YamlPath } from '../load/load.js';
import { closest } from './closest.js';

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

export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  if (typeof value === 'number') return Number.isInteger(value) ? `the integer ${value}` : `the number ${value}`;
  return `${typeof value} ${String(value)}`;
}

const typeWords: Record<string, string> = {
  string: 'a string', number: 'a number', integer: 'an integer', boolean: 'true or false',
  object: 'a mapping (key: value pairs)', array: 'a list', null: 'null',
};

function expectedType(type: unknown): string {
  const types = Array.isArray(type) ? type : [type];
  return types.map((t) => typeWords[String(t)] ?? String(t)).join(' or ');
}

function subject(path: YamlPath): string {
  const last = [...path].reverse().find((p) => typeof p === 'string');
  return last === undefined ? 'The workflow' : `"${last}"`;
}

function expected(error: ErrorObject): string | undefined {
  const schema = error.parentSchema as Record<string, unknown> | undefined;
  return typeof schema?.['x-expected'] === 'string' ? schema['x-expected'] : undefined;
}

function unknownKey(error: ErrorObject, path: YamlPath): SchemaIssue {
  const key = String((error.params as { additionalProperty: string }).additionalProperty);
  const known = Object.keys((error.parentSchema as { properties?: object }).properties ?? {});
  const guess = closest(key, known);
  const hint = guess ? ` Did you mean "${guess}"?` : '';
  const message = `Unknown key "${key}".${hint} Expected one of: ${known.join(', ')}`;
  return { path: [...path, key], where: 'key', code: 'schema.unknown_key', message };
}

function describe(error: ErrorObject, path: YamlPath): SchemaIssue {
  const found = describeValue(error.data);
  const custom = expected(error);
  const value = (code: string, message: string): SchemaIssue => ({ path, where: 'value', code, message });
  switch (error.keyword) {
    case 'additionalProperties':
      return unknownKey(error, path);
    case 'required': {
      const key = (error.params as { missingProperty: string }).missingProperty;
      return { path, where: 'key', code: 'schema.required', message: `Missing required key "${key}" in ${path.length ? subject(path) : 'the workflow'}` };
    }
    case 'type':
      return value('schema.type', `${subject(path)} must be ${custom ?? expectedType(error.params.type)}; found ${found}`);
    case 'enum': {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ');
      return value('schema.enum', `${subject(path)} must be one of ${allowed}; found ${found}`);
    }
    case 'pattern':
      return value('schema.pattern', `${subject(path)} must be ${custom ?? `a string matching ${error.params.pattern}`}; found ${found}`);
    case 'propertyNames':
      return { path, where: 'key', code: 'schema.key_name', message: `Invalid key ${JSON.stringify(error.params.propertyName)} in ${subject(path)}; expected ${custom ?? 'a valid name'}` };
    default:
      return value(`schema.${error.keyword}`, `${subject(path)} ${custom ? `must be ${custom}` : error.message ?? 'is invalid'}; found ${found}`);
  }
}

/** Errors inside an anyOf, a propertyNames or a failed `if` repeat what the outer error says. */
function isNoise(error: ErrorObject, all: readonly ErrorObject[]): boolean {
  if (error.keyword === 'if') return true;
  if (error.propertyName !== undefined && error.keyword !== 'propertyNames') return true;
  return all.some((other) => other !== error && other.keyword === 'anyOf' && error.schemaPath.startsWith(other.schemaPath.replace(/\/anyOf$/, '/anyOf/')));
}

/** Every schema problem, one per place, without anyOf noise. */
export function schemaIssues(errors: readonly ErrorObject[], data: unknown): SchemaIssue[] {
  const seen = new Set<string>();
  const issues: SchemaIssue[] = [];
  for (const error of errors) {
    if (isNoise(error, errors)) continue;
    const issue = describe(error.keyword === 'anyOf' ? { ...error, keyword: 'type' } : error, pointerToPath(error.instancePath, data));
    const key = `${issue.path.join('/')}|${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  return issues;
}
