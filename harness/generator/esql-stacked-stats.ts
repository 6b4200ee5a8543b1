import type { Event } from '../core/event.ts';
import type { Command, Query } from '../engines/esql/ast.ts';
import { parseEsql } from '../engines/esql/parse/parser.ts';
import { fieldGetter } from '../engines/common/fields.ts';
import { ruleWindow } from '../engines/esql/rule/window.ts';
import { candidateSizes, candidateSpans, eventEnv, rowsAfter } from './esql-group-model.ts';
import { keySource, type KeySource } from './esql-key-source.ts';
import { setField } from './event-edit.ts';
import { iso, T0, uniqueNames, type Ctx, type Draft, type DraftCase } from './scaffold.ts';

/**
 * Drafts for stacked aggregations: a second STATS over the rows of the first
 * (`STATS n = COUNT(*) BY ip, user | STATS users = COUNT(*), total = SUM(n) BY ip
 * | WHERE users >= 15 AND total >= 25`) or an INLINE STATS whose group columns
 * later commands read. The positive is N inner groups of M events each: the
 * events share every key of the later STATS and differ, group by group, in the
 * first STATS' own keys (set through their source field, esql-key-source.ts).
 * N and M are the smallest total the group model (esql-group-model.ts) says
 * leaves a row, tried over the numbers the query compares with; the engine's
 * check of the draft decides. Near misses: one group fewer, one event fewer per
 * group, when the model says they leave no row.
 */
const MAX_EVENTS = 500;
/** Events put through the group model at most, over all the shapes tried. */
const MAX_MODELLED = 20_000;

type Stats = Command & { command: 'stats' };

export interface Stacked {
  /** Commands before the first STATS. */
  readonly before: readonly Command[];
  /** The first STATS and everything after it. */
  readonly rest: readonly Command[];
  /** The first STATS' keys that later STATS do not group by, with the source field that sets each. */
  readonly inner: readonly { readonly key: string; readonly source: KeySource }[];
  /** Inner keys that have no source field: the groups cannot be told apart (N is 1). */
  readonly fixed: boolean;
}

export interface Shape {
  readonly groups: number;
  readonly perGroup: number;
  /** The events spread evenly over this many ms (0: within one second). */
  readonly spanMs?: number;
}

/** The stacked form of a query: a STATS followed by another STATS, or an INLINE STATS first; else undefined. */
export function stackedOf(q: Query): Stacked | undefined {
  const at = q.commands.findIndex((c) => c.command === 'stats');
  if (at < 0) return undefined;
  const first = q.commands[at] as Stats;
  const rest = q.commands.slice(at);
  const later = rest.slice(1).filter((c): c is Stats => c.command === 'stats');
  if (later.length === 0 && !first.inline) return undefined;
  const before = q.commands.slice(0, at);
  const outerKeys = new Set(later[0]?.groups.map((g) => g.name) ?? []);
  const own = later.length ? first.groups.filter((g) => !outerKeys.has(g.name)) : [];
  const inner = own.flatMap((g) => {
    const source = g.expr.type === 'field' ? keySource(g.expr.name, before) : undefined;
    return source ? [{ key: g.name, source }] : [];
  });
  return { before, rest, inner, fixed: inner.length === 0 };
}

/** Group i's value of a key whose first group holds `base`: an address stays an address, a number a number. */
function variant(base: unknown, i: number, source: KeySource): unknown {
  if (i === 0 && base !== undefined && base !== null) return base;
  if (typeof base === 'number') return base + i;
  const text = typeof base === 'string' ? base : source.field.split('.').at(-1)!;
  const ip = /^(\d{1,3}\.\d{1,3}\.\d{1,3}\.)(\d{1,3})$/.exec(text);
  const v = ip ? `${ip[1]!}${(Number(ip[2]) + i) % 250 + 1}` : `${text}-${i}`;
  return source.fold === 'lower' ? v.toLowerCase() : source.fold === 'upper' ? v.toUpperCase() : v;
}

/** N groups of M copies of `hit`, group by group differing in the inner keys' source fields, timed within one second of T0. */
export function stackedEvents(c: Pick<Ctx, 'dialect' | 'timeField'>, s: Stacked, hit: Event, shape: Shape): Event[] {
  const style = c.dialect === 'ecs' ? 'nested' : 'dotted';
  const total = shape.groups * shape.perGroup;
  const gap = shape.spanMs && total > 1 ? Math.floor(shape.spanMs / (total - 1)) : total <= 10 ? 100 : Math.max(1, Math.floor(1000 / total));
  const out: Event[] = [];
  for (let i = 0; i < shape.groups; i++) {
    let e = hit;
    for (const k of s.inner) {
      const v = variant(fieldGetter(k.source.field)(hit)[0], i, k.source) as string;
      for (const f of [k.source.field, ...(k.source.also ?? [])]) e = setField(e, f, v, style) ?? e;
    }
    for (let j = 0; j < shape.perGroup; j++) out.push(setField(e, c.timeField, iso(T0 + out.length * gap), style) ?? e);
  }
  return out;
}

