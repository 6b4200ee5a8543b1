import type { Expr, Query } from '../ast.ts';

/**
 * What a column of the table between two pipe stages holds, in terms of the
 * source document — the symbolic side of `constraints()`. EVAL, RENAME and
 * STATS rewrite the environment; WHERE conditions are then read against it, so
 * `EVAL cmd = TO_LOWER(process.command_line) | WHERE cmd LIKE "*x*"` becomes a
 * case-insensitive match on `process.command_line`.
 */
export type Column =
  /** A source field, as stored. */
  | { readonly kind: 'field'; readonly name: string }
  /** TO_LOWER / TO_UPPER of a source field. */
  | { readonly kind: 'folded'; readonly field: string; readonly to: 'lower' | 'upper' }
  /** LENGTH of a source field. */
  | { readonly kind: 'length'; readonly field: string }
  | { readonly kind: 'literal'; readonly value: string | number | boolean | null }
  /** DATE_TRUNC / BUCKET of a time field: a group key that is a time window (`spanMs` when the span is fixed). */
  | { readonly kind: 'bucket'; readonly field: string; readonly text: string; readonly spanMs?: number }
  /** An aggregate of a STATS: COUNT(*) has no field; `of` is a computed argument (a CASE column). */
  | { readonly kind: 'aggregate'; readonly fn: string; readonly field?: string; readonly of?: Column; readonly text: string }
  /** CASE(when1, value1, …, otherwise): conditions kept as written, read in the environment of their EVAL. */
  | { readonly kind: 'case'; readonly branches: readonly { readonly when: Expr; readonly value: Column }[]; readonly otherwise?: Column; readonly env: Env; readonly text: string; readonly fields: readonly string[] }
  /** Anything else: a computation the tree cannot describe, reading `fields`. */
  | { readonly kind: 'computed'; readonly text: string; readonly fields: readonly string[] };

export type Env = ReadonlyMap<string, Column>;

export const sourceText = (q: Query, e: { start: number; end: number }): string => q.source.slice(e.start, e.end).replace(/\s+/g, ' ').trim();

/** The column a name refers to: an environment entry, else (before any STATS) the source field of that name. */
export function columnOf(env: Env, name: string, afterStats: boolean): Column | undefined {
  return env.get(name) ?? (afterStats ? undefined : { kind: 'field', name });
}

/** Source fields an expression reads, through the environment. */
export function fieldsOf(e: Expr, env: Env, afterStats: boolean, out: string[] = []): string[] {
  const add = (c: Column | undefined) => {
    if (!c) return;
    if (c.kind === 'field') out.push(c.name);
    else if (c.kind === 'folded' || c.kind === 'length' || c.kind === 'bucket') out.push(c.field);
    else if (c.kind === 'aggregate' && c.field) out.push(c.field);
    else if (c.kind === 'computed' || c.kind === 'case') out.push(...c.fields);
  };
  switch (e.type) {
    case 'field':
      add(columnOf(env, e.name, afterStats));
      break;
    case 'literal':
    case 'param':
      break;
    case 'list':
      for (const x of e.items) fieldsOf(x, env, afterStats, out);
      break;
    case 'call':
      for (const x of e.args) fieldsOf(x, env, afterStats, out);
      break;
    case 'binary':
    case 'and':
    case 'or':
      fieldsOf(e.left, env, afterStats, out);
      fieldsOf(e.right, env, afterStats, out);
      break;
    case 'in':
      fieldsOf(e.operand, env, afterStats, out);
      for (const x of e.list) fieldsOf(x, env, afterStats, out);
      break;
    case 'match':
      fieldsOf(e.field, env, afterStats, out);
      break;
    case 'neg':
    case 'not':
    case 'isNull':
    case 'like':
    case 'rlike':
    case 'cast':
      fieldsOf(e.operand, env, afterStats, out);
      break;
  }
  return [...new Set(out)];
}

const TIME_BUCKETS = new Set(['DATE_TRUNC', 'BUCKET', 'TBUCKET']);

const UNIT_MS: Readonly<Record<string, number>> = { millisecond: 1, ms: 1, second: 1000, s: 1000, minute: 60_000, min: 60_000, m: 60_000, hour: 3_600_000, h: 3_600_000, day: 86_400_000, d: 86_400_000, week: 604_800_000, w: 604_800_000 };

/** A fixed time span (`10 seconds`, `"5m"`) in ms; calendar spans (month, quarter, year) have none. */
function fixedSpanMs(e: Expr): number | undefined {
  if (e.type !== 'literal') return undefined;
  const l = e.literal;
  if (l.kind === 'span') return UNIT_MS[l.unit] === undefined ? undefined : l.amount * UNIT_MS[l.unit]!;
  if (l.kind !== 'string') return undefined;
  const m = /^(\d+)\s*([a-z]+?)s?$/i.exec(l.value.trim());
  const unit = m ? UNIT_MS[m[2]!.toLowerCase()] : undefined;
  return m && unit ? Number(m[1]) * unit : undefined;
}

/** What `EVAL name = e` (or a STATS group `BY e`) makes of a column. */
export function evalColumn(q: Query, e: Expr, env: Env, afterStats: boolean): Column {
  const text = sourceText(q, e);
  if (e.type === 'field') return columnOf(env, e.name, afterStats) ?? { kind: 'computed', text, fields: [] };
  if (e.type === 'literal') {
    const l = e.literal;
    if (l.kind === 'null') return { kind: 'literal', value: null };
    if (l.kind === 'string' || l.kind === 'integer' || l.kind === 'double' || l.kind === 'boolean') return { kind: 'literal', value: l.value };
  }
  if (e.type === 'call') {
    const name = e.name.toUpperCase();
    const args = e.args.map((a) => evalColumn(q, a, env, afterStats));
    const one = args.length === 1 ? args[0] : undefined;
    if ((name === 'TO_LOWER' || name === 'TO_UPPER') && one?.kind === 'field') return { kind: 'folded', field: one.name, to: name === 'TO_LOWER' ? 'lower' : 'upper' };
    if (name === 'LENGTH' && one?.kind === 'field') return { kind: 'length', field: one.name };
    // A conversion to text or an address keeps the value the tree compares.
    if ((name === 'TO_STRING' || name === 'TO_IP' || name === 'TO_STR') && one?.kind === 'field') return one;
    if (name === 'CASE' && e.args.length >= 2) {
      const branches = [];
      for (let i = 0; i + 1 < e.args.length; i += 2) branches.push({ when: e.args[i]!, value: args[i + 1]! });
      const otherwise = e.args.length % 2 === 1 ? args.at(-1) : undefined;
      return { kind: 'case', branches, ...(otherwise ? { otherwise } : {}), env: new Map(env), text, fields: fieldsOf(e, env, afterStats) };
    }
    if (TIME_BUCKETS.has(name)) {
      const date = args.find((a) => a.kind === 'field');
      const spanMs = e.args.map(fixedSpanMs).find((x) => x !== undefined);
      if (date?.kind === 'field') return { kind: 'bucket', field: date.name, text, ...(spanMs ? { spanMs } : {}) };
    }
  }
  if (e.type === 'cast' && (e.to === 'keyword' || e.to === 'string')) {
    const inner = evalColumn(q, e.operand, env, afterStats);
    if (inner.kind === 'field') return inner;
  }
  return { kind: 'computed', text, fields: fieldsOf(e, env, afterStats) };
}
