/** EQL abstract syntax, every node with its offset into the query text. */
export type Scalar = string | number | boolean | null;

export type CmpOp = '==' | '!=' | '<' | '<=' | '>' | '>=';
export type ArithOp = '+' | '-' | '*' | '/' | '%';

export type Expr =
  | { readonly k: 'lit'; readonly value: Scalar; readonly integer: boolean; readonly pos: number }
  | { readonly k: 'field'; readonly name: string; readonly optional: boolean; readonly pos: number }
  /** `name` is the canonical (reference-cased) function name. */
  | { readonly k: 'call'; readonly name: string; readonly ci: boolean; readonly args: readonly Expr[]; readonly pos: number }
  | { readonly k: 'not'; readonly e: Expr; readonly pos: number }
  | { readonly k: 'and' | 'or'; readonly items: readonly Expr[]; readonly pos: number }
  | { readonly k: 'cmp'; readonly op: CmpOp; readonly l: Expr; readonly r: Expr; readonly pos: number }
  /** `:` (negated: `!:`) — case-insensitive wildcard match for strings, equality otherwise. */
  | { readonly k: 'seq'; readonly negated: boolean; readonly l: Expr; readonly r: readonly Expr[]; readonly pos: number }
  | { readonly k: 'in'; readonly negated: boolean; readonly ci: boolean; readonly l: Expr; readonly list: readonly Expr[]; readonly pos: number }
  | { readonly k: 'like' | 'regex'; readonly ci: boolean; readonly l: Expr; readonly patterns: readonly string[]; readonly pos: number }
  | { readonly k: 'arith'; readonly op: ArithOp; readonly l: Expr; readonly r: Expr; readonly pos: number }
  | { readonly k: 'neg'; readonly e: Expr; readonly pos: number };

export interface EventFilter {
  /** null for `any`. */
  readonly category: string | null;
  readonly condition: Expr;
  readonly pos: number;
}

export interface Stage {
  readonly filter: EventFilter;
  /** Stage's own keys (the query-level `by` keys are prepended by the compiler). */
  readonly keys: readonly Expr[];
  readonly runs: number;
  /** `![ … ]` missing-event stage. */
  readonly missing: boolean;
  readonly pos: number;
}

export type Pipe = { readonly kind: 'head' | 'tail'; readonly n: number };

export type Query =
  | { readonly kind: 'event'; readonly filter: EventFilter; readonly pipes: readonly Pipe[] }
  | {
      readonly kind: 'sequence';
      readonly keys: readonly Expr[];
      readonly maxspanMs: number | undefined;
      readonly stages: readonly Stage[];
      readonly until: Stage | undefined;
      readonly pipes: readonly Pipe[];
    }
  | { readonly kind: 'sample'; readonly keys: readonly Expr[]; readonly stages: readonly Stage[]; readonly pipes: readonly Pipe[] };

/** Does the expression read any event field? (Constant folding, field-vs-field checks.) */
export function hasField(e: Expr): boolean {
  switch (e.k) {
    case 'lit':
      return false;
    case 'field':
      return true;
    case 'call':
      return e.args.some(hasField);
    case 'not':
    case 'neg':
      return hasField(e.e);
    case 'and':
    case 'or':
      return e.items.some(hasField);
    case 'cmp':
    case 'arith':
      return hasField(e.l) || hasField(e.r);
    case 'seq':
      return hasField(e.l) || e.r.some(hasField);
    case 'in':
      return hasField(e.l) || e.list.some(hasField);
    case 'like':
    case 'regex':
      return hasField(e.l);
  }
}

/** Source-like rendering, for trace labels and opaque constraint descriptions. */
export function show(e: Expr): string {
  switch (e.k) {
    case 'lit':
      return typeof e.value === 'string' ? JSON.stringify(e.value) : String(e.value);
    case 'field':
      return (e.optional ? '?' : '') + (/^[A-Za-z_@][A-Za-z0-9_]*(\.[A-Za-z_@][A-Za-z0-9_]*)*$/.test(e.name) ? e.name : '`' + e.name.replace(/`/g, '``') + '`');
    case 'call':
      return `${e.name}${e.ci ? '~' : ''}(${e.args.map(show).join(', ')})`;
    case 'not':
      return `not ${show(e.e)}`;
    case 'neg':
      return `-${show(e.e)}`;
    case 'and':
    case 'or':
      return `(${e.items.map(show).join(` ${e.k} `)})`;
    case 'cmp':
    case 'arith':
      return `${show(e.l)} ${e.op} ${show(e.r)}`;
    case 'seq':
      return `${show(e.l)} ${e.negated ? '!:' : ':'} ${e.r.length === 1 ? show(e.r[0]!) : `(${e.r.map(show).join(', ')})`}`;
    case 'in':
      return `${show(e.l)} ${e.negated ? 'not ' : ''}in${e.ci ? '~' : ''} (${e.list.map(show).join(', ')})`;
    case 'like':
    case 'regex': {
      const ps = e.patterns.map((p) => JSON.stringify(p));
      return `${show(e.l)} ${e.k}${e.ci ? '~' : ''} ${ps.length === 1 ? ps[0]! : `(${ps.join(', ')})`}`;
    }
  }
}
