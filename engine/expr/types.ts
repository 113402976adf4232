/** Shapes shared by the expression module: compiled values, problems, evaluation context. */

import type { Expr } from '@actions/expressions';

/** A location inside a compiled value: keys and indices from its root. */
export type ValuePath = (string | number)[];

/** Where an expression problem is: path inside the compiled value, offset of the `${{` in that string. */
export interface ExprProblem {
  path: ValuePath;
  offset: number;
  message: string;
  expression: string;
}

/** A `steps.<id>` (or `steps['<id>']`) access with a literal id. */
export interface StepRef {
  id: string;
  path: ValuePath;
  offset: number;
}

/** What an expression is evaluated against. */
export interface EvalContext {
  /** Plain JS values by context name: inputs, env, secrets, steps, run, item, index, ... */
  contexts: Readonly<Record<string, unknown>>;
  /** Drives success(), failure() and cancelled(). */
  status: { failed: boolean; cancelled: boolean };
}

/** Facts read off the syntax tree once, at compile time. */
export interface ExprFacts {
  /** Context names as declared (not as typed), e.g. `Inputs.x` counts as `inputs`. */
  readonly contexts: ReadonlySet<string>;
  readonly stepIds: readonly string[];
  readonly usesStatusFunction: boolean;
}

/** One parsed `${{ }}`: the text it came from, its tree, and where it sits. */
export interface CompiledExpr {
  readonly text: string;
  readonly ast: Expr;
  readonly path: ValuePath;
  readonly offset: number;
  readonly facts: ExprFacts;
}

/** A value with no expression anywhere inside: evaluation returns it as is. */
export interface ConstNode {
  readonly kind: 'const';
  readonly value: unknown;
}

/** A string that is exactly one `${{ }}`: the result keeps its type. */
export interface ExprNode {
  readonly kind: 'expr';
  readonly expr: CompiledExpr;
}

/** Text with expressions inside: the result is a string. */
export interface InterpNode {
  readonly kind: 'interp';
  readonly parts: readonly (string | CompiledExpr)[];
}

export interface ArrayNode {
  readonly kind: 'array';
  readonly items: readonly CompiledValue[];
}

export interface ObjectNode {
  readonly kind: 'object';
  readonly entries: readonly (readonly [string, CompiledValue])[];
}

/** A value compiled once and evaluated many times; treat it as opaque outside this module. */
export type CompiledValue = ConstNode | ExprNode | InterpNode | ArrayNode | ObjectNode;
