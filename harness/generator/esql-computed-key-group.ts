import type { Event } from '../core/event.ts';
import type { Command, Query } from '../engines/esql/ast.ts';
import { parseEsql } from '../engines/esql/parse/parser.ts';
import { fieldGetter } from '../engines/common/fields.ts';
import { leavesOf, type Predicate } from '../engines/common/predicate.ts';
import { topBranches } from './branches.ts';
import { candidateSizes } from './esql-group-model.ts';
import { keySource, sourceOf, type KeySource } from './esql-key-source.ts';
import { modelKeeps, stackedOf } from './esql-stacked-stats.ts';
import { setField } from './event-edit.ts';
import { evaluate } from './model/evaluate.ts';
import { realisticValue, seededFaker } from './realistic.ts';
import { firstPositive, iso, T0, type Ctx, type Draft, type DraftCase } from './scaffold.ts';

/**
 * Drafts for a STATS grouped by a computed key (`EVAL h = COALESCE(TO_LOWER(host.name),
 * TO_LOWER(azure.resource.name)) | STATS … BY h`): such a key usually joins events of
 * different kinds, each meeting its own branch of the WHERE clauses and counted by its
 * own aggregate (`COUNT(is_runcommand)`, `COUNT(*) WHERE event.action == …`). The group
 * here takes one event per top-level branch (or the events of one branch), k copies
 * each, all sharing every key through its source field (esql-key-source.ts); the fields
 * COUNT_DISTINCT counts may take distinct values the WHERE clauses allow; the branches
 * in either order (for MIN / MAX timestamp comparisons). The group model
 * (esql-group-model.ts) picks the smallest mix it keeps a row for; the engine's check
 * of the draft decides. Used only when the single-kind draft does not do.
 */
const MAX_EVENTS = 500;
/** Candidate groups tried, events put through the group model, and branches drafted, at most. */
const MAX_TRIES = 80;
const MAX_MODELLED = 5000;
const MAX_BRANCHES = 24;
type Stats = Command & { command: 'stats' };

interface Plan {
  readonly before: readonly Command[];
  readonly rest: readonly Command[];
  readonly keys: readonly KeySource[];
  /** The keys' sources of the computed keys (not a plain field as stored). */
  readonly computed: readonly KeySource[];
  /** Source fields COUNT_DISTINCT counts. */
  readonly counted: readonly string[];
}

/** The plan of a single, non-inline STATS with at least one computed key; else undefined. */
export function mixedPlan(q: Query): Plan | undefined {
  const at = q.commands.findIndex((x) => x.command === 'stats');
  if (at < 0 || stackedOf(q)) return undefined;
  const stats = q.commands[at] as Stats;
  const before = q.commands.slice(0, at);
  const sources = stats.groups.map((g) => sourceOf(g.expr, before));
  // A key that is not a stored field as it is: an EVAL / expression of fields, a GROK output, a time bucket.
  const plain = stats.groups.map((g, i) => g.expr.type === 'field' && sources[i]?.field === g.expr.name && !sources[i].fold && !sources[i].rewritten);
  if (plain.every(Boolean)) return undefined;
  const computed = sources.filter((s, i): s is KeySource => s !== undefined && !plain[i]);
  const counted = stats.aggregates.flatMap((a) => (a.expr.type === 'call' && a.expr.name.toUpperCase() === 'COUNT_DISTINCT' && a.expr.args[0]?.type === 'field' ? [keySource(a.expr.args[0].name, before)?.field ?? ''] : [])).filter(Boolean);
  return { before, rest: q.commands.slice(at), keys: sources.filter((s): s is KeySource => s !== undefined), computed, counted };
}

const fold = (v: unknown, s: KeySource): unknown => (typeof v !== 'string' ? v : s.fold === 'lower' ? v.toLowerCase() : s.fold === 'upper' ? v.toUpperCase() : v);

