import type { Event } from '../core/event.ts';
import { fieldGetter } from '../engines/common/fields.ts';
import { and, leavesOf, not, or, type Predicate } from '../engines/common/predicate.ts';
import { aggregateNearMisses } from './aggregate-near-miss.ts';
import { setField } from './event-edit.ts';
import { plantDissected } from './esql-dissect-plant.ts';
import { plantGrokked } from './esql-grok-plant.ts';
import { plantComputedKeyGroup } from './esql-computed-key-group.ts';
import { withNeedsGroups } from './esql-needs-group.ts';
import { plantStacked } from './esql-stacked-stats.ts';
import { plantCountedPatterns } from './esql-plant.ts';
import { repairRowClauses } from './esql-row-repair.ts';
import { evaluate } from './model/evaluate.ts';
import { modelAlertCount, parseThreshold, type Bound } from './model/threshold.ts';
import { realisticValue, seededFaker } from './realistic.ts';
import { firstPositive, iso, shareKeys, T0, uniqueNames, type Ctx, type Draft, type DraftCase } from './scaffold.ts';

/**
 * Drafts for ES|QL rules (`rule.language == "esql"`). A STATS rule gets one
 * group of events that meets every bound of its condition (`count >= n`,
 * `cardinality(f) == 1`, …: the smallest count that does, the needed distinct
 * values), plus the aggregate near misses of that group (one short, a key
 * split, a WHERE constraint broken in every event). Condition parts the model
 * cannot decide (`opaque(…)`: a time bucket, a second STATS, arithmetic on the
 * counts) are named in the notes; the engine's check of the draft (scaffold-rule.ts)
 * then keeps only the cases it confirms. Every event gets a time inside the look-back.
 */
const MAX_EVENTS = 500;

interface Range {
  lo: number;
  hi: number;
}

function rangeOf(bounds: readonly Bound[], subject: (b: Bound) => boolean): Range {
  const r = { lo: 0, hi: Infinity };
  for (const b of bounds.filter(subject)) {
    if (b.op === '>=' || b.op === '==') r.lo = Math.max(r.lo, b.n);
    if (b.op === '<=' || b.op === '==') r.hi = Math.min(r.hi, b.n);
  }
  return r;
}

/** Events within one second of T0 (a whole hour), in order: the smallest DATE_TRUNC bucket of the corpus holds them all. */
function times(n: number): number[] {
  const gap = n <= 10 ? 100 : Math.max(1, Math.floor(1000 / n));
  return Array.from({ length: n }, (_, i) => T0 + i * gap);
}

function draftStats(c: Ctx): Draft {
  const agg = c.constraints.aggregate!;
  const parsed = parseThreshold(agg.condition);
  // An `(a or b)` part is met through its first bound.
  const model = { ...parsed, bounds: [...parsed.bounds, ...parsed.alternatives.map((alts) => alts[0]!)] };
  // Every drafted row meets the counted row conditions too: countif(k) >= n then holds with the count.
  const count = rangeOf(model.bounds, (b) => b.subject.kind === 'count' || (b.subject.kind === 'countif' && b.op !== '<='));
  const rowConditions = [...new Set(model.bounds.flatMap((b) => (b.subject.kind === 'countif' && b.op !== '<=' ? [b.subject.step] : [])))].flatMap((k) => (agg.steps[k] ? [agg.steps[k]!.logic] : []));
  const fields = [...new Set(model.bounds.flatMap((b) => (b.subject.kind === 'cardinality' ? [b.subject.field] : [])))];
  const card = new Map(fields.map((f) => [f, rangeOf(model.bounds, (b) => b.subject.kind === 'cardinality' && b.subject.field === f)]));
  const total = Math.max(1, count.lo, ...[...card.values()].map((r) => r.lo));
  if (total > count.hi || [...card.values()].some((r) => r.lo > r.hi || r.lo > total)) return { cases: [], notes: [], unsupported: `the bounds of '${agg.condition ?? ''}' leave no group size` };
  if (total > MAX_EVENTS) return { cases: [], notes: [], unsupported: `a group needs ${total} events (more than ${MAX_EVENTS})` };
  const hit = firstPositive(c, rowConditions.length ? and([c.constraints.logic, ...rowConditions]) : c.constraints.logic, c.seed * 1000, T0);
  if (!hit) return { cases: [], notes: ['no event satisfying the WHERE clauses was found — write the cases by hand'] };
  const style = c.dialect === 'ecs' ? 'nested' : 'dotted';
  const f = seededFaker(c.seed + 5);
  let events: Event[] = times(total).map((t) => setField(hit.event, c.timeField, iso(t)) ?? hit.event);
  events = shareKeys(c, events, agg.groupBy.length, () => agg.groupBy, c.seed);
  for (const [field, r] of card) {
    const values = distinctValues(c, hit.event, field, Math.max(1, r.lo), f);
    // The i-th event takes the i-th value (the last one from there on).
    events = events.map((e, i) => setField(e, field, values[Math.min(i, values.length - 1)], style) ?? e);
  }
  const notes: string[] = [];
  if (!events.every((e) => evaluate(c.constraints.logic, e, c.model) === 'T')) notes.push('the group / counted fields are also constrained by the WHERE clauses: check the draft');
  if (model.opaque.length) notes.push(`condition parts the generator does not model (the engine's check decides the draft): ${model.opaque.join(' and ').slice(0, 300)}`);
  const grouped = agg.groupBy.length ? ` grouped by ${agg.groupBy.join(', ')}` : '';
  const cases: DraftCase[] = [{ name: `${total} events in one group`, expect: { kind: 'alert' }, events, comment: `positive: ${agg.condition ?? ''}${grouped}`, role: 'positive' }];
  if (modelAlertCount(c.constraints, events, c.model) === 1) {
    for (const nm of aggregateNearMisses(c.constraints, events, c.model, c.dialect, c.seed)) cases.push({ name: `near miss: ${nm.constraint}`.slice(0, 120), expect: { kind: 'none' }, events: nm.events, comment: `negative — ${nm.description}`, role: 'negative' });
  } else if (count.lo >= 2) {
    cases.push({ name: `${count.lo - 1} events, one short`, expect: { kind: 'none' }, events: events.slice(0, count.lo - 1), comment: `negative: just below ${agg.condition ?? 'the threshold'}`, role: 'negative' });
  }
  return { cases: uniqueNames(cases), notes };
}

