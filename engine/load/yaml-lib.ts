/**
 * The `yaml` package, loaded on first use: a workflow that the fast path reads (engine/load/fast)
 * and that has no problem to locate never needs it, so `arq validate` and `arq run` of such a
 * file do not load it. Required (its CommonJS build) rather than imported, to stay synchronous.
 */
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

let lib: typeof Yaml | undefined;

export function yaml(): typeof Yaml {
  return (lib ??= createRequire(import.meta.url)('yaml') as typeof Yaml);
}
