import type { BinaryOp, Expr } from '../ast.ts';

/**
 * EVAL columns that hold a condition (`EVAL is_a = event.type == "start"`),
 * written into the expressions that read them, so `CASE(is_a, 1, 0)` or
 * `COUNT(*) WHERE is_a` reads as the condition itself. Each definition is
 * stored already inlined, so a name redefined from itself stays finite.
 */
export type ConditionDefs = Map<string, Expr>;

const COMPARISONS: ReadonlySet<BinaryOp> = new Set(['==', '!=', '<', '<=', '>', '>=']);
const PREDICATE_CALLS = new Set(['STARTS_WITH', 'ENDS_WITH', 'CIDR_MATCH', 'KQL', 'MATCH', 'QSTR', 'MV_CONTAINS']);

function isCondition(e: Expr): boolean {
  switch (e.type) {
    case 'binary':
      return COMPARISONS.has(e.op);
    case 'like':
    case 'rlike':
    case 'in':
    case 'isNull':
    case 'and':
    case 'or':
    case 'not':
    case 'match':
      return true;
    case 'call':
      return PREDICATE_CALLS.has(e.name.toUpperCase());
    default:
      return false;
  }
}

/** Record `EVAL name = e` when e is a condition (else forget an earlier one of that name). */
export function defineCondition(defs: ConditionDefs, name: string, e: Expr): void {
  const inlined = inlineConditions(e, defs);
  if (isCondition(inlined)) defs.set(name, inlined);
  else defs.delete(name);
}

export function inlineConditions(e: Expr, defs: ReadonlyMap<string, Expr>): Expr {
  const go = (x: Expr): Expr => inlineConditions(x, defs);
  switch (e.type) {
    case 'field':
      return defs.get(e.name) ?? e;
    case 'literal':
    case 'param':
      return e;
    case 'list':
      return { ...e, items: e.items.map(go) };
    case 'call':
      return { ...e, args: e.args.map(go) };
    case 'binary':
    case 'and':
    case 'or':
      return { ...e, left: go(e.left), right: go(e.right) };
    case 'in':
      return { ...e, operand: go(e.operand), list: e.list.map(go) };
    case 'match':
      return { ...e, field: go(e.field), query: go(e.query) };
    case 'neg':
    case 'not':
    case 'isNull':
    case 'like':
    case 'rlike':
    case 'cast':
      return { ...e, operand: go(e.operand) };
  }
}
