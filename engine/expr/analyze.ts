/** Reads facts off a syntax tree once, so the engine never walks trees at run time. */

import type { Expr } from '@actions/expressions';
import {
  Binary,
  ContextAccess,
  FunctionCall,
  Grouping,
  IndexAccess,
  Literal,
  Logical,
  Star,
  Unary,
} from '@actions/expressions/ast';
import { data } from '@actions/expressions';
import { isStatusFunction } from './functions.js';
import type { ExprFacts } from './types.js';

/**
 * Contexts used, literal `steps.<id>` / `steps['<id>']` accesses, and whether a status function
 * is called.
 * @example analyze(ast, ['steps']) // { contexts: {'steps'}, stepIds: ['build'], ... }
 */
export function analyze(ast: Expr, contexts: readonly string[]): ExprFacts {
  const declared = new Map(contexts.map((name) => [name.toLowerCase(), name]));
  const used = new Set<string>();
  const stepIds = new Set<string>();
  let usesStatusFunction = false;
  for (const node of walk(ast)) {
    if (node instanceof ContextAccess) {
      const lexeme = node.name.lexeme;
      used.add(declared.get(lexeme.toLowerCase()) ?? lexeme);
    } else if (node instanceof FunctionCall) {
      usesStatusFunction ||= isStatusFunction(node.functionName.lexeme);
    } else if (node instanceof IndexAccess) {
      const id = literalStepId(node);
      if (id !== undefined) stepIds.add(id);
    }
  }
  return { contexts: used, stepIds: [...stepIds], usesStatusFunction };
}

function literalStepId(node: IndexAccess): string | undefined {
  const { expr, index } = node;
  if (!(expr instanceof ContextAccess) || expr.name.lexeme.toLowerCase() !== 'steps') return undefined;
  if (!(index instanceof Literal) || index.literal.kind !== data.Kind.String) return undefined;
  return index.literal.value;
}

/** Every node, depth first; the parser caps nesting at 50, so recursion is safe. */
function* walk(node: Expr): Generator<Expr> {
  yield node;
  for (const child of children(node)) yield* walk(child);
}

function children(node: Expr): readonly Expr[] {
  if (node instanceof Unary) return [node.expr];
  if (node instanceof Binary) return [node.left, node.right];
  if (node instanceof Logical) return node.args;
  if (node instanceof Grouping) return [node.group];
  if (node instanceof FunctionCall) return node.args;
  if (node instanceof IndexAccess) return node.index instanceof Star ? [node.expr] : [node.expr, node.index];
  return [];
}

/** The constant a tree stands for when it is a bare literal (`${{ 'text' }}`, `${{ 3 }}`). */
export function literalOf(ast: Expr): data.ExpressionData | undefined {
  return ast instanceof Literal ? ast.literal : undefined;
}
