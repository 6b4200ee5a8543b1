import type { Command, Expr } from '../engines/esql/ast.ts';
import { REMOVE } from './event-edit.ts';
import { combine, MAX_CANDIDATES as MAX, type Assignment } from './esql-assignment.ts';
import { extractedKeys, extractedValue } from './esql-want-extract.ts';
import { kqlWants } from './esql-want-kql.ts';
import { likeSample, regexSamples, rlikeSamples } from './esql-want-samples.ts';

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

/**
 * What a column name stands for at one point of the pipeline: its EVAL
 * expression (in the names of that point), a key a GROK / DISSECT extracts from
 * its input, or a value the query derives opaquely (COMPLETION, STATS outputs).
 */
export type Def = { readonly expr: Expr; readonly env: Defs } | { readonly extract: Extract<Command, { command: 'grok' | 'dissect' }>; readonly env: Defs } | 'opaque';
export type Defs = ReadonlyMap<string, Def>;

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
const value = (v: string | number | boolean): Want => ({ k: 'value', v });

/** The columns defined before command `k` (EVAL, RENAME, GROK / DISSECT keys, INLINE STATS outputs). */
export function definitionsBefore(commands: readonly Command[], k: number): Defs {
  const defs = new Map<string, Def>();
  for (const c of commands.slice(0, k)) {
    switch (c.command) {
      case 'eval':
        for (const f of c.fields) defs.set(f.name, { expr: f.expr, env: new Map(defs) });
        break;
      case 'rename':
        for (const r of c.renames) {
          const d = defs.get(r.from.pattern) ?? { expr: { type: 'field', name: r.from.pattern, start: r.from.start, end: r.from.end } as Expr, env: new Map() };
          defs.delete(r.from.pattern);
          defs.set(r.to.pattern, d);
        }
        break;
      case 'dissect':
      case 'grok': {
        const env = new Map(defs);
        for (const key of extractedKeys(c)) defs.set(key, { extract: c, env });
        break;
      }
      case 'completion':
        defs.set(c.target, 'opaque');
        break;
      case 'stats':
        for (const f of [...c.aggregates, ...c.groups]) defs.set(f.name, 'opaque');
        break;
      default:
        break;
    }
  }
  return defs;
}

const cap = (xs: Assignment[]): Assignment[] => xs.slice(0, MAX);

type Lit = string | number | boolean | null;

function literalOf(e: Expr): { v: Lit } | undefined {
  if (e.type === 'neg' && e.operand.type === 'literal' && (e.operand.literal.kind === 'integer' || e.operand.literal.kind === 'double')) return { v: -e.operand.literal.value };
  if (e.type !== 'literal') return undefined;
  const l = e.literal;
  return l.kind === 'null' ? { v: null } : l.kind === 'span' ? undefined : { v: l.value };
}

