import type { Event } from '../core/event.ts';
import type { AggField, Command, Expr } from '../engines/esql/ast.ts';
import { fieldGetter } from '../engines/common/fields.ts';
import { walk } from './esql-plant.ts';
import { evalExpr, UNIT_MS, UNKNOWN, type Maybe, type RowEnv, type Scalar, type Val } from './esql-row-eval.ts';

/**
 * The generator's model of what the commands from the first STATS on make of
 * drafted events: the events are evaluated through the EVALs before that STATS
 * (esql-row-eval.ts), each group's aggregates are computed from its events,
 * and the rows then go through every later command — a WHERE drops the rows its
 * condition makes false or null (an UNKNOWN condition keeps them: the engine's
 * check decides), an EVAL adds columns, a second STATS aggregates all the rows
 * into one (the drafted events share its keys). The model says whether a row
 * is left at the end. Aggregates it does not know are UNKNOWN.
 */
type Row = ReadonlyMap<string, Maybe>;
type Stats = Command & { command: 'stats' };

const scalarOf = (x: unknown): Scalar | undefined => (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean' ? x : undefined);

/**
 * The columns of an event after the commands before the first STATS (WHEREs are the
 * predicate model's business). The time field reads as epoch milliseconds, as ES|QL dates are.
 */
export function eventEnv(event: Event, before: readonly Command[], timeField = '@timestamp'): RowEnv {
  const source: RowEnv = (name) => {
    const vs = fieldGetter(name)(event);
    if (name === timeField && vs.length === 1 && typeof vs[0] === 'string') return Number.isNaN(Date.parse(vs[0])) ? UNKNOWN : Date.parse(vs[0]);
    if (vs.length === 0) return null;
    const scalars = vs.map(scalarOf);
    if (scalars.some((s) => s === undefined)) return UNKNOWN;
    return scalars.length === 1 ? scalars[0]! : (scalars as Scalar[]);
  };
  let env = source;
  for (const c of before) {
    if (c.command === 'eval') {
      for (const f of c.fields) {
        const prev = env;
        const v = evalExpr(f.expr, prev);
        env = (n) => (n === f.name ? v : prev(n));
      }
    } else if (c.command === 'rename') {
      for (const r of c.renames) {
        const prev = env;
        env = (n) => (n === r.to.pattern ? prev(r.from.pattern) : n === r.from.pattern ? UNKNOWN : prev(n));
      }
    } else if (c.command === 'grok' || c.command === 'dissect' || c.command === 'completion') {
      // Their columns are GROK / DISSECT output: the planting modules fill them, the model cannot say.
      const prev = env;
      const text = c.command === 'grok' ? c.patterns.join(' ') : c.command === 'dissect' ? c.pattern : c.target;
      env = (n) => (text.includes(n) ? UNKNOWN : prev(n));
    }
  }
  return env;
}

const flat = (vs: readonly Maybe[]): Scalar[] | typeof UNKNOWN => {
  if (vs.includes(UNKNOWN)) return UNKNOWN;
  return (vs as Val[]).flatMap((v) => (v === null ? [] : Array.isArray(v) ? (v as Scalar[]) : [v as Scalar]));
};
const nums = (vs: Scalar[]): number[] | undefined => (vs.every((v) => typeof v === 'number') ? (vs as number[]) : undefined);
const ordered = (vs: Scalar[]): Scalar[] => [...vs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/** An aggregate over the values its argument takes in each row of a group (COUNT(*) is the row count). */
function aggregate(a: AggField, rows: readonly RowEnv[]): Maybe {
  const e = a.expr;
  if (e.type !== 'call') return UNKNOWN;
  const kept: RowEnv[] = [];
  for (const r of rows) {
    const f = a.filter ? evalExpr(a.filter, r) : true;
    if (f === UNKNOWN) return UNKNOWN;
    if (f === true) kept.push(r);
  }
  const fn = e.name.toUpperCase();
  if (fn === 'COUNT' && (e.star || e.args.length === 0)) return kept.length;
  const arg = e.args[0];
  if (!arg) return UNKNOWN;
  const vs = flat(kept.map((r) => evalExpr(arg, r)));
  if (vs === UNKNOWN) return UNKNOWN;
  const n = nums(vs);
  switch (fn) {
    case 'COUNT':
      return vs.length;
    case 'COUNT_DISTINCT':
      return new Set(vs.map((v) => JSON.stringify(v))).size;
    case 'SUM':
      return !n ? UNKNOWN : n.length ? n.reduce((x, y) => x + y, 0) : null;
    case 'AVG':
      return !n ? UNKNOWN : n.length ? n.reduce((x, y) => x + y, 0) / n.length : null;
    case 'MIN':
      return vs.length ? ordered(vs)[0]! : null;
    case 'MAX':
      return vs.length ? ordered(vs).at(-1)! : null;
    case 'VALUES': {
      const distinct = [...new Map(vs.map((v) => [JSON.stringify(v), v])).values()];
      return distinct.length === 0 ? null : distinct.length === 1 ? distinct[0]! : ordered(distinct);
    }
    default:
      return UNKNOWN;
  }
}

const rowEnv = (row: Row, fallback?: RowEnv): RowEnv => (n) => (row.has(n) ? row.get(n)! : fallback ? fallback(n) : UNKNOWN);

/** One STATS over `rows` (each a RowEnv): one row per group, keyed by the group-key values; INLINE keeps every row. */
function stats(cmd: Stats, rows: readonly RowEnv[]): RowEnv[] {
  const groups = new Map<string, RowEnv[]>();
  for (const r of rows) {
    const key = JSON.stringify(cmd.groups.map((g) => {
      const v = evalExpr(g.expr, r);
      return v === UNKNOWN ? '?' : v;
    }));
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const out: RowEnv[] = [];
  for (const members of groups.values()) {
    const row = new Map<string, Maybe>();
    for (const a of cmd.aggregates) row.set(a.name, aggregate(a, members));
    for (const g of cmd.groups) row.set(g.name, evalExpr(g.expr, members[0]!));
    if (cmd.inline) for (const m of members) out.push(rowEnv(row, m));
    else out.push(rowEnv(row));
  }
  return out;
}

/** The rows left after `commands`, from the event columns `events` (each one event after the commands before the first STATS). */
export function rowsAfter(commands: readonly Command[], events: readonly RowEnv[]): RowEnv[] {
  let rows: RowEnv[] = [...events];
  for (const c of commands) {
    switch (c.command) {
      case 'stats':
        rows = stats(c, rows);
        break;
      case 'where':
        rows = rows.filter((r) => {
          const v = evalExpr(c.condition, r);
          return v === true || v === UNKNOWN;
        });
        break;
      case 'eval':
        rows = rows.map((r) => {
          let env = r;
          for (const f of c.fields) {
            const prev = env;
            const v = evalExpr(f.expr, prev);
            env = (n) => (n === f.name ? v : prev(n));
          }
          return env;
        });
        break;
      case 'rename':
        rows = rows.map((r) => (n) => {
          const from = c.renames.find((x) => x.to.pattern === n);
          return from ? r(from.from.pattern) : r(n);
        });
        break;
      case 'grok':
      case 'dissect':
      case 'mv_expand':
      case 'completion':
        // Columns the model cannot follow: what reads them is UNKNOWN from here on.
        rows = rows.map(() => () => UNKNOWN);
        break;
      default:
        break;
    }
    if (rows.length === 0) break;
  }
  return rows;
}

/** Every expression node of the WHERE, EVAL and STATS aggregate commands among `commands`. */
function* expressions(commands: readonly Command[]): Generator<Expr> {
  for (const c of commands) {
    const roots = c.command === 'where' ? [c.condition] : c.command === 'eval' ? c.fields.map((f) => f.expr) : c.command === 'stats' ? c.aggregates.map((a) => a.expr) : [];
    for (const r of roots) yield* walk(r);
  }
}

const numberOf = (e: Expr): number | undefined => (e.type === 'literal' && (e.literal.kind === 'integer' || e.literal.kind === 'double') ? e.literal.value : undefined);

/** Numbers a query compares with after its first STATS (and their neighbours): the candidate group counts and sizes. */
export function candidateSizes(commands: readonly Command[], limit: number): number[] {
  const literals = [...expressions(commands)].flatMap((e) => numberOf(e) ?? []).map(Math.abs);
  const out = new Set<number>([1, 2, 3, 4, 5, 6]);
  for (const l of literals) for (const x of [Math.floor(l) - 1, Math.floor(l), Math.floor(l) + 1]) out.add(x);
  for (const a of literals) for (const b of literals) if (b >= 1) for (const x of [Math.ceil(a / b), Math.ceil(a / b) + 1]) out.add(x);
  return [...out].filter((x) => x >= 1 && x <= limit).sort((a, b) => a - b);
}

/**
 * Time spans worth trying for the drafted events when commands after the first STATS
 * take a DATE_DIFF (`DATE_DIFF("minute", first_seen, last_seen) >= 5`): one more unit
 * than each number the query compares with, in each unit it names. 0 (all events
 * within a second) comes first.
 */
export function candidateSpans(commands: readonly Command[], limitMs: number): number[] {
  const all = [...expressions(commands)];
  const units = all.flatMap((e) => {
    const unit = e.type === 'call' && e.name.toUpperCase() === 'DATE_DIFF' && e.args[0]?.type === 'literal' && e.args[0].literal.kind === 'string' ? e.args[0].literal.value : undefined;
    const ms = unit === undefined ? undefined : UNIT_MS[unit.toLowerCase().replace(/s$/, '')];
    return ms && ms >= 1000 ? [ms] : [];
  });
  const numbers = all.flatMap((e) => numberOf(e) ?? []);
  const spans = new Set<number>([0]);
  for (const u of units) for (const n of numbers) if (n >= 0) spans.add((Math.floor(n) + 1) * u);
  return [...spans].filter((s) => s < limitMs).sort((a, b) => a - b);
}
