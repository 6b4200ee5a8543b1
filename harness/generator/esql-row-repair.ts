import type { Event } from '../core/event.ts';
import { fieldGetter } from '../engines/common/fields.ts';
import type { Expr, Query } from '../engines/esql/ast.ts';
import { parseEsql } from '../engines/esql/parse/parser.ts';
import { RowProgress, type Progress } from '../engines/esql/rule/row-progress.ts';
import { tableTyping } from '../engines/esql/rule/tables.ts';
import { ecsMapping } from '../mapping/index.ts';
import type { Assignment } from './esql-assignment.ts';
import { definitionsBefore } from './esql-defs.ts';
import { wantsTrue, type WantContext } from './esql-want.ts';
import { sampledTexts } from './esql-want-sampled.ts';
import { REMOVE, removeField, setField } from './event-edit.ts';
import type { Faker } from '@faker-js/faker';
import { realisticValue, seededFaker } from './realistic.ts';
import { iso, T0, type Ctx, type Draft, type DraftCase } from './scaffold.ts';

/**
 * The row-level WHERE clauses (before the first STATS) that the constraint
 * model leaves opaque — conditions on EVAL outputs, field-to-field
 * comparisons, KQL with `not`, MATCH, LENGTH / MV_COUNT bounds — met by
 * search: the engine runs the query's row-level part on a positive event
 * (RowProgress), the first conjunct it fails is read backwards through the
 * EVAL chain into candidate edits (esql-want.ts), and an edit is kept when the
 * engine then passes more conjuncts. Positives only; the engine's check of the
 * whole draft still decides whether a case is kept.
 */
const ROUNDS = 16;
const PROTECTED = new Set(['_index', '_id']);

interface Search {
  readonly query: Query;
  readonly progress: RowProgress;
}

function searchOf(c: Ctx): Search | undefined {
  const text = c.detector.rule.body.query;
  if (typeof text !== 'string') return undefined;
  try {
    const query = parseEsql(text);
    const progress = new RowProgress(query, tableTyping(query, ecsMapping()));
    return progress.total ? { query, progress } : undefined;
  } catch {
    return undefined;
  }
}

/** NOW() of a run that sees the event: its own time. */
function timeOf(c: Ctx, e: Event): number {
  const t = Date.parse(String(fieldGetter(c.timeField)(e)[0] ?? ''));
  return Number.isNaN(t) ? T0 : t;
}

/** The engine's progress on the event, undefined when the query does not compile over its table (a field typed otherwise by its value). */
function progressOf(c: Ctx, s: Search, e: Event): Progress | undefined {
  try {
    return s.progress.of(e, timeOf(c, e));
  } catch {
    return undefined;
  }
}

const passes = (p: Progress | undefined): boolean => p !== undefined && p.failing === undefined;

function apply(c: Ctx, e: Event, a: Assignment): Event {
  let out = e;
  for (const [f, v] of a) out = v === REMOVE ? removeField(out, f) : (setField(out, f, v, c.dialect === 'ecs' ? 'nested' : 'dotted') ?? out);
  return out;
}

