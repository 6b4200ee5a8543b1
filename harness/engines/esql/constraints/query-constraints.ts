import type { Constraints } from '../../../core/detector.ts';
import { and, type Predicate } from '../../common/predicate.ts';
import { conjuncts, type AggField, type Command, type Expr, type Query } from '../ast.ts';
import { referencedFields } from '../referenced-fields.ts';
import { evalColumn, fieldsOf, sourceText, type Column } from './columns.ts';
import { caseHolds, literalTest, predicateOf, type WhereContext } from './where-predicate.ts';

/**
 * `constraints()` of an ES|QL query, read from its AST:
 * - the WHERE stages before the first STATS (through EVAL / RENAME / MV_EXPAND)
 *   are the per-document logic;
 * - `STATS … BY k` with the WHERE after it becomes an aggregate of type
 *   `threshold` with `groupBy` = the BY keys that are source fields and a
 *   condition the generator reads: `count >= n` (COUNT(*) / COUNT(f), `>` as
 *   `>= n+1`), `cardinality(f) >= n` (COUNT_DISTINCT), `(a or b)` for an OR of such bounds, other parts as
 *   `bucket(@timestamp, 60000)` for a fixed DATE_TRUNC / BUCKET key, other parts as
 *   `opaque(<text>)`. A post-STATS condition on a group key moves into the logic
 *   (it filters whole groups, which is filtering their rows).
 * `reads` names the fields that decide the outcome outside the tree (what STATS
 * aggregates and groups, MV_EXPAND, GROK / DISSECT inputs, opaque clauses, and
 * `_index` / `_source` / `_id`), so variants never touch them.
 */

interface Stats {
  readonly by: readonly string[];
  /** Time-bucket keys: `bucket(@timestamp, 60000)` when the span is fixed, else opaque. */
  readonly buckets: readonly { readonly field: string; readonly spanMs?: number }[];
  readonly conditions: string[];
  /** Post-STATS conditions that are not thresholds on one counted column. */
  readonly opaque: string[];
  /** Row conditions `countif(k)` counts (SUM(CASE(c, 1, 0)), COUNT(CASE(c, x)), MAX(CASE(c, 1, 0))). */
  readonly steps: Predicate[];
}

const built = new WeakMap<Query, Constraints>();

/** Built once per parsed query: the generator's model caches its compiled leaves by tree identity. */
export function esqlConstraints(q: Query): Constraints {
  let c = built.get(q);
  if (!c) built.set(q, (c = buildConstraints(q)));
  return c;
}

function buildConstraints(q: Query): Constraints {
  const env = new Map<string, Column>();
  const logic: Predicate[] = [];
  let stats: Stats | undefined;
  // `_index` routes each event to the index FROM reads; `_source` is the document as JSON (JSON_EXTRACT).
  const reads = new Set<string>(['_index', ...[...referencedFields(q)].filter((f) => f === '_source' || f === '_id'), ...jsonPaths(q)]);
  const ctx = (): WhereContext => ({ query: q, env, afterStats: stats !== undefined, opaqueReads: reads });
  for (const c of q.commands) {
    switch (c.command) {
      case 'from':
      case 'row':
      case 'keep':
      case 'drop':
      case 'sort':
      case 'limit':
        break;
      case 'mv_expand':
        for (const f of fieldsOf({ type: 'field', name: c.field.pattern, start: c.start, end: c.end }, env, stats !== undefined)) reads.add(f);
        break;
      case 'eval':
        for (const f of c.fields) env.set(f.name, evalColumn(q, f.expr, env, stats !== undefined));
        break;
      case 'rename':
        for (const r of c.renames) {
          const col = env.get(r.from.pattern) ?? (stats ? undefined : { kind: 'field' as const, name: r.from.pattern });
          env.delete(r.from.pattern);
          if (col) env.set(r.to.pattern, col);
        }
        break;
      case 'dissect':
      case 'grok':
      case 'completion':
        for (const f of derived(q, c, env, stats !== undefined)) reads.add(f);
        break;
      case 'where':
        if (!stats) logic.push(predicateOf(ctx(), c.condition));
        else for (const part of conjuncts(c.condition)) postStats(q, part, env, stats, logic);
        break;
      case 'stats':
        if (stats) {
          stats.opaque.push(`a second STATS: ${sourceText(q, c)}`);
          break;
        }
        for (const x of [...c.aggregates.flatMap((a) => (a.filter ? [a.expr, a.filter] : [a.expr])), ...c.groups.map((g) => g.expr)]) for (const f of fieldsOf(x, env, false)) reads.add(f);
        stats = openStats(q, c, env);
        break;
    }
  }
  const filters = logic;
  const tree = filters.length === 0 ? ({ kind: 'const', value: true } as const) : filters.length === 1 ? filters[0]! : and(filters);
  if (!stats) return { logic: tree, reads: [...reads] };
  const count = stats.conditions.some((x) => x.startsWith('count >=') || x.startsWith('count ==')) ? [] : ['count >= 1'];
  const fixed = stats.buckets.flatMap((b) => (b.spanMs ? [`bucket(${b.field}, ${b.spanMs})`] : []));
  const calendar = stats.buckets.flatMap((b) => (b.spanMs ? [] : [`per calendar bucket of ${b.field}`]));
  const condition = [...count, ...stats.conditions, ...fixed, ...[...calendar, ...stats.opaque].map((t) => `opaque(${t})`)].join(' and ');
  return { logic: tree, reads: [...reads], aggregate: { type: 'threshold', steps: stats.steps.map((p) => ({ logic: p })), groupBy: stats.by, condition } };
}