/** A literal, or an expression of literals only (SPACE(100)) the engine folds. */
function constantOf(e: Expr, w: WantContext): Lit | undefined {
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

/** Functions whose value is (for one plain text / number) their first argument's. */
const PASS_THROUGH = new Set(['TO_LOWER', 'TO_UPPER', 'TRIM', 'LTRIM', 'RTRIM', 'TO_STRING', 'TO_STR', 'URL_DECODE', 'MV_FIRST', 'MV_LAST', 'MV_MIN', 'MV_MAX', 'MV_DEDUPE', 'MV_SORT', 'MV_CONCAT', 'SPLIT', 'TO_IP', 'TO_INTEGER', 'TO_INT', 'TO_LONG', 'TO_DOUBLE', 'TO_DBL', 'TO_KEYWORD', 'TO_VERSION', 'TO_BOOLEAN', 'TO_BOOL']);

function folded(name: string, wants: readonly Want[]): Want[] {
  if (name !== 'TO_LOWER' && name !== 'TO_UPPER') return [...wants];
  const fold = (t: string): string => (name === 'TO_LOWER' ? t.toLowerCase() : t.toUpperCase());
  return wants.map((w) => (w.k === 'value' && typeof w.v === 'string' ? value(fold(w.v)) : w.k === 'contains' || w.k === 'prefix' ? { k: w.k, v: fold(w.v) } : w));
}

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

/** `a + k`, `k - a`, `a * k`, `a / k` …: the wanted number undone on the side that is not a constant. */
function arithmeticValue(e: Extract<Expr, { type: 'binary' }>, wants: readonly Want[], w: WantContext): Assignment[] {
  const l = constantOf(e.left, w);
  const r = constantOf(e.right, w);
  const k = typeof r === 'number' ? r : typeof l === 'number' ? l : undefined;
  if (k === undefined || (typeof l === 'number') === (typeof r === 'number')) return [];
  const openLeft = typeof r === 'number';
  const undo = (v: number): number | undefined => {
    switch (e.op) {
      case '+':
        return v - k;
      case '-':
        return openLeft ? v + k : k - v;
      case '*':
        return k === 0 ? undefined : v / k;
      case '/':
        return openLeft ? v * k : v === 0 ? undefined : k / v;
      default:
        return undefined;
    }
  };
  const targets = wants.flatMap((x): Want[] => {
    const u = x.k === 'value' && typeof x.v === 'number' ? undo(x.v) : undefined;
    return u === undefined || !Number.isFinite(u) ? [] : [value(u)];
  });
  return wantValue(openLeft ? e.left : e.right, targets, w);
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

function callValue(e: Extract<Expr, { type: 'call' }>, wants: readonly Want[], w: WantContext): Assignment[] {
  const name = e.name.toUpperCase();
  const [first, ...rest] = e.args;
  if (!first) return [];
  if (PASS_THROUGH.has(name)) return wantValue(first, folded(name, wants), w);
  switch (name) {
    case 'COALESCE':
      return cap(e.args.flatMap((a) => wantValue(a, wants, w)));
    case 'CONCAT': {
      const open = e.args.filter((a) => !literalOf(a));
      if (!open.length) return [];
      const lead = e.args.slice(0, e.args.indexOf(open[0]!)).map((a) => String(literalOf(a)?.v ?? '')).join('');
      const trail = e.args.slice(e.args.indexOf(open.at(-1)!) + 1).map((a) => String(literalOf(a)?.v ?? '')).join('');
      const strip = (x: Want): Want => (x.k === 'value' && typeof x.v === 'string' && x.v.startsWith(lead) && x.v.endsWith(trail) && x.v.length >= lead.length + trail.length ? value(x.v.slice(lead.length, x.v.length - trail.length)) : x);
      // The first open part carries the wanted text; the others only need a value.
      return cap(open.slice(1).reduce((acc, a) => combine(acc, wantValue(a, [value('')], w)), wantValue(open[0]!, wants.map(strip), w)));
    }
    case 'REPLACE': {
      // The text as wanted, or with a match of the pattern in front (REPLACE took it out).
      const re = literalOf(rest[0] ?? first)?.v;
      const removed = typeof re === 'string' ? regexSamples(re, w.seed).slice(0, 1) : [];
      return wantValue(first, wants.flatMap((x) => (x.k === 'value' && typeof x.v === 'string' ? [x, ...removed.map((r) => value(r + x.v))] : x.k === 'any' ? [x, ...removed.map(value)] : [x])), w);
    }
    case 'LOCATE': {
      // LOCATE(text, part) is the 1-based position of part: a wanted position n puts it after n - 1 characters.
      const part = rest[0] ? constantOf(rest[0], w) : undefined;
      if (typeof part !== 'string' || !part) return [];
      return wantValue(first, wants.flatMap((x): Want[] => (x.k === 'value' && typeof x.v === 'number' && x.v >= 1 ? [value('x'.repeat(Math.ceil(x.v) - 1) + part), { k: 'contains', v: part }] : [])), w);
    }
    case 'FROM_BASE64':
    case 'TO_BASE64': {
      // Base64 undone: the text whose encoding (or decoding) is the wanted value.
      const code = (t: string): string | undefined => (name === 'FROM_BASE64' ? Buffer.from(t, 'utf8').toString('base64') : /^[A-Za-z0-9+/]*={0,2}$/.test(t) ? Buffer.from(t, 'base64').toString('utf8') : undefined);
      return wantValue(first, wants.flatMap((x): Want[] => {
        const t = x.k === 'value' && typeof x.v === 'string' ? code(x.v) : x.k === 'contains' ? code(x.v) : undefined;
        return t !== undefined ? [value(t)] : x.k === 'any' ? [value(code('sample') ?? 'c2FtcGxl')] : [];
      }), w);
    }
    case 'JSON_EXTRACT': {
      // JSON_EXTRACT(_source, "$.a.b") reads the document's field a.b.
      const path = literalOf(rest[0] ?? first)?.v;
      const whole = first.type === 'field' && first.name === '_source';
      return whole && typeof path === 'string' ? wantValue({ type: 'field', name: path.replace(/^\$\.?/, ''), start: e.start, end: e.end }, wants, w) : [];
    }
    case 'SUBSTRING': {
      const start = literalOf(rest[0] ?? first)?.v;
      const pad = typeof start === 'number' && start > 1 ? 'x'.repeat(start - 1) : '';
      return wantValue(first, wants.map((x) => (x.k === 'value' && typeof x.v === 'string' ? value(pad + x.v) : x)), w);
    }
    case 'LENGTH':
      return wantValue(first, wants.flatMap((x): Want[] => (x.k === 'value' && typeof x.v === 'number' && x.v >= 0 ? [{ k: 'length', n: Math.ceil(x.v) }] : x.k === 'any' ? [x] : [])), w);
    case 'MV_COUNT':
      return wantValue(first, wants.flatMap((x): Want[] => (x.k === 'value' && typeof x.v === 'number' && x.v >= 1 ? [{ k: 'count', n: Math.ceil(x.v) }] : x.k === 'any' ? [x] : [])), w);
    case 'CASE': {
      const out: Assignment[] = [];
      for (let i = 0; i + 1 < e.args.length; i += 2) out.push(...combine(wantsTrue(e.args[i]!, w), wantValue(e.args[i + 1]!, wants, w)));
      if (e.args.length % 2 === 1) out.push(...wantValue(e.args.at(-1)!, wants, w));
      return cap(out);
    }
    default:
      return [];
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
