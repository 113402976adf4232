/** Collects problems while a workflow is checked: every problem is kept, none stops the check. */
import type { Problem } from '../errors.js';
import type { LoadedDocument, YamlPath } from '../load/load.js';
import type { ExprProblem } from '../expr/index.js';
import { wordExpressionProblem } from './expr-words.js';

export class Checker {
  readonly problems: Problem[] = [];
  constructor(readonly doc: LoadedDocument) {}

  /** Records a problem at a node of the document. */
  report(code: string, message: string, path: YamlPath, where: 'key' | 'value' = 'value'): void {
    this.problems.push({ code, message, location: this.doc.locate(path, where) });
  }

  /** Records expression problems found inside the value at `base`. */
  reportExpressions(problems: readonly ExprProblem[], base: YamlPath): void {
    for (const p of problems) {
      const path = [...base, ...p.path];
      const { message, offset } = wordExpressionProblem(p, valueAt(this.doc.data, path));
      this.problems.push({ code: 'expr.syntax', message, location: this.doc.locateInString(path, offset) });
    }
  }
}

/** A plain mapping read from YAML, or undefined for anything else. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The value at `path` in plain data, or undefined where the path does not exist. */
export function valueAt(data: unknown, path: YamlPath): unknown {
  let node = data;
  for (const key of path) node = node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[key] : undefined;
  return node;
}