/** The fields `JSON_EXTRACT(_source, "$.a.b")` reads by path (no field reference names them). */
function jsonPaths(q: Query): string[] {
  const out: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const e = node as Partial<Extract<Expr, { type: 'call' }>>;
    const path = e.type === 'call' && e.name?.toUpperCase() === 'JSON_EXTRACT' ? e.args?.[1] : undefined;
    if (path?.type === 'literal' && path.literal.kind === 'string') out.push(path.literal.value.replace(/^\$\.?/, ''));
    Object.values(node).forEach(visit);
  };
  visit(q.commands);
  return out;
}

/** Columns GROK / DISSECT / COMPLETION add: computed from their input. */
function derived(q: Query, c: Extract<Command, { command: 'dissect' | 'grok' | 'completion' }>, env: Map<string, Column>, afterStats: boolean): readonly string[] {
  const input = c.command === 'completion' ? c.prompt : c.input;
  const from = evalColumn(q, input, env, afterStats);
  const fields = from.kind === 'field' ? [from.name] : from.kind === 'computed' ? from.fields : [];
  const names = c.command === 'completion' ? [c.target] : c.command === 'dissect' ? [...c.pattern.matchAll(/%\{[+?*&]?([^}\s:]+)/g)].map((m) => m[1]!) : c.patterns.flatMap((p) => [...p.matchAll(/%\{\w+:([^}:]+)|\(\?<([^>]+)>/g)].map((m) => (m[1] ?? m[2])!));
  for (const n of names) env.set(n, { kind: 'computed', text: `${c.command} of ${sourceText(q, input)}`, fields });
  return fields;
}

function openStats(q: Query, c: Extract<Command, { command: 'stats' }>, env: Map<string, Column>): Stats {
  const by: string[] = [];
  const buckets: { field: string; spanMs?: number }[] = [];
  const opaqueParts: string[] = [];
  const cols = new Map<string, Column>();
  for (const g of c.groups) {
    const col = evalColumn(q, g.expr, env, false);
    cols.set(g.name, col);
    if (col.kind === 'field') by.push(col.name);
    else if (col.kind === 'bucket') buckets.push({ field: col.field, ...(col.spanMs ? { spanMs: col.spanMs } : {}) });
    else opaqueParts.push(`BY ${g.name} = ${col.kind === 'computed' ? col.text : sourceText(q, g.expr)}`);
  }
  for (const a of c.aggregates) cols.set(a.name, aggregateColumn(q, a, env));
  if (c.inline) opaqueParts.push('INLINE STATS keeps every row');
  env.clear();
  for (const [k, v] of cols) env.set(k, v);
  return { by, buckets, conditions: [], opaque: opaqueParts, steps: [] };
}

function aggregateColumn(q: Query, a: AggField, env: Map<string, Column>): Column {
  const text = sourceText(q, a.expr);
  if (a.filter || a.expr.type !== 'call') return { kind: 'computed', text, fields: [] };
  const fn = a.expr.name.toUpperCase();
  const arg = a.expr.args[0];
  if (a.expr.star || (fn === 'COUNT' && a.expr.args.length === 0)) return { kind: 'aggregate', fn, text };
  const col = arg ? evalColumn(q, arg, env, false) : undefined;
  if (col?.kind === 'field') return { kind: 'aggregate', fn, field: col.name, text };
  if (col?.kind === 'case') return { kind: 'aggregate', fn, of: col, text };
  return { kind: 'computed', text, fields: [] };
}

/** One conjunct of a WHERE after STATS: a threshold, a group-key filter (into the logic) or an opaque part. */
function postStats(q: Query, e: Expr, env: Map<string, Column>, stats: Stats, logic: Predicate[]): void {
  const ctx: WhereContext = { query: q, env, afterStats: true };
  // A counted row condition becomes the next aggregate step; its bound names it by position.
  const place = (t: Threshold): string => (t.step ? (stats.steps.push(t.step), t.text.replace('countif(#)', `countif(${stats.steps.length - 1})`)) : t.text);
  const alternatives = disjuncts(e).map((x) => thresholdOf(x, env, ctx));
  if (alternatives.length > 1 && alternatives.every((a) => a !== undefined)) {
    stats.conditions.push(`(${alternatives.map((a) => place(a!)).join(' or ')})`);
    return;
  }
  const threshold = alternatives.length === 1 ? alternatives[0] : undefined;
  if (threshold) {
    stats.conditions.push(place(threshold));
    return;
  }
  const p = predicateOf(ctx, e);
  const keysOnly = !JSON.stringify(p).includes('"opaque"') && readsOnlyKeys(e, env, stats);
  if (keysOnly) logic.push(p);
  else stats.opaque.push(sourceText(q, e));
}

function disjuncts(e: Expr): Expr[] {
  return e.type === 'or' ? [...disjuncts(e.left), ...disjuncts(e.right)] : [e];
}

function readsOnlyKeys(e: Expr, env: Map<string, Column>, stats: Stats): boolean {
  let ok = true;
  const visit = (x: Expr): void => {
    if (x.type === 'field') {
      const c = env.get(x.name);
      if (!(c?.kind === 'field' && stats.by.includes(c.name))) ok = false;
    }
    for (const v of Object.values(x)) {
      if (v && typeof v === 'object' && 'type' in v) visit(v as Expr);
      if (Array.isArray(v)) for (const y of v) if (y && typeof y === 'object' && 'type' in y) visit(y as Expr);
    }
  };
  visit(e);
  return ok;
}

/**
 * `n >= 5`, `5 < n`, `d <= 1`, `d == 1` over a COUNT / COUNT_DISTINCT column →
 * `count >= 5`, `cardinality(f) <= 1`, `cardinality(f) == 1` (integers: `>` is `>= n+1`).
 */
interface Threshold {
  /** The condition part; `countif(#)` stands for the step's position until it is placed. */
  readonly text: string;
  readonly step?: Predicate;
}

function thresholdOf(e: Expr, env: Map<string, Column>, ctx: WhereContext): Threshold | undefined {
  if (e.type !== 'binary') return undefined;
  let { op, left, right } = e;
  if (left.type === 'literal' && right.type === 'field') {
    [left, right] = [right, left];
    op = op === '<' ? '>' : op === '<=' ? '>=' : op === '>' ? '<' : op === '>=' ? '<=' : op;
  }
  if (left.type !== 'field' || right.type !== 'literal' || right.literal.kind !== 'integer') return undefined;
  const col = env.get(left.name);
  if (col?.kind !== 'aggregate') return undefined;
  const n = right.literal.value;
  const bound = op === '>' ? `>= ${n + 1}` : op === '>=' ? `>= ${n}` : op === '<' ? `<= ${n - 1}` : op === '<=' ? `<= ${n}` : op === '==' ? `== ${n}` : undefined;
  if (bound === undefined) return undefined;
  if (col.fn === 'COUNT' && !col.field) return { text: `count ${bound}` };
  // COUNT(f) counts the rows where f holds a value.
  if (col.fn === 'COUNT' && col.field) return { text: `countif(#) ${bound}`, step: { kind: 'exists', field: col.field } };
  if (col.fn === 'COUNT_DISTINCT' && col.field) return { text: `cardinality(${col.field}) ${bound}` };
  if (col.of?.kind === 'case') {
    const step = countedRows(ctx, col.fn, col.of);
    const min = op === '>' ? n + 1 : op === '>=' || op === '==' ? n : undefined;
    // MAX of a 0/1 flag says "some row": only its `>= 1` reads as a count.
    if (!step || min === undefined || min < 1 || (col.fn === 'MAX' && (min !== 1 || op === '=='))) return undefined;
    return { text: `countif(#) ${op === '==' ? '==' : '>='} ${min}`, step };
  }
  return undefined;
}

/** The rows SUM(CASE(c, 1, 0)) / MAX(…) or COUNT(CASE(c, x)) counts, as a predicate; undefined when the tree cannot say. */
function countedRows(ctx: WhereContext, fn: string, col: Extract<Column, { kind: 'case' }>): Predicate | undefined {
  const lit = (c: Column | undefined, v: number | null) => (c === undefined ? v === null || v === 0 : c.kind === 'literal' && c.value === v);
  if ((fn === 'SUM' || fn === 'MAX') && col.branches.every((b) => lit(b.value, 1)) && (lit(col.otherwise, 0) || lit(col.otherwise, null))) return caseHolds(ctx, col, literalTest('==', 1));
  if (fn === 'COUNT' && (col.otherwise === undefined || lit(col.otherwise, null))) return caseHolds(ctx, col, literalTest('notnull', null));
  return undefined;
}
