import { luceneToJs } from '../../common/lucene-regex.ts';
import type { Pattern } from '../../common/pattern.ts';
import { STAR, text } from '../../common/pattern.ts';
import { and, not, or, type Predicate } from '../../common/predicate.ts';
import { parseEsWildcard } from '../../elastic/es-wildcard.ts';
import { compileKql } from '../../kql/index.ts';
import type { BinaryOp, Expr, Query } from '../ast.ts';
import { evalColumn, fieldsOf, sourceText, type Column, type Env } from './columns.ts';

/**
 * A WHERE condition over the rows of one source document as a Predicate tree
 * (engines/common/predicate.ts), read through the column environment. ES|QL
 * is three-valued (a comparison with a missing field is null and drops the
 * row), which the generator's Kleene model follows. What the tree cannot say
 * (arithmetic, most functions, field-to-field comparisons) is an opaque leaf
 * naming its source text.
 */
export interface WhereContext {
  readonly query: Query;
  readonly env: Env;
  readonly afterStats: boolean;
  /** Collects every field an opaque clause reads (its leaf names only the first). */
  readonly opaqueReads?: Set<string>;
}

type Lit = string | number | boolean | null;

function literalOf(e: Expr): { value: Lit } | undefined {
  if (e.type === 'neg' && e.operand.type === 'literal' && (e.operand.literal.kind === 'integer' || e.operand.literal.kind === 'double')) return { value: -e.operand.literal.value };
  if (e.type !== 'literal') return undefined;
  const l = e.literal;
  if (l.kind === 'null') return { value: null };
  if (l.kind === 'span') return undefined;
  return { value: l.value };
}

export function opaque(ctx: WhereContext, e: Expr): Predicate {
  const fields = fieldsOf(e, ctx.env, ctx.afterStats);
  for (const f of fields) ctx.opaqueReads?.add(f);
  return { kind: 'opaque', field: fields[0] ?? null, description: sourceText(ctx.query, e) };
}

const hasUpper = (s: string): boolean => s !== s.toLowerCase();
const hasLower = (s: string): boolean => s !== s.toUpperCase();

/** A folded column only ever holds one case: a literal with the other case never matches it. */
function foldedMismatch(c: Column, literal: string): boolean {
  return c.kind === 'folded' && (c.to === 'lower' ? hasUpper(literal) : hasLower(literal));
}

function stringLeaf(c: Column, pattern: Pattern): Predicate | undefined {
  if (c.kind === 'field') return { kind: 'match', field: c.name, pattern, mode: 'sensitive' };
  if (c.kind === 'folded') {
    const literal = pattern.map((t) => (t.kind === 'text' ? t.text : '')).join('');
    return foldedMismatch(c, literal) ? { kind: 'const', value: false } : { kind: 'match', field: c.field, pattern, mode: 'insensitive' };
  }
  return undefined;
}

function equalsLeaf(c: Column, v: Lit): Predicate | undefined {
  if (v === null) return { kind: 'const', value: false, label: 'compared with null' };
  if (typeof v === 'string') return stringLeaf(c, [text(v)]);
  if (c.kind === 'field') return { kind: 'equals', field: c.name, value: v };
  if (c.kind === 'length' && typeof v === 'number') return lengthLeaf(c.field, '==', v);
  return undefined;
}

const RANGE: Partial<Record<BinaryOp, 'gt' | 'gte' | 'lt' | 'lte'>> = { '>': 'gt', '>=': 'gte', '<': 'lt', '<=': 'lte' };
const FLIP: Partial<Record<BinaryOp, BinaryOp>> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==', '!=': '!=' };

/** `LENGTH(f) op n` as a regex on the text, as the EQL engine states it. */
function lengthLeaf(field: string, op: BinaryOp, n: number): Predicate | undefined {
  if (!Number.isInteger(n)) return undefined;
  const r = op === '>' ? `{${n + 1},}` : op === '>=' ? `{${Math.max(0, n)},}` : op === '<' ? (n <= 0 ? undefined : `{0,${n - 1}}`) : op === '<=' ? (n < 0 ? undefined : `{0,${n}}`) : op === '==' ? (n < 0 ? undefined : `{${n}}`) : undefined;
  return r === undefined ? undefined : { kind: 'regex', field, source: `^[\\s\\S]${r}$`, flags: 's' };
}

/** `@timestamp >= NOW() - 1 hour`: the look-back the scenario's `now` already sets; the scaffold's events are always inside it. */
function isRecentTime(e: Expr): boolean {
  return e.type === 'binary' && (e.op === '-' || e.op === '+') && e.left.type === 'call' && e.left.name.toUpperCase() === 'NOW';
}