/** Does the group model leave a row for these events? */
export function modelKeeps(s: Pick<Stacked, 'before' | 'rest'>, events: readonly Event[], timeField = '@timestamp'): boolean {
  return rowsAfter(s.rest, events.map((e) => eventEnv(e, s.before, timeField))).length > 0;
}

/** The smallest shape (fewest events, then fewest groups, then the shortest span) the model keeps a row for; spans stay inside the look-back `windowMs`. */
export function smallestShape(c: Pick<Ctx, 'dialect' | 'timeField'>, s: Stacked, hit: Event, windowMs = Infinity): Shape | undefined {
  const sizes = candidateSizes(s.rest, MAX_EVENTS);
  const spans = candidateSpans(s.rest, windowMs);
  const shapes: Shape[] = [];
  for (const groups of s.fixed ? [1] : sizes) for (const perGroup of sizes) for (const spanMs of spans) if (groups * perGroup <= MAX_EVENTS) shapes.push({ groups, perGroup, spanMs });
  shapes.sort((a, b) => a.groups * a.perGroup - b.groups * b.perGroup || a.groups - b.groups || (a.spanMs ?? 0) - (b.spanMs ?? 0));
  // A bound on drafting time: at most MAX_MODELLED events go through the group model.
  let modelled = 0;
  for (const shape of shapes) {
    modelled += shape.groups * shape.perGroup;
    if (modelled > MAX_MODELLED) return undefined;
    if (modelKeeps(s, stackedEvents(c, s, hit, shape), c.timeField)) return shape;
  }
  return undefined;
}

/** The rule's look-back in ms (a span of the events must fit in it); unbounded when its `from` does not read. */
function lookBackMs(c: Ctx): number {
  try {
    // `from` is an offset back from now (negative).
    return Math.abs(ruleWindow(c.detector.rule.body).fromMs);
  } catch {
    return Infinity;
  }
}

/** The draft with its positive replaced by a stacked group shape (and its near misses), for a stacked query. */
export function plantStacked(c: Ctx, d: Draft): Draft {
  const query = c.detector.rule.body.query;
  if (typeof query !== 'string' || !/\bstats\b[\s\S]*\bstats\b|inline\s+stats/i.test(query)) return d;
  let s: Stacked | undefined;
  try {
    s = stackedOf(parseEsql(query));
  } catch {
    return d;
  }
  const hit = d.cases.find((k) => k.role === 'positive')?.events[0];
  if (!s || !hit) return d;
  const shape = smallestShape(c, s, hit, lookBackMs(c));
  if (!shape) return { ...d, notes: [...d.notes, `no shape of at most ${MAX_EVENTS} events (groups × events per group) meets the conditions after the first STATS — write the positive by hand`] };
  const keys = s.inner.map((k) => k.key).join(', ') || 'the first STATS keys';
  const cases: DraftCase[] = [
    { name: `${shape.groups} group(s) of ${shape.perGroup} event(s)${shape.spanMs ? ` over ${shape.spanMs / 1000} s` : ''}`, expect: { kind: 'alert' }, events: stackedEvents(c, s, hit, shape), comment: `positive: ${shape.groups} distinct ${keys}, ${shape.perGroup} event(s) each, aggregated again by the later STATS`, role: 'positive' },
  ];
  const misses: [Shape, string][] = [
    [{ ...shape, groups: shape.groups - 1 }, `one group fewer (${keys})`],
    [{ ...shape, perGroup: shape.perGroup - 1 }, 'one event fewer in each group'],
    ...(shape.spanMs ? ([[{ ...shape, spanMs: 0 }, 'the events within one second']] as [Shape, string][]) : []),
  ];
  for (const [m, what] of misses) {
    if (m.groups < 1 || m.perGroup < 1) continue;
    const events = stackedEvents(c, s, hit, m);
    if (!modelKeeps(s, events, c.timeField)) cases.push({ name: `near miss: ${what}`, expect: { kind: 'none' }, events, comment: `negative — ${m.groups} group(s) of ${m.perGroup} event(s)`, role: 'negative' });
  }
  return { ...d, cases: uniqueNames(cases), notes: [...d.notes, `positive: ${shape.groups} group(s) of ${shape.perGroup} event(s), the smallest shape the group model keeps (esql-group-model)`] };
}
