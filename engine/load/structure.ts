/**
 * One walk over the node tree for what the parser accepts but a workflow must not hold:
 * duplicate and non-string keys, bad merge sources, unknown or recursive aliases, and aliases
 * that expand exponentially. The walk is iterative, so deep nesting cannot overflow the stack,
 * and it never expands an alias: the expanded size of each anchor is computed once and reused.
 */
import { yaml } from './yaml-lib.js';
import type { Alias, ParsedNode, YAMLMap } from 'yaml';

import type { Problem } from '../errors.js';
import { MAX_ALIAS_EXPANSIONS } from './limits.js';
import { describeNode, kindOf } from './parse.js';
import type { Locator } from './position.js';

/** Each alias mapped to the node it stands for; an alias whose anchor is unknown is absent. */
export type AliasTargets = ReadonlyMap<Alias, ParsedNode>;

/** What the walk found. */
export interface Structure {
  readonly problems: Problem[];
  readonly aliasTargets: AliasTargets;
}

interface Task {
  readonly node: ParsedNode;
  readonly exit: boolean;
}

/** Walks `root` in document order, the order in which anchors bind to aliases. */
export function checkStructure(root: ParsedNode | null, at: Locator): Structure {
  const walk = new StructureWalk(at);
  if (root !== null) walk.run(root);
  return { problems: walk.problems, aliasTargets: walk.aliasTargets };
}

class StructureWalk {
  readonly problems: Problem[] = [];
  readonly aliasTargets = new Map<Alias, ParsedNode>();
  private readonly anchors = new Map<string, ParsedNode>();
  private readonly open = new Set<ParsedNode>();
  private readonly sizes = new Map<ParsedNode, number>();
  /** Values counted per open collection; the top entry belongs to the innermost one. */
  private readonly counts: number[] = [0];
  private expanded = 0;

  constructor(private readonly at: Locator) {}

  run(root: ParsedNode): void {
    const tasks: Task[] = [{ node: root, exit: false }];
    for (let task = tasks.pop(); task; task = tasks.pop()) {
      if (task.exit) this.leave(task.node);
      else this.enter(task.node, tasks);
    }
  }

  private enter(node: ParsedNode, tasks: Task[]): void {
    if (node.anchor) {
      this.anchors.set(node.anchor, node);
      this.open.add(node);
    }
    if (yaml().isAlias(node)) return this.add(this.resolve(node));
    if (yaml().isScalar(node)) return this.finish(node, 1);
    tasks.push({ node, exit: true });
    this.counts.push(0);
    // Pushed last to first, so they are popped in document order.
    for (let i = node.items.length - 1; i >= 0; i -= 1) {
      const item = node.items[i];
      if (yaml().isPair(item)) {
        if (item.value) tasks.push({ node: item.value, exit: false });
        if (item.key) tasks.push({ node: item.key, exit: false });
      } else if (item) tasks.push({ node: item, exit: false });
    }
  }

  private leave(node: ParsedNode): void {
    if (yaml().isMap(node)) this.checkMap(node);
    this.finish(node, 1 + (this.counts.pop() ?? 0));
  }

  private finish(node: ParsedNode, size: number): void {
    if (node.anchor) {
      this.open.delete(node);
      this.sizes.set(node, size);
    }
    this.add(size);
  }

  private add(size: number): void {
    this.counts[this.counts.length - 1] = (this.counts.at(-1) ?? 0) + size;
  }

  /** Binds the alias and returns how many values it expands to. */
  private resolve(alias: Alias.Parsed): number {
    const target = this.anchors.get(alias.source);
    const name = alias.source;
    if (!target) {
      this.report(alias, 'yaml.unknown_alias', `Alias "*${name}" has no anchor "&${name}" before it; define the anchor first`);
      return 1;
    }
    this.aliasTargets.set(alias, target);
    if (this.open.has(target)) {
      this.report(alias, 'yaml.alias_cycle', `Alias "*${name}" is used inside the node it refers to; recursive structures are not supported`);
      return 1;
    }
    const size = this.sizes.get(target) ?? 1;
    this.countExpansion(alias, size);
    return size;
  }

  private countExpansion(alias: Alias.Parsed, size: number): void {
    const before = this.expanded;
    this.expanded += size;
    if (before <= MAX_ALIAS_EXPANSIONS && this.expanded > MAX_ALIAS_EXPANSIONS) {
      this.report(alias, 'yaml.alias_bomb', aliasBombMessage());
    }
  }

  private checkMap(map: YAMLMap.Parsed): void {
    const seen = new Set<string>();
    for (const { key, value } of map.items) {
      if (yaml().isScalar(key) && typeof key.value === 'symbol') this.checkMerge(value);
      else this.checkKey(key, seen, map);
    }
  }

  private checkKey(key: ParsedNode | null, seen: Set<string>, map: YAMLMap.Parsed): void {
    const node = yaml().isAlias(key) ? this.aliasTargets.get(key) : key;
    if (node === undefined) return;
    const where = key ?? map;
    if (yaml().isScalar(node) && typeof node.value === 'string') {
      if (seen.has(node.value)) {
        const name = JSON.stringify(node.value);
        this.report(where, 'yaml.duplicate_key', `Duplicate key ${name}: each key may appear only once in a mapping`);
      }
      seen.add(node.value);
      return;
    }
    this.report(where, 'yaml.key_type', keyTypeMessage(node));
  }

  private checkMerge(value: ParsedNode | null): void {
    const resolved = yaml().isAlias(value) ? this.aliasTargets.get(value) : value;
    const sources = yaml().isSeq(resolved) ? resolved.items : [value];
    for (const source of sources) {
      const node = yaml().isAlias(source) ? this.aliasTargets.get(source) : source;
      if (node === undefined || yaml().isMap(node)) continue;
      const found = describeNode(node);
      const message = `Merge key "<<" takes a mapping, an alias of one, or a list of them; found ${found}`;
      this.report(source ?? value, 'yaml.merge', message);
    }
  }

  private report(node: ParsedNode | null, code: string, message: string): void {
    const offset = node?.range[0] ?? 0;
    this.problems.push({ code, message, location: this.at(offset) });
  }
}

function keyTypeMessage(node: ParsedNode | null): string {
  const kind = kindOf(node);
  const source = yaml().isScalar(node) ? node.source : undefined;
  // A scalar key was most likely meant as text: say how to keep it.
  const hint = typeof source === 'string' && source !== '' ? ` (quote it: "${source}")` : '';
  return `Keys must be strings; found ${kind === 'alias' ? 'an' : 'a'} ${kind} key${hint}`;
}

function aliasBombMessage(): string {
  const limit = MAX_ALIAS_EXPANSIONS.toLocaleString('en-US');
  return `Too many alias expansions: aliases here expand the document past ${limit} values; anchors and aliases must not nest exponentially`;
}