/**
 * A test on a CASE column, when the tree can state it exactly: the value is the
 * first branch whose condition is true (a null condition counts as false), else
 * the default. Exact when the default fails the test and the branches that pass
 * are all of them (any condition true) or only the first; a branch value that is
 * a field must also exist.
 */
export function caseHolds(ctx: WhereContext, col: Extract<Column, { kind: 'case' }>, test: (c: Column) => boolean | undefined): Predicate | undefined {
  const passes = col.branches.map((b) => test(b.value));
  const otherwise = col.otherwise ? test(col.otherwise) : false;
  if (otherwise !== false || passes.some((p) => p === undefined)) return undefined;
  // A CASE column keeps the environment of its EVAL, where unknown names are source fields.
  const branchCtx: WhereContext = { ...ctx, env: col.env, afterStats: false };
  const when = (i: number): Predicate => {
    const b = col.branches[i]!;
    const cond = predicateOf(branchCtx, b.when);
    return b.value.kind === 'field' ? and([cond, { kind: 'exists', field: b.value.name }]) : cond;
  };
  if (passes.every((p) => p === true)) return col.branches.length === 1 ? when(0) : or(col.branches.map((_, i) => when(i)));
  if (passes.every((p) => p === false)) return { kind: 'const', value: false };
  if (passes[0] === true && passes.slice(1).every((p) => p === false)) return when(0);
  return undefined;
}

/** Does a constant or field column pass `op v` (undefined: cannot say)? A field passes only "is not null". */
export function literalTest(op: BinaryOp | 'notnull', v: Lit): (c: Column) => boolean | undefined {
  return (c) => {
    if (c.kind === 'field') return op === 'notnull' ? true : undefined;
    if (c.kind !== 'literal') return undefined;
    const x = c.value;
    if (x === null) return false;
    if (op === 'notnull') return true;
    if (v === null) return false;
    if (op === '==') return x === v;
    if (op === '!=') return x !== v;
    if (typeof x !== typeof v || typeof x === 'boolean') return undefined;
    const cmp = x < v! ? -1 : x > v! ? 1 : 0;
    return op === '<' ? cmp < 0 : op === '<=' ? cmp <= 0 : op === '>' ? cmp > 0 : op === '>=' ? cmp >= 0 : undefined;
  };
}

function comparison(ctx: WhereContext, e: Extract<Expr, { type: 'binary' }>): Predicate {
  let op = e.op;
  let left = e.left;
  let right = e.right;
  if (literalOf(left) && !literalOf(right)) {
    [left, right] = [right, left];
    op = FLIP[op] ?? op;
  }
  const lit = literalOf(right);
  const col = evalColumn(ctx.query, left, ctx.env, ctx.afterStats);
  if (!lit) {
    if (col.kind === 'field' && (op === '>' || op === '>=') && isRecentTime(right)) return { kind: 'const', value: true, label: sourceText(ctx.query, e) };
    return opaque(ctx, e);
  }
  const v = lit.value;
  if (col.kind === 'case') return caseHolds(ctx, col, literalTest(op, v)) ?? opaque(ctx, e);
  if (col.kind === 'literal') return { kind: 'const', value: col.value === v ? op === '==' : op === '!=' };
  if (op === '==') return equalsLeaf(col, v) ?? opaque(ctx, e);
  if (op === '!=') {
    const eq = equalsLeaf(col, v);
    if (!eq) return opaque(ctx, e);
    // A folded value that can never equal the literal still needs a value to differ from it.
    if (eq.kind === 'const' && !eq.value && v !== null && col.kind === 'folded') return { kind: 'exists', field: col.field };
    return eq.kind === 'const' ? eq : not(eq);
  }
  const range = RANGE[op];
  if (!range || v === null || typeof v === 'boolean') return opaque(ctx, e);
  if (col.kind === 'field') return { kind: 'range', field: col.name, op: range, value: v };
  if (col.kind === 'length' && typeof v === 'number') return lengthLeaf(col.field, op, v) ?? opaque(ctx, e);
  return opaque(ctx, e);
}

function patterns(ctx: WhereContext, e: Extract<Expr, { type: 'like' | 'rlike' }>): Predicate {
  const col = evalColumn(ctx.query, e.operand, ctx.env, ctx.afterStats);
  const leaves = e.patterns.map((p): Predicate | undefined => {
    if (e.type === 'like') return stringLeaf(col, parseEsWildcard(p));
    if (col.kind !== 'field' && col.kind !== 'folded') return undefined;
    let source: string;
    try {
      source = `^(?:${luceneToJs(p.replace(/(^|[^\\][(|])([*+?])/g, '$1\\$2'))})$`;
    } catch {
      return undefined;
    }
    if (col.kind === 'field') return { kind: 'regex', field: col.name, source, flags: 's' };
    // Only a regex naming letters of the folded case alone reads the same on the original text, case-insensitively.
    const letters = p.replace(/\\./g, '');
    if (col.to === 'lower' ? hasUpper(letters) : hasLower(letters)) return undefined;
    return { kind: 'regex', field: col.field, source, flags: 'is' };
  });
  if (leaves.some((l) => l === undefined)) return opaque(ctx, e);
  const p = leaves.length === 1 ? leaves[0]! : or(leaves as Predicate[]);
  return e.negated ? not(p) : p;
}

