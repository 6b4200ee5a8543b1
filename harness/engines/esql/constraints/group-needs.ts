import { text } from '../../common/pattern.ts';
import { and, not, type Predicate } from '../../common/predicate.ts';
import type { BinaryOp, Command, Expr, Query } from '../ast.ts';
import { evalColumn, type Column } from './columns.ts';
import { defineCondition, inlineConditions, type ConditionDefs } from './inline-conditions.ts';
import { caseHolds, literalTest, predicateOf, type WhereContext } from './where-predicate.ts';

/**
 * What the rows of one STATS group must include for the WHERE after the STATS
 * to hold, read from the query: a sufficient recipe for drafting a positive
 * group, not an exact model (the threshold aggregate of query-constraints.ts
 * is the exact one). It reads what that model leaves opaque: counts of rows
 * meeting different, often exclusive, conditions (`SUM(CASE(a, 1, 0)) > 0 AND
 * COUNT_DISTINCT(CASE(b, pid, null)) > 0`), COUNT_DISTINCT over a CASE of
 * literals (rows from n branches), bounds inside OR / AND mixes, numeric
 * bounds on MAX / AVG / SUM, and a test on a CASE column computed from the
 * aggregates. Every alternative of the WHERE (its disjunctive form, capped) is
 * one recipe; the parts it cannot read are left to the engine's check.
 */
export type GroupNeed =
  /** At least `atLeast` rows meeting `where` (COUNT(*), COUNT(f), SUM / MAX of a 0/1 CASE). */
  | { readonly kind: 'rows'; readonly where: Predicate; readonly atLeast: number }
  /** At most `atMost` rows in the group (`COUNT(*) <= n`). */
  | { readonly kind: 'atMost'; readonly atMost: number }
  /** `atLeast` rows meeting `where`, each with its own value of `field` (COUNT_DISTINCT, its WHERE filter, CASE(c, f, null)). */
  | { readonly kind: 'distinct'; readonly field: string; readonly where: Predicate; readonly atLeast: number }
  /** Rows from `atLeast` branches of a CASE whose values differ (COUNT_DISTINCT of a CASE of literals); branch i holds when its condition is the first true one. */
  | { readonly kind: 'branches'; readonly branches: readonly Predicate[]; readonly atLeast: number }
  /** Every row has `field` = `value` (a bound on MAX / MIN / AVG / SUM of a numeric field). */
  | { readonly kind: 'value'; readonly field: string; readonly value: number };

export interface GroupRecipe {
  /** Source fields the group shares: BY keys, and the first field of a COALESCE key. */
  readonly keys: readonly string[];
  /** Alternatives of the WHERE after the STATS, each a conjunction of needs (empty: none read). */
  readonly alternatives: readonly (readonly GroupNeed[])[];
}

const MAX_ALTERNATIVES = 16;

/** An aggregate column: its function, argument as a pre-STATS column, and its `WHERE` filter. */
type AggColumn = { readonly kind: 'agg'; readonly fn: string; readonly arg?: Column; readonly filter?: Predicate } | { readonly kind: 'case'; readonly branches: readonly { readonly when: Expr; readonly value: Expr }[]; readonly otherwise?: Expr } | { readonly kind: 'other' };

/** The recipe of a query with exactly one STATS (not INLINE); undefined otherwise. */
export function groupRecipe(q: Query): GroupRecipe | undefined {
  const stats = q.commands.filter((c): c is Extract<Command, { command: 'stats' }> => c.command === 'stats');
  if (stats.length !== 1 || stats[0]!.inline) return undefined;
  const before: BeforeStats = { env: new Map(), defs: new Map(), conditions: new Map() };
  const { env, conditions } = before;
  let after: Map<string, AggColumn> | undefined;
  let alternatives: GroupNeed[][] = [[]];
  let keys: string[] = [];
  for (const c of q.commands) {
    if (!after) {
      if (c.command !== 'stats') readBeforeStats(q, c, before);
      else {
        const ctx: WhereContext = { query: q, env, afterStats: false };
        keys = c.groups.flatMap((g) => keyFields(q, g.expr, env, before.defs));
        after = new Map(c.aggregates.map((a) => [a.name, aggColumn(q, inlineConditions(a.expr, conditions), a.filter && inlineConditions(a.filter, conditions), ctx)]));
      }
      continue;
    }
    if (c.command === 'eval') for (const f of c.fields) after.set(f.name, evalAfter(f.expr, after));
    else if (c.command === 'where') alternatives = product(alternatives, needsOf(c.condition, after, { query: q, env, afterStats: false }));
  }
  return after ? { keys, alternatives: alternatives.filter((a) => a.length > 0) } : undefined;
}

