/**
 * The ES|QL syntax tree. Every node keeps its source span: Elasticsearch
 * names an unaliased column after the expression's text and locates warnings
 * at its start ("Line 1:38: evaluation of [a + b] failed …").
 */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export type TimeUnit = 'millisecond' | 'second' | 'minute' | 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'year';

export type Literal =
  | { readonly kind: 'null' }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'integer'; readonly value: number }
  | { readonly kind: 'double'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'span'; readonly amount: number; readonly unit: TimeUnit };

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '==' | '!=' | '<' | '<=' | '>' | '>=';

export type Expr = Span &
  (
    | { readonly type: 'literal'; readonly literal: Literal }
    | { readonly type: 'list'; readonly items: readonly Expr[] }
    | { readonly type: 'field'; readonly name: string }
    | { readonly type: 'param'; readonly name: string }
    | { readonly type: 'call'; readonly name: string; readonly args: readonly Expr[]; readonly star: boolean; readonly options?: Readonly<Record<string, Expr>> }
    | { readonly type: 'neg'; readonly operand: Expr }
    | { readonly type: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr }
    | { readonly type: 'and' | 'or'; readonly left: Expr; readonly right: Expr }
    | { readonly type: 'not'; readonly operand: Expr }
    | { readonly type: 'isNull'; readonly operand: Expr; readonly negated: boolean }
    | { readonly type: 'in'; readonly operand: Expr; readonly list: readonly Expr[]; readonly negated: boolean }
    | { readonly type: 'like' | 'rlike'; readonly operand: Expr; readonly patterns: readonly string[]; readonly negated: boolean }
    | { readonly type: 'match'; readonly field: Expr; readonly query: Expr }
    | { readonly type: 'cast'; readonly operand: Expr; readonly to: string }
  );

/** `name = expr`, or a bare `expr` named after its text. */
export interface Field extends Span {
  readonly name: string;
  readonly expr: Expr;
}

export interface AggField extends Field {
  readonly filter?: Expr;
}

export interface SortKey {
  readonly expr: Expr;
  readonly descending: boolean;
  readonly nullsFirst: boolean;
}

/** A column-name pattern (`first*`, `a.b`); wildcard only for KEEP/DROP/RENAME. */
export interface NamePattern extends Span {
  readonly pattern: string;
}

export type Command = Span &
  (
    | { readonly command: 'from'; readonly indices: readonly string[]; readonly metadata: readonly string[] }
    | { readonly command: 'row'; readonly fields: readonly Field[] }
    | { readonly command: 'where'; readonly condition: Expr }
    | { readonly command: 'eval'; readonly fields: readonly Field[] }
    | { readonly command: 'stats'; readonly inline: boolean; readonly aggregates: readonly AggField[]; readonly groups: readonly Field[] }
    | { readonly command: 'keep'; readonly patterns: readonly NamePattern[] }
    | { readonly command: 'drop'; readonly patterns: readonly NamePattern[] }
    | { readonly command: 'rename'; readonly renames: readonly { readonly from: NamePattern; readonly to: NamePattern }[] }
    | { readonly command: 'sort'; readonly keys: readonly SortKey[] }
    | { readonly command: 'limit'; readonly count: number }
    | { readonly command: 'mv_expand'; readonly field: NamePattern }
    | { readonly command: 'dissect'; readonly input: Expr; readonly pattern: string; readonly patternAt: number; readonly appendSeparator: string }
    | { readonly command: 'grok'; readonly input: Expr; readonly patterns: readonly string[]; readonly patternAt: number }
    | { readonly command: 'completion'; readonly target: string; readonly prompt: Expr }
  );

export interface Query {
  readonly source: string;
  readonly commands: readonly Command[];
}

type DistOmit<T> = T extends unknown ? Omit<T, 'start' | 'end'> : never;
/** A command without its span, as the parser builds it before the span is known. */
export type CommandBody = DistOmit<Command>;

/** The top-level AND conjuncts of a condition (each may be handled on its own: a WHERE's conditions, a threshold after STATS). */
export function conjuncts(e: Expr): Expr[] {
  return e.type === 'and' ? [...conjuncts(e.left), ...conjuncts(e.right)] : [e];
}
