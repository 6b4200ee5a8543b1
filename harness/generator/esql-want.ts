import type { Expr } from '../engines/esql/ast.ts';
import { REMOVE } from './event-edit.ts';
import { combine, MAX_CANDIDATES as MAX, type Assignment } from './esql-assignment.ts';
import type { Defs } from './esql-defs.ts';
import { extractedValue } from './esql-want-extract.ts';
import { arithmeticValue, callValue } from './esql-want-functions.ts';
import { kqlWants } from './esql-want-kql.ts';
import { likeSample, rlikeSamples } from './esql-want-samples.ts';

/**
 * Backwards from a row-level ES|QL condition to edits of source fields: what
 * must the source fields hold for `cond` to be true? The condition is read
 * through the EVAL chain before it (TO_LOWER, TRIM, COALESCE, CONCAT, CASE,
 * SUBSTRING, SPLIT, MV_*, LENGTH, MV_COUNT, conversions …), so a wanted value
 * of `Esql.x` becomes a wanted value of the field the EVAL read. The answers
 * are candidates only: the caller keeps an edit when the engine's own run of
 * the query passes more conditions with it (esql-row-repair.ts).
 */
export type Want =
  | { readonly k: 'value'; readonly v: string | number | boolean }
  /** Any value, null excluded. */
  | { readonly k: 'any' }
  | { readonly k: 'null' }
  /** A text of this many characters. */
  | { readonly k: 'length'; readonly n: number }
  /** This many values (MV_COUNT). */
  | { readonly k: 'count'; readonly n: number }
  /** Any text holding this one (LIKE "*x*", MATCH): the current text with it appended. */
  | { readonly k: 'contains'; readonly v: string }
  /** A text starting with this one (an unanchored GROK reads its first match): it put before the current text. */
  | { readonly k: 'prefix'; readonly v: string };

export interface WantContext {
  readonly defs: Defs;
  /** The event's value of a source field (undefined: absent). */
  readonly current: (field: string) => unknown;
  /** A realistic value for a field that must hold something. */
  readonly anyValue: (field: string) => unknown;
  /** An expression of the condition's own scope on the row the condition fails on (only at the top level). */
  readonly evaluate?: (e: Expr) => unknown;
  /** A column's value on the row the condition fails on (GROK / DISSECT keys keep theirs when another key is wanted). */
  readonly column?: (name: string) => unknown;
  readonly seed?: number;
  /** The value of an expression that reads no column (SPACE(100)). */
  readonly constant?: (e: Expr) => unknown;
}

const EMPTY: Assignment = new Map();
export const value = (v: string | number | boolean): Want => ({ k: 'value', v });

export const cap = (xs: Assignment[]): Assignment[] => xs.slice(0, MAX);

export type Lit = string | number | boolean | null;

export function literalOf(e: Expr): { v: Lit } | undefined {
  if (e.type === 'neg' && e.operand.type === 'literal' && (e.operand.literal.kind === 'integer' || e.operand.literal.kind === 'double')) return { v: -e.operand.literal.value };
  if (e.type !== 'literal') return undefined;
  const l = e.literal;
  return l.kind === 'null' ? { v: null } : l.kind === 'span' ? undefined : { v: l.value };
}

/** A literal, or an expression of literals only (SPACE(100)) the engine folds. */
export function constantOf(e: Expr, w: WantContext): Lit | undefined {
  const l = literalOf(e);
  if (l) return l.v;
  const v = w.constant?.(e);
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : undefined;
}