/** Every hit holds the same value of each key's source field: the first hit's own, else a realistic one. */
function shareKeys(c: Ctx, hits: readonly Event[], keys: readonly KeySource[]): Event[] {
  const style = c.dialect === 'ecs' ? 'nested' : 'dotted';
  const f = seededFaker(c.seed + 11);
  let out = [...hits];
  for (const k of keys) {
    if (k.field === c.timeField) continue;
    const own = out.map((e) => fieldGetter(k.field)(e)[0]).find((v) => typeof v === 'string' || typeof v === 'number');
    const v = fold(own ?? realisticValue(f, k.field, c.dialect), k);
    for (const field of [k.field, ...(k.also ?? [])]) out = out.map((e) => setField(e, field, v as string, style) ?? e);
  }
  return out;
}

/** The events with each computed key's source fields set where missing (to a value another event holds, else a realistic one): the key is then not null, whichever field the event's kind reads. */
function fillComputed(c: Ctx, events: readonly Event[], computed: readonly KeySource[]): Event[] {
  const style = c.dialect === 'ecs' ? 'nested' : 'dotted';
  const f = seededFaker(c.seed + 13);
  let out = [...events];
  for (const k of computed) {
    const fields = [k.field, ...(k.also ?? [])].filter((x) => x !== c.timeField);
    if (out.every((e) => fields.every((x) => fieldGetter(x)(e).length > 0))) continue;
    const own = out.flatMap((e) => fields.map((x) => fieldGetter(x)(e)[0])).find((v) => typeof v === 'string' || typeof v === 'number');
    const v = fold(own ?? realisticValue(f, k.field, c.dialect), k) as string;
    for (const x of fields) out = out.map((e) => (fieldGetter(x)(e).length > 0 ? e : (setField(e, x, v, style) ?? e)));
  }
  return out;
}

/** Distinct values of each counted field, event by event, that keep the (relaxed) WHERE clauses true; an event keeps its value when none does. */
function varyCounted(c: Ctx, events: readonly Event[], fields: readonly string[], logic: Predicate): Event[] {
  const style = c.dialect === 'ecs' ? 'nested' : 'dotted';
  let out = [...events];
  for (const field of fields) {
    const literals = leavesOf(logic).flatMap((l) => (l.kind === 'match' && l.field === field ? [l.pattern.map((t) => (t.kind === 'text' ? t.text : 'x')).join('')] : []));
    const used = new Set<string>();
    out = out.map((e, i) => {
      const own = fieldGetter(field)(e)[0];
      const base = typeof own === 'string' || typeof own === 'number' ? own : undefined;
      const candidates = [...(base === undefined ? [] : [base]), ...literals, `${String(base ?? field.split('.').at(-1))}-${i + 1}`];
      for (const v of candidates) {
        if (used.has(String(v))) continue;
        const probe = setField(e, field, v, style);
        if (probe && evaluate(logic, probe, c.model) === 'T') {
          used.add(String(v));
          return probe;
        }
      }
      return e;
    });
  }
  return out;
}

function timed(c: Ctx, events: readonly Event[]): Event[] {
  const gap = events.length <= 10 ? 100 : Math.max(1, Math.floor(1000 / events.length));
  return events.map((e, i) => setField(e, c.timeField, iso(T0 + i * gap), c.dialect === 'ecs' ? 'nested' : 'dotted') ?? e);
}

interface Candidate {
  readonly events: Event[];
  readonly what: string;
  /** The branch each event comes from (its position in the hits). */
  readonly branch: readonly number[];
}

/**
 * The candidate groups, fewest copies first, built only as they are tried: k copies of
 * every branch's event (both orders), then of one branch's; each plain, then with the
 * counted fields varied.
 */
function* candidates(c: Ctx, plan: Plan, hits: readonly Event[], logic: Predicate): Generator<Candidate> {
  const all = hits.map((_, i) => i);
  const mixes: { parts: number[]; what: string }[] = hits.length > 1 ? [{ parts: all, what: 'one event per branch' }, { parts: [...all].reverse(), what: 'one event per branch, last branch first' }] : [];
  all.forEach((i) => mixes.push({ parts: [i], what: `branch ${i + 1}` }));
  const plans = candidateSizes(plan.rest, MAX_EVENTS).flatMap((k) => mixes.filter((m) => m.parts.length * k <= MAX_EVENTS).map((m) => ({ k, m })));
  // Fewest copies first; at each, every branch together before any one branch alone.
  plans.sort((x, y) => x.k - y.k || mixes.indexOf(x.m) - mixes.indexOf(y.m));
  for (const { k, m } of plans) {
    const branch = m.parts.flatMap((i) => Array.from({ length: k }, () => i));
    const group = branch.map((i) => hits[i]!);
    yield { events: timed(c, group), what: `${k} × ${m.what}`, branch };
    if (plan.counted.length) yield { events: timed(c, varyCounted(c, group, plan.counted, logic)), what: `${k} × ${m.what}, distinct ${plan.counted.join(', ')}`, branch };
  }
}

