/** The loaded workflow: its data, and the way back from a path in that data to the source. */
import { yaml } from './yaml-lib.js';
import type { Pair, ParsedNode, YAMLMap } from 'yaml';

import type { SourceLocation } from '../errors.js';
import { lazyLocation, type Locator } from './position.js';
import { sourceOffset } from './string-offset.js';
import type { AliasTargets } from './structure.js';

/** A path into the workflow's data: mapping keys and sequence indexes, outermost first. */
export type YamlPath = readonly (string | number)[];

/** A workflow file parsed into plain data, still able to point at where each value is written. */
export interface LoadedDocument {
  /** The file as the caller named it; every location carries it. */
  readonly file: string;
  /** The text that was parsed (without a byte order mark). */
  readonly text: string;
  /** The document as plain JavaScript values (mappings are objects, sequences arrays). */
  readonly data: unknown;
  /**
   * Location of the node at `path`: `'value'` (the default) points at the value, `'key'` at the
   * key of that mapping entry (for "unknown key" problems). A path that does not exist falls
   * back to its nearest existing ancestor. Values that come from an alias or a merge key point
   * into the anchored node they were copied from.
   * @example doc.locate(['steps', 1, 'with', 'url'], 'key') // { file, line: 9, column: 7 }
   */
  locate(path: YamlPath, where?: 'key' | 'value'): SourceLocation;
  /**
   * Location of character `offset` of the string at `path` (an expression inside a string).
   * Exact for plain, quoted, literal and folded strings; anything else falls back to `locate`.
   */
  locateInString(path: YamlPath, offset: number): SourceLocation;
}

/** What the loader hands over to build a document. */
export interface DocumentParts {
  readonly file: string;
  readonly text: string;
  readonly data: unknown;
  readonly root: ParsedNode | null;
  readonly at: Locator;
  readonly aliasTargets: AliasTargets;
}

/**
 * A document whose data came from the fast path. Positions need the full parse, which runs on
 * the first location actually read, not on the first look-up: a check may ask for the location
 * of every reference up front and keep it only for a problem (engine/check/refs.ts), and a valid
 * workflow should not pay for that.
 */
export function createLazyDocument(file: string, text: string, data: unknown, parseFully: () => LoadedDocument): LoadedDocument {
  let full: LoadedDocument | undefined;
  const positions = (): LoadedDocument => (full ??= parseFully());
  return {
    file,
    text,
    data,
    locate: (path, where) => {
      const at = [...path];
      return lazyLocation(file, () => positions().locate(at, where));
    },
    locateInString: (path, offset) => {
      const at = [...path];
      return lazyLocation(file, () => positions().locateInString(at, offset));
    },
  };
}

/** The node at the end of the longest existing prefix of a path. */
interface Found {
  /** The node as written: an alias stays an alias, so its own position is reported. */
  readonly node: ParsedNode | null;
  readonly key: ParsedNode | null;
  readonly complete: boolean;
}

/** Keys of one mapping, indexed on first use so that many look-ups stay linear overall. */
interface MapIndex {
  readonly pairs: ReadonlyMap<string, Pair<ParsedNode, ParsedNode | null>>;
  readonly merges: readonly (ParsedNode | null)[];
}

/** Builds the document; look-ups walk the node tree, one indexed step per path segment. */
export function createLoadedDocument(parts: DocumentParts): LoadedDocument {
  const { file, text, data, root, at } = parts;
  const finder = new PathFinder(parts.aliasTargets);
  const offsetOf = (node: ParsedNode | null): number => node?.range[0] ?? 0;
  const locate = (path: YamlPath, where: 'key' | 'value' = 'value'): SourceLocation => {
    const found = finder.find(root, path);
    const keyed = where === 'key' && found.complete && found.key !== null;
    return at(offsetOf(keyed ? found.key : found.node));
  };
  const locateInString = (path: YamlPath, offset: number): SourceLocation => {
    const found = finder.find(root, path);
    const node = found.complete ? finder.follow(found.node) : null;
    if (!yaml().isScalar(node) || typeof node.value !== 'string') return locate(path);
    const clamped = Number.isFinite(offset) ? Math.min(Math.max(0, Math.trunc(offset)), node.value.length) : 0;
    const source = sourceOffset(text, node, clamped);
    return source === undefined ? locate(path) : at(source);
  };
  return { file, text, data, locate, locateInString };
}

class PathFinder {
  private readonly indexes = new WeakMap<YAMLMap.Parsed, MapIndex>();

  constructor(private readonly aliasTargets: AliasTargets) {}

  find(root: ParsedNode | null, path: YamlPath): Found {
    let found: Found = { node: root, key: null, complete: true };
    for (const segment of path) {
      const next = this.child(this.follow(found.node), segment);
      if (!next) return { ...found, complete: false };
      found = next;
    }
    return found;
  }

  /** The node an alias stands for; any other node is itself. */
  follow(node: ParsedNode | null): ParsedNode | null {
    return yaml().isAlias(node) ? (this.aliasTargets.get(node) ?? null) : node;
  }

  private child(parent: ParsedNode | null, segment: string | number): Found | undefined {
    if (yaml().isSeq(parent)) {
      const item = isIndex(segment) ? parent.items[Number(segment)] : undefined;
      return item ? { node: item, key: null, complete: true } : undefined;
    }
    if (!yaml().isMap(parent)) return undefined;
    const pair = this.lookup(parent, String(segment), 0);
    return pair ? { node: pair.value ?? pair.key, key: pair.key, complete: true } : undefined;
  }

  /** Finds a key in the mapping itself, then in its merge sources in order, as yaml merges them. */
  private lookup(map: YAMLMap.Parsed, key: string, depth: number): Pair<ParsedNode, ParsedNode | null> | undefined {
    const index = this.indexOf(map);
    const own = index.pairs.get(key);
    if (own || depth > 64) return own;
    for (const merge of index.merges) {
      const sources = yaml().isSeq(merge) ? merge.items : [merge];
      for (const source of sources) {
        const target = this.follow(source);
        const pair = yaml().isMap(target) ? this.lookup(target, key, depth + 1) : undefined;
        if (pair) return pair;
      }
    }
    return undefined;
  }

  private indexOf(map: YAMLMap.Parsed): MapIndex {
    const cached = this.indexes.get(map);
    if (cached) return cached;
    const pairs = new Map<string, Pair<ParsedNode, ParsedNode | null>>();
    const merges: (ParsedNode | null)[] = [];
    for (const pair of map.items) {
      const key = this.follow(pair.key);
      if (yaml().isScalar(key) && typeof key.value === 'symbol') merges.push(pair.value);
      else if (yaml().isScalar(key)) pairs.set(String(key.value), pair);
    }
    const index = { pairs, merges };
    this.indexes.set(map, index);
    return index;
  }
}

function isIndex(segment: string | number): boolean {
  return typeof segment === 'number' ? Number.isInteger(segment) : /^\d+$/.test(segment);
}
