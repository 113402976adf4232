import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

type Schema = { [key: string]: unknown };
const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'schemas', 'workflow.schema.json'), 'utf8')) as Schema;
const definitions = schema.definitions as Record<string, Schema>;

/** Every schema object in the file with the path that leads to it. */
function* walk(node: unknown, path: string): Generator<[string, Schema]> {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return;
  const s = node as Schema;
  yield [path, s];
  for (const [key, child] of Object.entries((s.properties ?? {}) as Record<string, Schema>)) yield* walk(child, `${path}.${key}`);
  for (const key of ['items', 'additionalProperties', 'propertyNames'] as const) yield* walk(s[key], `${path}[${key}]`);
  for (const key of ['anyOf', 'oneOf'] as const) for (const [i, child] of ((s[key] ?? []) as Schema[]).entries()) yield* walk(child, `${path}.${key}${i}`);
  for (const [key, child] of Object.entries((s.definitions ?? {}) as Record<string, Schema>)) yield* walk(child, `#${key}`);
}

const describedBy = (s: Schema): unknown => s.description ?? (typeof s.$ref === 'string' ? definitions[s.$ref.split('/').pop()!]?.description : undefined);

describe('schemas/workflow.schema.json', () => {
  it('gives every property a description, for editors through yaml-language-server', () => {
    const missing: string[] = [];
    for (const [path, s] of walk(schema, '')) {
      for (const [key, child] of Object.entries((s.properties ?? {}) as Record<string, Schema>)) if (!describedBy(child)) missing.push(`${path}.${key}`);
    }
    expect(missing).toEqual([]);
  });

  it('closes every object that lists its properties (additionalProperties: false)', () => {
    const open = [...walk(schema, '')].filter(([, s]) => s.properties && s.additionalProperties !== false).map(([path]) => path);
    expect(open).toEqual([]);
  });

  it('is a draft-07 schema, which yaml-language-server understands', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
  });
});