const NEGATE: Readonly<Record<string, string>> = { '==': '!=', '!=': '==', '<': '>=', '<=': '>', '>': '<=', '>=': '<' };
const FLIP: Readonly<Record<string, string>> = { '==': '==', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/** Values that pass `op v`, nearest first. */
export function valuesFor(op: string, v: string | number | boolean): Want[] {
  if (typeof v === 'boolean') return op === '==' ? [value(v)] : op === '!=' ? [value(!v)] : [];
  if (typeof v === 'number') {
    const step = Number.isInteger(v) ? 1 : Math.max(Math.abs(v) / 2, 0.01);
    const xs = op === '==' ? [v] : op === '!=' ? [v + 1] : op === '<' ? [v - step] : op === '<=' ? [v, v - step] : op === '>' ? [v + step] : op === '>=' ? [v, v + step] : [];
    return xs.map(value);
  }
  if (op === '==' || op === '>=' || op === '<=') return [value(v)];
  if (op === '!=' || op === '>') return [value(`${v}-other`), value(`${v}z`)];
  if (op === '<') return v > '' ? [value('')] : [];
  return [];
}

const isCondition = (e: Expr): boolean => ['and', 'or', 'not', 'isNull', 'in', 'like', 'rlike', 'match'].includes(e.type) || (e.type === 'binary' && e.op in FLIP);

/** Edits under which `e` takes one of the wanted values. */
export function wantValue(e: Expr, wants: readonly Want[], w: WantContext): Assignment[] {
  if (!wants.length) return [];
  if (isCondition(e)) {
    const out: Assignment[] = [];
    for (const x of wants) {
      if (x.k === 'value' && x.v === true) out.push(...wantsTrue(e, w));
      else if (x.k === 'value' && x.v === false) out.push(...wantsFalse(e, w));
      else if (x.k === 'any') out.push(...wantsTrue(e, w), ...wantsFalse(e, w));
    }
    return cap(out);
  }
  switch (e.type) {
    case 'literal': {
      const l = literalOf(e);
      return wants.some((x) => (x.k === 'any' ? l?.v !== null : x.k === 'null' ? l?.v === null : x.k === 'value' && l?.v === x.v)) ? [EMPTY] : [];
    }
    case 'field': {
      const d = w.defs.get(e.name);
      if (d === 'opaque') return [];
      if (d && 'extract' in d) return extractedValue(d.extract, e.name, wants, w, (input, texts) => wantValue(input, texts, { ...w, defs: d.env, evaluate: undefined }));
      if (d) return wantValue(d.expr, wants, { ...w, defs: d.env, evaluate: undefined });
      const values = wants.map((x) => leafValue(e.name, x, w));
      return values.filter((v, i) => values.findIndex((u) => JSON.stringify(u) === JSON.stringify(v)) === i).map((v) => new Map([[e.name, v]]));
    }
    case 'cast':
      return wantValue(e.operand, wants, w);
    case 'call':
      return callValue(e, wants, w);
    case 'binary':
      return arithmeticValue(e, wants, w);
    case 'neg':
      return wantValue(e.operand, wants.flatMap((x): Want[] => (x.k === 'value' && typeof x.v === 'number' ? [value(-x.v)] : [])), w);
    default:
      return [];
  }
}

/** The value a source field takes for a want. */
function leafValue(field: string, x: Want, w: WantContext): unknown {
  const cur = w.current(field);
  switch (x.k) {
    case 'value':
      return x.v;
    case 'any':
      // A present value that fails still fails (an address that is not one): a fresh realistic value.
      return w.anyValue(field);
    case 'null':
      return REMOVE;
    case 'length': {
      const base = typeof cur === 'string' && cur.length ? cur : String(w.anyValue(field));
      return base.repeat(Math.ceil(x.n / base.length) + 1).slice(0, x.n);
    }
    case 'count': {
      const base = String(cur ?? w.anyValue(field));
      return Array.from({ length: x.n }, (_, i) => (i === 0 ? base : `${base}-${i}`));
    }
    case 'contains':
      // A space apart: a full-text MATCH on the text still finds its own terms.
      return typeof cur === 'string' && cur ? `${cur} ${x.v}` : x.v;
    case 'prefix':
      return typeof cur === 'string' && cur ? `${x.v} ${cur}` : x.v;
  }
}

/** A comparison of two computed sides: each side copied from (or kept apart from) the other's value on the failing row, else both given fresh values. */
function bothSides(op: string, left: Expr, right: Expr, w: WantContext): Assignment[] {
  const out: Assignment[] = [];
  const scalar = (x: unknown): x is string | number | boolean => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean';
  const r = w.evaluate?.(right);
  const l = w.evaluate?.(left);
  if (scalar(r)) out.push(...wantValue(left, valuesFor(op, r), w));
  if (scalar(l)) out.push(...wantValue(right, valuesFor(FLIP[op]!, l), w));
  const fresh: [Want, Want] = op === '==' || op === '>=' || op === '<=' ? [value('sample-1'), value('sample-1')] : op === '<' ? [value(1), value(2)] : op === '>' ? [value(2), value(1)] : [value('sample-1'), value('sample-2')];
  out.push(...combine(wantValue(left, [fresh[0]], w), wantValue(right, [fresh[1]], w)));
  return cap(out);
}

function comparison(e: Extract<Expr, { type: 'binary' }>, w: WantContext, negated: boolean): Assignment[] {
  let op = negated ? NEGATE[e.op] : e.op;
  if (!op) return [];
  let { left, right } = e;
  if (literalOf(left) && !literalOf(right)) {
    [left, right] = [right, left];
    op = FLIP[op]!;
  }
  const lit = constantOf(right, w);
  if (lit === undefined) return bothSides(op, left, right, w);
  return lit === null ? [] : wantValue(left, valuesFor(op, lit), w);
}

/** A LIKE pattern's text; `*x*` also as any text holding x (the current text keeps what other conditions ask of it). */
function likeWants(p: string): Want[] {
  const t = likeSample(p);
  return /^\*[^*?\\]*\*$/.test(p) && t ? [{ k: 'contains', v: t }, value(t)] : [value(t)];
}

/** A full-text MATCH: its terms added to the current text, or the text alone. */
function matchWants(q: string | number | boolean): Want[] {
  return typeof q === 'string' ? [{ k: 'contains', v: q }, value(q)] : [value(q)];
}

/** Edits under which the condition is true. */
export function wantsTrue(e: Expr, w: WantContext): Assignment[] {
  switch (e.type) {
    case 'and':
      return combine(wantsTrue(e.left, w), wantsTrue(e.right, w));
    case 'or':
      return cap([...wantsTrue(e.left, w), ...wantsTrue(e.right, w)]);
    case 'not':
      return wantsFalse(e.operand, w);
    case 'literal':
      return e.literal.kind === 'boolean' && e.literal.value ? [EMPTY] : [];
    case 'field':
      return wantValue(e, [value(true)], w);
    case 'binary':
      return comparison(e, w, false);
    case 'like':
      return wantValue(e.operand, e.negated ? [value('sample')] : e.patterns.flatMap((p) => likeWants(p)), w);
    case 'rlike':
      return wantValue(e.operand, e.negated ? [value('sample')] : e.patterns.flatMap((p) => rlikeSamples(p).map(value)), w);
    case 'in': {
      const lits = e.list.flatMap((x) => {
        const l = literalOf(x);
        return l && l.v !== null ? [l.v] : [];
      });
      return wantValue(e.operand, e.negated ? [{ k: 'any' }, ...lits.slice(0, 1).map((v) => value(`${String(v)}-other`))] : lits.slice(0, 4).map(value), w);
    }
    case 'isNull':
      return wantValue(e.operand, [e.negated ? { k: 'any' } : { k: 'null' }], w);
    case 'match': {
      const q = literalOf(e.query)?.v;
      return q === undefined || q === null ? [] : wantValue(e.field, matchWants(q), w);
    }
    case 'call':
      return callTrue(e, w);
    default:
      return [];
  }
}

function callTrue(e: Extract<Expr, { type: 'call' }>, w: WantContext): Assignment[] {
  const name = e.name.toUpperCase();
  const [first, second] = e.args;
  const s = second ? constantOf(second, w) : undefined;
  if (name === 'KQL' && first) {
    const q = literalOf(first)?.v;
    return typeof q === 'string' ? kqlWants(q, w.anyValue) : [];
  }
  if (!first || s === undefined || s === null) return [];
  switch (name) {
    case 'MATCH':
    case 'MATCH_PHRASE':
      return wantValue(first, matchWants(s), w);
    case 'MV_CONTAINS':
      return wantValue(first, [value(s)], w);
    case 'STARTS_WITH':
      return wantValue(first, [value(`${String(s)}sample`)], w);
    case 'ENDS_WITH':
      return wantValue(first, [value(`sample${String(s)}`)], w);
    case 'LOCATE':
      return wantValue(first, [value(String(s))], w);
    default:
      return [];
  }
}

/** Edits under which the condition is false. */
export function wantsFalse(e: Expr, w: WantContext): Assignment[] {
  switch (e.type) {
    case 'and':
      return cap([...wantsFalse(e.left, w), ...wantsFalse(e.right, w)]);
    case 'or':
      return combine(wantsFalse(e.left, w), wantsFalse(e.right, w));
    case 'not':
      return wantsTrue(e.operand, w);
    case 'field':
      return wantValue(e, [value(false)], w);
    case 'binary':
      return comparison(e, w, true);
    case 'like':
    case 'rlike':
    case 'in':
    case 'isNull':
      return wantsTrue({ ...e, negated: !e.negated }, w);
    case 'call': {
      const q = e.args[0] ? literalOf(e.args[0])?.v : undefined;
      if (e.name.toUpperCase() === 'KQL') return typeof q === 'string' ? kqlWants(q, w.anyValue, false) : [];
      return e.args[0] ? wantValue(e.args[0], [value('sample')], w) : [];
    }
    default:
      return [];
  }
}