interface BeforeStats {
  readonly env: Map<string, Column>;
  /** What each EVAL wrote, so a BY key named after an EVAL's COALESCE is read through it. */
  readonly defs: Map<string, Expr>;
  readonly conditions: ConditionDefs;
}

/** EVAL / RENAME / DISSECT / GROK before the STATS: the columns the aggregates read. */
function readBeforeStats(q: Query, c: Command, { env, defs, conditions }: BeforeStats): void {
  switch (c.command) {
    case 'eval':
      for (const f of c.fields) {
        env.set(f.name, evalColumn(q, inlineConditions(f.expr, conditions), env, false));
        defs.set(f.name, f.expr);
        defineCondition(conditions, f.name, f.expr);
      }
      break;
    case 'rename':
      for (const r of c.renames) {
        env.set(r.to.pattern, env.get(r.from.pattern) ?? { kind: 'field', name: r.from.pattern });
        env.delete(r.from.pattern);
        const cond = conditions.get(r.from.pattern);
        if (cond) conditions.set(r.to.pattern, cond);
        conditions.delete(r.from.pattern);
      }
      break;
    case 'dissect':
    case 'grok': {
      // An extracted column is computed from the fields its input reads.
      const input = evalColumn(q, c.input, env, false);
      const fields = input.kind === 'field' ? [input.name] : input.kind === 'folded' ? [input.field] : input.kind === 'computed' ? input.fields : [];
      for (const n of extractedNames(c)) {
        env.set(n, { kind: 'computed', text: n, fields });
        conditions.delete(n);
      }
      break;
    }
    default:
      break;
  }
}