/** KQL("…") runs the KQL engine; its tree is two-valued, so only a tree without `not` reads the same under ES|QL's nulls. */
function kqlPredicate(e: Extract<Expr, { type: 'call' }>): Predicate | undefined {
  const arg = e.args[0];
  if (e.args.length !== 1 || arg?.type !== 'literal' || arg.literal.kind !== 'string') return undefined;
  let logic: Predicate;
  try {
    logic = compileKql(arg.literal.value).logic;
  } catch {
    return undefined;
  }
  const text = JSON.stringify(logic);
  return text.includes('"kind":"not"') || text.includes('"kind":"opaque"') || text.includes('"field":null') ? undefined : logic;
}

function call(ctx: WhereContext, e: Extract<Expr, { type: 'call' }>): Predicate {
  const name = e.name.toUpperCase();
  if (name === 'KQL') return kqlPredicate(e) ?? opaque(ctx, e);
  const [first, ...rest] = e.args;
  const col = first ? evalColumn(ctx.query, first, ctx.env, ctx.afterStats) : undefined;
  const lits = rest.map(literalOf);
  const strings = lits.every((l) => l && typeof l.value === 'string') ? lits.map((l) => String(l!.value)) : undefined;
  if (col && strings && strings.length > 0) {
    if (name === 'STARTS_WITH' || name === 'ENDS_WITH') {
      const leaf = stringLeaf(col, name === 'STARTS_WITH' ? [text(strings[0]!), STAR] : [STAR, text(strings[0]!)]);
      if (leaf) return leaf;
    }
    if (name === 'CIDR_MATCH' && col.kind === 'field') return or(strings.map((network): Predicate => ({ kind: 'cidr', field: col.name, network })));
  }
  return opaque(ctx, e);
}

export function predicateOf(ctx: WhereContext, e: Expr): Predicate {
  switch (e.type) {
    case 'and':
      return and([predicateOf(ctx, e.left), predicateOf(ctx, e.right)]);
    case 'or':
      return or([predicateOf(ctx, e.left), predicateOf(ctx, e.right)]);
    case 'not':
      return not(predicateOf(ctx, e.operand));
    case 'binary':
      return comparison(ctx, e);
    case 'like':
    case 'rlike':
      return patterns(ctx, e);
    case 'isNull': {
      const col = evalColumn(ctx.query, e.operand, ctx.env, ctx.afterStats);
      if (col.kind === 'case' && e.negated) return caseHolds(ctx, col, literalTest('notnull', null)) ?? opaque(ctx, e);
      const field = col.kind === 'field' ? col.name : col.kind === 'folded' || col.kind === 'length' ? col.field : undefined;
      if (field === undefined) return opaque(ctx, e);
      return e.negated ? { kind: 'exists', field } : { kind: 'null', field };
    }
    case 'in': {
      // `true IN (starts_with(a, "x"), …)`: any of the conditions.
      if (e.operand.type === 'literal' && e.operand.literal.kind === 'boolean' && e.operand.literal.value && !e.negated) return or(e.list.map((x) => predicateOf(ctx, x)));
      const col = evalColumn(ctx.query, e.operand, ctx.env, ctx.afterStats);
      const leaves = e.list.map((x) => {
        const l = literalOf(x);
        return l ? equalsLeaf(col, l.value) : undefined;
      });
      if (leaves.some((l) => l === undefined)) return opaque(ctx, e);
      const p = or(leaves as Predicate[]);
      return e.negated ? not(p) : p;
    }
    case 'field': {
      const col = evalColumn(ctx.query, e, ctx.env, ctx.afterStats);
      if (col.kind === 'field') return { kind: 'equals', field: col.name, value: true };
      if (col.kind === 'literal') return { kind: 'const', value: col.value === true };
      if (col.kind === 'case') return caseHolds(ctx, col, literalTest('==', true)) ?? opaque(ctx, e);
      return opaque(ctx, e);
    }
    case 'literal':
      return { kind: 'const', value: e.literal.kind === 'boolean' && e.literal.value };
    case 'call':
      return call(ctx, e);
    default:
      return opaque(ctx, e);
  }
}

