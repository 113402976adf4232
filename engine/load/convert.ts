/**
 * Turns the checked node tree into plain data. yaml's own `toJS` finds each alias's anchor by
 * scanning every anchor and alias in the document, which is quadratic: 10,000 steps sharing
 * `<<: *defaults` took a second. Here each alias is already bound (see structure.ts), so the
 * conversion is linear. Semantics follow yaml: an alias shares the anchored value, merge keys
 * add only the keys the mapping does not already have, in the order they appear.
 */
import { yaml } from './yaml-lib.js';
import type { ParsedNode, YAMLMap } from 'yaml';

import type { AliasTargets } from './structure.js';

type Data = Record<string, unknown>;

/** Converts a tree free of structural problems: no unknown or recursive aliases, string keys. */
export function toData(root: ParsedNode | null, aliasTargets: AliasTargets): unknown {
  return new Converter(aliasTargets).convert(root);
}

class Converter {
  private readonly anchored = new Map<ParsedNode, unknown>();

  constructor(private readonly aliasTargets: AliasTargets) {}

  convert(node: ParsedNode | null): unknown {
    if (node === null) return null;
    if (yaml().isAlias(node)) {
      const target = this.aliasTargets.get(node);
      return target ? this.anchored.get(target) : null;
    }
    const value = yaml().isScalar(node) ? node.value : yaml().isSeq(node) ? node.items.map((item) => this.convert(item)) : this.convertMap(node);
    if (node.anchor) this.anchored.set(node, value);
    return value;
  }

  private convertMap(map: YAMLMap.Parsed): Data {
    const data: Data = {};
    for (const { key, value } of map.items) {
      const keyValue = this.convert(key);
      if (typeof keyValue === 'symbol') this.merge(data, this.convert(value));
      else setKey(data, String(keyValue), this.convert(value), true);
    }
    return data;
  }

  private merge(data: Data, sources: unknown): void {
    for (const source of Array.isArray(sources) ? sources : [sources]) {
      for (const [key, value] of Object.entries(source as Data)) setKey(data, key, value, false);
    }
  }
}

/** Keys such as `__proto__` or `constructor` become own properties, never the prototype. */
function setKey(data: Data, key: string, value: unknown, overwrite: boolean): void {
  if (Object.hasOwn(data, key)) {
    if (overwrite) data[key] = value;
    return;
  }
  if (key in data) Object.defineProperty(data, key, { value, writable: true, enumerable: true, configurable: true });
  else data[key] = value;
}