/**
 * `want` distinct values for a counted field that keep the WHERE clauses true: the
 * positive's own value first, then the literals the clauses name for the field
 * (`event.action IN ("a", "b", "c")`), then the value with a suffix.
 */
function distinctValues(c: Ctx, event: Event, field: string, want: number, f: ReturnType<typeof seededFaker>): unknown[] {
  const base = fieldGetter(field)(event)[0] ?? realisticValue(f, field, c.dialect);
  const literals = leavesOf(c.constraints.logic).flatMap((l) => (l.kind === 'match' && l.field === field ? [l.pattern.map((t) => (t.kind === 'text' ? t.text : 'x')).join('')] : []));
  const candidates = [base, ...literals, ...Array.from({ length: want * 2 }, (_, i) => `${String(base)}-${i + 1}`)];
  const out: unknown[] = [];
  for (const v of candidates) {
    if (out.length >= want) break;
    if (out.some((x) => String(x) === String(v))) continue;
    const probe = setField(event, field, v, c.dialect === 'ecs' ? 'nested' : 'dotted');
    if (probe && evaluate(c.constraints.logic, probe, c.model) === 'T') out.push(v);
  }
  // Fall back to suffixed values (the note on constrained fields says to check them).
  for (let i = 1; out.length < want; i++) out.push(`${String(base)}-x${i}`);
  return out;
}

/** Every event of every case carries a time (ES|QL rules read only events inside their look-back). */
function timed(c: Ctx, d: Draft): Draft {
  const cases = d.cases.map((k) => ({ ...k, events: k.events.map((e, i) => (fieldGetter(c.timeField)(e).length ? e : (setField(e, c.timeField, iso(T0 + i * 1000)) ?? e))) }));
  return { ...d, cases };
}

/**
 * The tree with each opaque clause taken as holding (false under a NOT): the
 * draft satisfies everything the generator understands, and the engine's check
 * of the draft decides the rest.
 */
export function assumeOpaque(p: Predicate, negated = false): Predicate {
  switch (p.kind) {
    case 'and':
      return and(p.children.map((c) => assumeOpaque(c, negated)), p.label);
    case 'or':
      return or(p.children.map((c) => assumeOpaque(c, negated)), p.label);
    case 'not':
      return not(assumeOpaque(p.child, !negated), p.label);
    case 'opaque':
      return { kind: 'const', value: !negated, label: `assumed: ${p.description}` };
    default:
      return p;
  }
}

/** An ES|QL rule's draft: its opaque clauses assumed (and named in the notes), every event timed. */
export function draftEsql(c: Ctx, single: (c: Ctx) => Draft): Draft {
  const opaque = leavesOf(c.constraints.logic).flatMap((l) => (l.kind === 'opaque' ? [l.description] : []));
  const agg = c.constraints.aggregate;
  const relaxed: Ctx = { ...c, constraints: { ...c.constraints, logic: assumeOpaque(c.constraints.logic), ...(agg ? { aggregate: { ...agg, steps: agg.steps.map((s) => ({ ...s, logic: assumeOpaque(s.logic) })) } } : {}) } };
  // Groups of counted kinds of rows (needs-group), stacked STATS, then groups joined on a computed key.
  const d = plantComputedKeyGroup(relaxed, plantStacked(c, c.constraints.aggregate ? withNeedsGroups(relaxed, draftStats(relaxed)) : single(relaxed)));
  const notes = opaque.length ? [`clauses the generator does not model were assumed to hold (the engine's check decides the draft): ${opaque.join(' | ').slice(0, 300)}`, ...d.notes] : d.notes;
  return repairRowClauses(c, timed(c, plantGrokked(c, plantDissected(c, plantCountedPatterns(c, { ...d, notes })))));
}