/** The event edited until every row-level conjunct passes, as far as the search gets (the event itself when it gets nowhere), and the edits made. */
function repairEvent(c: Ctx, s: Search, event: Event, faker: Faker): { event: Event; edits: Assignment } {
  let cur = event;
  const first = progressOf(c, s, cur);
  if (!first) return { event, edits: new Map() };
  let p = first;
  const start = p.passed;
  let edits: Assignment = new Map();
  for (let round = 0; round < ROUNDS && p.failing; round++) {
    const failing = p.failing;
    const here = cur;
    const fresh = new Map<string, unknown>();
    const evaluate = (x: Expr): unknown => failing.rows.map((r) => failing.evaluate(x, r)).find((v) => v !== null && v !== undefined);
    const w: WantContext = {
      defs: definitionsBefore(s.progress.commands, failing.command),
      current: (f) => fieldGetter(f)(here)[0],
      // One fresh value per field and round: two parts of a condition asking the same field agree.
      anyValue: (f) => (fresh.has(f) ? fresh.get(f) : (fresh.set(f, realisticValue(faker, f, c.dialect)), fresh.get(f))),
      evaluate,
      column: (name) => evaluate({ type: 'field', name, start: 0, end: 0 }),
      seed: c.seed,
      constant: (x) => s.progress.constant(x),
    };
    const from = cur;
    const tryAll = (candidates: readonly Assignment[]): { e: Event; p: Progress; a: Assignment } | undefined => {
      let best: { e: Event; p: Progress; a: Assignment } | undefined;
      for (const a of candidates) {
        if (!a.size || [...a.keys()].some((f) => f === c.timeField || PROTECTED.has(f))) continue;
        const e = apply(c, from, a);
        const q = progressOf(c, s, e);
        if (!q) continue;
        if (q.passed > (best?.p.passed ?? p.passed)) best = { e, p: q, a };
        if (q.passed === q.total) break;
      }
      return best;
    };
    // Backwards through the EVAL chain first; failing that, texts with more matches of the patterns the condition counts.
    const best = tryAll(wantsTrue(failing.expr, w)) ?? tryAll(sampledTexts(failing.expr, w.defs, w.current, c.seed));
    if (!best) break;
    cur = best.e;
    p = best.p;
    edits = new Map([...edits, ...best.a]);
  }
  return p.passed > start ? { event: cur, edits } : { event, edits: new Map() };
}

/** The events of one positive (a group shares most values): the first event's edits are tried on each before a search of its own. */
function repairGroup(c: Ctx, s: Search, events: readonly Event[], faker: Faker): Event[] {
  let shared: Assignment | undefined;
  return events.map((e) => {
    // An event that passes as it is keeps its values (a group's distinct values stay distinct).
    if (passes(progressOf(c, s, e))) return e;
    const reused = shared?.size ? apply(c, e, shared) : e;
    if (reused !== e && passes(progressOf(c, s, reused))) return reused;
    const r = repairEvent(c, s, reused, faker);
    shared ??= r.edits;
    return r.event;
  });
}

/** The draft with each positive's events edited to pass the query's row-level clauses. */
export function repairRowClauses(c: Ctx, d: Draft): Draft {
  const s = searchOf(c);
  if (!s) return d;
  let edited = 0;
  // One source of fresh values for the whole draft: events that need one get different ones.
  const faker = seededFaker(c.seed + 11);
  const cases = d.cases.map((k) => {
    if (k.role !== 'positive') return k;
    const events = repairGroup(c, s, k.events, faker);
    edited += events.filter((e, i) => e !== k.events[i]).length;
    return { ...k, events };
  });
  if (!cases.some((k) => k.role === 'positive')) {
    // The model found no positive: the search starts from an event holding only a time.
    const found = fromScratch(c, s, faker);
    if (found) return { ...d, cases: [found, ...cases], notes: [...d.notes, 'the positive was found by searching from an empty event until the engine passes the row-level WHERE clauses'] };
  }
  if (!edited) return d;
  return { ...d, cases, notes: [...d.notes, `${edited} positive event(s) edited until the engine passes the row-level WHERE clauses (searched backwards through the EVAL chain)`] };
}

function fromScratch(c: Ctx, s: Search, faker: Faker): DraftCase | undefined {
  const bare = setField({}, c.timeField, iso(T0), c.dialect === 'ecs' ? 'nested' : 'dotted') ?? {};
  const { event } = repairEvent(c, s, bare, faker);
  if (!passes(progressOf(c, s, event))) return undefined;
  return { name: 'row-level clauses met by search', expect: { kind: 'alert' }, events: [event], comment: 'positive: an event the row-level WHERE clauses keep, found by search', role: 'positive' };
}