function extractedNames(c: Extract<Command, { command: 'dissect' | 'grok' }>): string[] {
  return c.command === 'dissect' ? [...c.pattern.matchAll(/%\{[+?*&]?([^}\s:]+)/g)].map((m) => m[1]!) : c.patterns.flatMap((p) => [...p.matchAll(/%\{\w+:([^}:]+)|\(\?<([^>]+)>/g)].map((m) => (m[1] ?? m[2])!));
}

/** The source fields a BY key makes rows share: a field (also lower-cased), the first field of COALESCE(…), the fields a computed key reads. */
function keyFields(q: Query, e: Expr, env: Map<string, Column>, defs: ReadonlyMap<string, Expr>): string[] {
  const col = evalColumn(q, e, env, false);
  if (col.kind === 'field') return [col.name];
  if (col.kind === 'folded') return [col.field];
  const def = e.type === 'field' ? defs.get(e.name) : undefined;
  if (e.type === 'field' && def) {
    const rest = new Map(defs);
    rest.delete(e.name);
    return keyFields(q, def, env, rest);
  }
  if (e.type === 'call' && e.name.toUpperCase() === 'COALESCE' && e.args[0]) return keyFields(q, e.args[0], env, defs);
  // Another computed key is equal when the fields it reads are.
  return col.kind === 'computed' ? [...col.fields] : [];
}

/** A column an EVAL after the STATS makes: a CASE, one value of a VALUES column (MV_FIRST, …: rows with it), or other. */
function evalAfter(e: Expr, after: ReadonlyMap<string, AggColumn>): AggColumn {
  if (e.type !== 'call') return e.type === 'field' ? (after.get(e.name) ?? { kind: 'other' }) : { kind: 'other' };
  const name = e.name.toUpperCase();
  if (name === 'CASE') return caseOf(e.args);
  const [arg] = e.args;
  const inner = arg?.type === 'field' ? after.get(arg.name) : undefined;
  return ONE_OF_VALUES.has(name) && inner?.kind === 'agg' && inner.fn === 'VALUES' ? inner : { kind: 'other' };
}

const ONE_OF_VALUES = new Set(['MV_FIRST', 'MV_LAST', 'MV_MIN', 'MV_MAX']);

function caseOf(args: readonly Expr[]): AggColumn {
  const branches = [];
  for (let i = 0; i + 1 < args.length; i += 2) branches.push({ when: args[i]!, value: args[i + 1]! });
  return { kind: 'case', branches, ...(args.length % 2 === 1 ? { otherwise: args.at(-1)! } : {}) };
}

function aggColumn(q: Query, e: Expr, filter: Expr | undefined, ctx: WhereContext): AggColumn {
  if (e.type !== 'call') return { kind: 'other' };
  const fn = e.name.toUpperCase();
  const where = filter ? predicateOf(ctx, filter) : undefined;
  const arg = e.star || !e.args[0] ? undefined : evalColumn(q, e.args[0], ctx.env, false);
  return { kind: 'agg', fn, ...(arg ? { arg } : {}), ...(where ? { filter: where } : {}) };
}

/** The alternatives of a condition: each a conjunction of needs. */
function needsOf(e: Expr, cols: ReadonlyMap<string, AggColumn>, ctx: WhereContext): GroupNeed[][] {
  switch (e.type) {
    case 'and':
      return product(needsOf(e.left, cols, ctx), needsOf(e.right, cols, ctx));
    case 'or':
      return [...needsOf(e.left, cols, ctx), ...needsOf(e.right, cols, ctx)].slice(0, MAX_ALTERNATIVES);
    case 'binary':
      return comparisonNeeds(e, cols, ctx);
    case 'isNull': {
      const col = e.operand.type === 'field' ? cols.get(e.operand.name) : undefined;
      if (col?.kind !== 'agg' || col.fn !== 'VALUES' || !e.negated) return [[]];
      const field = valuesField(col);
      return [field ? [{ kind: 'rows', where: all([col.filter ?? TRUE, { kind: 'exists', field }]), atLeast: 1 }] : []];
    }
    default:
      // What it cannot read is left to the engine's check.
      return [[]];
  }
}

/** A conjunction without the `true` parts (a filter-less count adds none). */
function all(ps: readonly Predicate[]): Predicate {
  const kept = ps.filter((p) => !(p.kind === 'const' && p.value));
  return kept.length === 0 ? { kind: 'const', value: true } : kept.length === 1 ? kept[0]! : and(kept);
}

function product(a: GroupNeed[][], b: GroupNeed[][]): GroupNeed[][] {
  return a.flatMap((x) => b.map((y) => [...x, ...y])).slice(0, MAX_ALTERNATIVES);
}

const FLIP: Partial<Record<BinaryOp, BinaryOp>> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==', '!=': '!=' };

function literalValue(e: Expr): string | number | boolean | undefined {
  if (e.type === 'neg' && e.operand.type === 'literal' && (e.operand.literal.kind === 'integer' || e.operand.literal.kind === 'double')) return -e.operand.literal.value;
  if (e.type !== 'literal') return undefined;
  const l = e.literal;
  return l.kind === 'integer' || l.kind === 'double' || l.kind === 'string' || l.kind === 'boolean' ? l.value : undefined;
}

function comparisonNeeds(e: Extract<Expr, { type: 'binary' }>, cols: ReadonlyMap<string, AggColumn>, ctx: WhereContext): GroupNeed[][] {
  let { op, left, right } = e;
  if (literalValue(left) !== undefined && right.type === 'field') [left, right, op] = [right, left, FLIP[op] ?? op];
  const v = literalValue(right);
  const col = left.type === 'field' ? cols.get(left.name) : undefined;
  if (!col || v === undefined) return [[]];
  if (col.kind === 'case') return caseNeeds(col, op, v, cols, ctx);
  if (col.kind === 'agg' && col.fn === 'VALUES') return [valuesNeed(col, op, v)];
  if (col.kind !== 'agg' || typeof v !== 'number') return [[]];
  const least = op === '>' ? Math.floor(v) + 1 : op === '>=' || op === '==' ? Math.ceil(v) : undefined;
  if (least === undefined) {
    if (col.fn === 'COUNT' && !col.arg && (op === '<' || op === '<=')) return [[{ kind: 'atMost', atMost: op === '<' ? Math.ceil(v) - 1 : Math.floor(v) }]];
    return [[valueNeed(col, op, v)].flatMap((n) => (n ? [n] : []))];
  }
  const need = countNeed(col, least, ctx) ?? valueNeed(col, op, v);
  return [need ? [need] : []];
}

/** A bound on a count: the rows (or distinct values) it asks for; undefined when the column is not a count. */
function countNeed(col: Extract<AggColumn, { kind: 'agg' }>, least: number, ctx: WhereContext): GroupNeed | undefined {
  if (least < 1) return undefined;
  const filter = col.filter ?? { kind: 'const', value: true };
  const arg = col.arg;
  if (col.fn === 'COUNT' && !arg) return { kind: 'rows', where: filter, atLeast: least };
  if (col.fn === 'COUNT' && arg?.kind === 'field') return { kind: 'rows', where: all([filter, { kind: 'exists', field: arg.name }]), atLeast: least };
  if (arg?.kind === 'case') {
    if (col.fn === 'COUNT_DISTINCT') return distinctOfCase(arg, filter, least, ctx);
    // COUNT counts the rows where the CASE has a value; SUM / MAX of a 0/1 CASE the rows where it is 1.
    const isFlag = arg.branches.every((b) => b.value.kind === 'literal' && b.value.value === 1);
    const rows = col.fn === 'COUNT' ? caseHolds(ctx, arg, literalTest('notnull', null)) : isFlag && (col.fn === 'SUM' || (col.fn === 'MAX' && least === 1)) ? caseHolds(ctx, arg, literalTest('==', 1)) : undefined;
    return rows ? { kind: 'rows', where: all([filter, rows]), atLeast: least } : undefined;
  }
  if (col.fn === 'COUNT_DISTINCT' && (arg?.kind === 'field' || arg?.kind === 'folded')) return { kind: 'distinct', field: arg.kind === 'field' ? arg.name : arg.field, where: filter, atLeast: least };
  return undefined;
}

/** COUNT_DISTINCT(CASE(…)): distinct literal branches, or distinct values of the field a one-branch CASE keeps. */
function distinctOfCase(col: Extract<Column, { kind: 'case' }>, filter: Predicate, least: number, ctx: WhereContext): GroupNeed | undefined {
  const branchCtx: WhereContext = { ...ctx, env: col.env };
  const conds = col.branches.map((b) => predicateOf(branchCtx, b.when));
  const [only] = col.branches;
  if (col.branches.length === 1 && only!.value.kind === 'field' && (col.otherwise === undefined || (col.otherwise.kind === 'literal' && col.otherwise.value === null))) {
    return { kind: 'distinct', field: only!.value.name, where: all([filter, conds[0]!, { kind: 'exists', field: only!.value.name }]), atLeast: least };
  }
  if (!col.branches.every((b) => b.value.kind === 'literal' && b.value.value !== null)) return undefined;
  // Branch i is taken when no earlier condition holds; one branch per distinct value.
  const seen = new Set<unknown>();
  const branches: Predicate[] = [];
  col.branches.forEach((b, i) => {
    const value = b.value.kind === 'literal' ? b.value.value : undefined;
    if (seen.has(value)) return;
    seen.add(value);
    branches.push(all([filter, ...conds.slice(0, i).map((p) => not(p)), conds[i]!]));
  });
  return branches.length >= least ? { kind: 'branches', branches, atLeast: least } : undefined;
}

/** `MAX(f) >= v`, `AVG(f) < v`, …: every row holds a value that meets the bound. */
function valueNeed(col: Extract<AggColumn, { kind: 'agg' }>, op: BinaryOp, v: number): GroupNeed | undefined {
  if (col.arg?.kind !== 'field' || !['MAX', 'MIN', 'AVG', 'SUM', 'MEDIAN'].includes(col.fn)) return undefined;
  // A SUM over several rows meets only a lower bound by each row meeting it.
  if (col.fn === 'SUM' && (op === '<' || op === '<=' || op === '==' || v < 0)) return undefined;
  const value = op === '>' ? v + 1 : op === '<' ? v - 1 : op === '>=' || op === '<=' || op === '==' ? v : undefined;
  return value === undefined ? undefined : { kind: 'value', field: col.arg.name, value };
}

/** A test on a CASE of the aggregates: any branch whose literal passes, through the branch's condition. */
function caseNeeds(col: Extract<AggColumn, { kind: 'case' }>, op: BinaryOp, v: string | number | boolean, cols: ReadonlyMap<string, AggColumn>, ctx: WhereContext): GroupNeed[][] {
  const passes = (e: Expr): boolean => {
    const x = literalValue(e);
    if (x === undefined) return false;
    const test = literalTest(op, v)({ kind: 'literal', value: x });
    return test === true;
  };
  const out = col.branches.filter((b) => passes(b.value)).flatMap((b) => needsOf(b.when, cols, ctx));
  return out.length ? out.slice(0, MAX_ALTERNATIVES) : [[]];
}

const TRUE: Predicate = { kind: 'const', value: true };

function valuesField(col: Extract<AggColumn, { kind: 'agg' }>): string | undefined {
  return col.arg?.kind === 'field' ? col.arg.name : undefined;
}

/** `VALUES(f) == v` (or one of its values, MV_FIRST …): a row with f = v; `!= v`: a row with another value. */
function valuesNeed(col: Extract<AggColumn, { kind: 'agg' }>, op: BinaryOp, v: string | number | boolean): GroupNeed[] {
  const field = valuesField(col);
  if (!field || (op !== '==' && op !== '!=')) return [];
  const equals: Predicate = typeof v === 'string' ? { kind: 'match', field, pattern: [text(v)], mode: 'sensitive' } : { kind: 'equals', field, value: v };
  const where = op === '==' ? equals : all([{ kind: 'exists', field }, not(equals)]);
  return [{ kind: 'rows', where: all([col.filter ?? TRUE, where]), atLeast: 1 }];
}
