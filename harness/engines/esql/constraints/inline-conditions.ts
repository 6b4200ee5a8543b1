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

/** CASE(c1, "a", c2, "b", …) with literal values: a test `== "b"` on it reads as its branch condition. */
function isLiteralCase(e: Expr): e is Extract<Expr, { type: 'call' }> {
  return e.type === 'call' && e.name.toUpperCase() === 'CASE' && e.args.length >= 2 && e.args.every((a, i) => i % 2 === 0 && i !== e.args.length - 1 ? true : a.type === 'literal');
}

/** Record `EVAL name = e` when e is a condition or a CASE of literals (else forget an earlier one of that name). */
export function defineCondition(defs: ConditionDefs, name: string, e: Expr): void {
  const inlined = inlineConditions(e, defs);
  if (isCondition(inlined) || isLiteralCase(inlined)) defs.set(name, inlined);
  else defs.delete(name);
}

const sameLiteral = (a: Expr, b: Expr): boolean => a.type === 'literal' && b.type === 'literal' && a.literal.kind !== 'null' && JSON.stringify(a.literal) === JSON.stringify(b.literal);

/**
 * `k == "b"` on k = CASE(c1, "a", c2, "b", …): the branches giving "b", each
 * behind the conditions before it (`NOT c1 AND c2`) — ES|QL takes the first true
 * branch; a null condition reads as false there and as null here, which only
 * makes the generator's search stricter.
 */
function caseTest(e: Expr, cases: Extract<Expr, { type: 'call' }>, value: Expr): Expr | undefined {
  const span = { start: e.start, end: e.end };
  const branches: Expr[] = [];
  for (let i = 0; i + 1 < cases.args.length; i += 2) {
    if (!sameLiteral(cases.args[i + 1]!, value)) continue;
    const before = cases.args.filter((_, j) => j % 2 === 0 && j < i).map((w): Expr => ({ type: 'not', operand: w, ...span }));
    branches.push([...before, cases.args[i]!].reduce((l, r): Expr => ({ type: 'and', left: l, right: r, ...span })));
  }
  return branches.length ? branches.reduce((l, r): Expr => ({ type: 'or', left: l, right: r, ...span })) : undefined;
}

export function inlineConditions(e: Expr, defs: ReadonlyMap<string, Expr>): Expr {
  const go = (x: Expr): Expr => inlineConditions(x, defs);
  switch (e.type) {
    case 'field': {
      const def = defs.get(e.name);
      return def && isCondition(def) ? def : e;
    }
    case 'literal':
    case 'param':
      return e;
    case 'list':
      return { ...e, items: e.items.map(go) };
    case 'call':
      return { ...e, args: e.args.map(go) };
    case 'binary': {
      const [k, v] = e.right.type === 'literal' ? [e.left, e.right] : [e.right, e.left];
      const def = e.op === '==' && k.type === 'field' ? defs.get(k.name) : undefined;
      const test = def && isLiteralCase(def) ? caseTest(e, def, v) : undefined;
      return test ?? { ...e, left: go(e.left), right: go(e.right) };
    }
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