/** The first candidate the group model keeps a row for, within MAX_TRIES candidates and MAX_MODELLED events (a bound on drafting time). */
function firstKept(c: Ctx, plan: Plan, hits: readonly Event[], logic: Predicate): Candidate | undefined {
  let tries = 0;
  let modelled = 0;
  for (const g of candidates(c, plan, hits, logic)) {
    if (modelKeeps(plan, g.events, c.timeField)) return g;
    modelled += g.events.length;
    if (++tries >= MAX_TRIES || modelled >= MAX_MODELLED) return undefined;
  }
  return undefined;
}

/** Near misses of a mixed group: the group without one branch's events, when the model says no row is left. */
function withoutBranches(c: Ctx, plan: Plan, g: Candidate): DraftCase[] {
  const out: DraftCase[] = [];
  for (const b of new Set(g.branch)) {
    const events = g.events.filter((_, i) => g.branch[i] !== b);
    if (events.length === 0 || modelKeeps(plan, events, c.timeField)) continue;
    out.push({ name: `near miss: without the branch ${b + 1} event(s)`, expect: { kind: 'none' }, events, comment: `negative — the group lacks the kind of event branch ${b + 1} of the WHERE clauses stands for`, role: 'negative' });
  }
  return out;
}

/** The draft with a mixed group as its positive when the query groups by a computed key and the single-kind draft does not meet the conditions after STATS. */
export function plantComputedKeyGroup(c: Ctx, d: Draft): Draft {
  const query = c.detector.rule.body.query;
  if (typeof query !== 'string' || !c.constraints.aggregate) return d;
  let plan: Plan | undefined;
  try {
    plan = mixedPlan(parseEsql(query));
  } catch {
    return d;
  }
  if (!plan) return d;
  // The caller passes the context with opaque clauses assumed (esql-draft.ts assumeOpaque).
  const logic = c.constraints.logic;
  const positive = d.cases.find((k) => k.role === 'positive');
  if (positive && positive.events.every((e) => evaluate(logic, e, c.model) === 'T') && modelKeeps(plan, positive.events, c.timeField)) {
    const filled = fillComputed(c, positive.events, plan.computed);
    if (filled.every((e, i) => e === positive.events[i])) return d;
    const cases = d.cases.map((k) => (k === positive ? { ...k, events: filled } : k));
    return { ...d, cases, notes: [...d.notes, `positive: ${plan.computed.map((k) => k.field).join(', ')} set where missing (the source of a computed STATS key)`] };
  }
  const hits = topBranches(logic).slice(0, MAX_BRANCHES).flatMap((b, i): Event[] => {
    const hit = firstPositive(c, b.predicate, c.seed * 1000 + 97 * i, T0);
    return hit ? [hit.event] : [];
  });
  if (!hits.length) return d;
  const chosen = firstKept(c, plan, shareKeys(c, hits, plan.keys), logic);
  if (!chosen) return d;
  const keys = plan.keys.map((k) => k.field).join(', ');
  const cases: DraftCase[] = [{ name: `${chosen.events.length} events in one group (${chosen.what})`.slice(0, 120), expect: { kind: 'alert' }, events: chosen.events, comment: `positive: the events share ${keys}, set through the source fields of the computed keys`, role: 'positive' }, ...withoutBranches(c, plan, chosen)];
  // The single-kind draft's near misses were built around its own positive: they go with it.
  return { ...d, cases, notes: [...d.notes, `positive: ${chosen.what}, sharing ${keys} (the group model's smallest mix)`] };
}
