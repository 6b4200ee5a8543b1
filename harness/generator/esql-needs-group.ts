import type { Event } from '../core/event.ts';
import { and, not, type Predicate } from '../engines/common/predicate.ts';
import type { Query } from '../engines/esql/ast.ts';
import { groupRecipe, type GroupNeed } from '../engines/esql/constraints/group-needs.ts';
import { parseEsql } from '../engines/esql/parse/parser.ts';
import { assumeOpaque } from './esql-draft.ts';
import { topBranches } from './branches.ts';
import { conditioned, distinctRows, equalitiesOf, singleValued, type Fixed } from './esql-group-rows.ts';
import { setField } from './event-edit.ts';
import { evaluate } from './model/evaluate.ts';
import { firstPositive, iso, positives, shareKeys, T0, uniqueNames, type Ctx, type Draft, type DraftCase } from './scaffold.ts';

/**
 * Positive groups built from the rows a STATS rule's post-STATS WHERE asks for
 * (group-needs.ts): one kind of row per counted condition — a CloudTrail row and
 * an endpoint row, a metrics row and an alert row —, n rows with distinct values
 * for a COUNT_DISTINCT, rows from n branches of a CASE, a numeric value that meets
 * a MAX / AVG bound, all sharing the BY keys. The single-kind draft of esql-draft.ts
 * cannot meet conditions on exclusive kinds of rows. Each recipe gives the group in
 * two orders (first-then-last tests on MIN / MAX times go either way); the engine's
 * check of the draft keeps the ones it fires on.
 */
/** Twice the single-kind draft's cap: the corpus asks for up to 1,000 rows in one group. */
const MAX_EVENTS = 1000;
const MAX_RECIPES = 4;

type Slot = readonly Event[];

function recipeOf(c: Ctx): ReturnType<typeof groupRecipe> {
  const query = c.detector.rule.body.query;
  if (typeof query !== 'string' || !/\bstats\b/i.test(query)) return undefined;
  let q: Query;
  try {
    q = parseEsql(query);
  } catch {
    return undefined;
  }
  return groupRecipe(q);
}

/** Only counts of every row: the single-kind draft already builds that group. */
const plain = (needs: readonly GroupNeed[]): boolean => needs.every((n) => n.kind === 'atMost' || (n.kind === 'rows' && n.where.kind === 'const' && n.where.value));

/** Candidate positive cases for the STATS rule in `c` (already with its opaque clauses assumed); `withPlain`: also groups of plain counts. */
export function mixedGroupCases(c: Ctx, withPlain = false): DraftCase[] {
  const recipe = recipeOf(c);
  if (!recipe) return [];
  const cases: DraftCase[] = [];
  const witnesses = new Map<string, Event | undefined>();
  const witness = (p: Predicate, fixed?: Fixed): Event | undefined => {
    const logic = and([c.constraints.logic, assumeOpaque(p)]);
    // A fixed value (and each value the kind of row names) decides the leaves on its field before the search.
    const values = [...equalitiesOf(p), ...(fixed ? [fixed] : [])];
    const search = values.reduce((l, f) => conditioned(c, l, f), logic);
    const key = JSON.stringify([search, values]);
    if (!witnesses.has(key)) {
      const set = (e: Event): Event => values.reduce((x, f) => setField(x, f.field, f.value, c.dialect === 'ecs' ? 'nested' : 'dotted') ?? x, e);
      // The first branch whose event still meets the logic with one value per field (searched one branch at a time).
      let first: Event | undefined;
      let found: Event | undefined;
      for (const [i, b] of topBranches(search).entries()) {
        const hit = positives(c, b.predicate, c.seed * 1000 + 700 + witnesses.size + i, T0).hits[0];
        const e = hit && singleValued(c, set(hit.event), logic);
        first ??= e;
        if (e && evaluate(logic, e, c.model) === 'T') {
          found = e;
          break;
        }
      }
      witnesses.set(key, found ?? first);
    }
    return witnesses.get(key);
  };
  for (const needs of recipe.alternatives.filter((a) => withPlain || !plain(a))) {
    if (cases.length >= MAX_RECIPES * 2) break;
    const slots = slotsOf(c, needs, witness);
    if (!slots) continue;
    const orders = slots.length > 1 ? [slots, [...slots].reverse()] : [slots];
    orders.forEach((order, i) => {
      const events = finish(c, order, needs, recipe.keys);
      if (!events) return;
      const what = needs.map(needText).join(', ');
      cases.push({ name: `group of ${what}${i ? ' (reversed)' : ''}`.slice(0, 120), expect: { kind: 'alert' }, events, comment: `positive: one group with ${what}`, role: 'positive' });
    });
  }
  return cases;
}

function needText(n: GroupNeed): string {
  switch (n.kind) {
    case 'rows':
      return `${n.atLeast} row(s) of ${n.where.label ?? n.where.kind}`;
    case 'atMost':
      return `at most ${n.atMost} rows`;
    case 'distinct':
      return `${n.atLeast} distinct ${n.field}`;
    case 'branches':
      return `rows from ${n.atLeast} CASE branches`;
    case 'value':
      return `${n.field} = ${n.value}`;
  }
}

/** The rows each need adds, in the order of the needs; undefined when a kind of row cannot be found. */
function slotsOf(c: Ctx, needs: readonly GroupNeed[], witness: (p: Predicate) => Event | undefined): Slot[] | undefined {
  const slots: Slot[] = [];
  for (const n of needs) {
    switch (n.kind) {
      case 'rows': {
        if (n.where.kind === 'const') break;
        // A row of one kind that is not also of the other counted kinds (first-of-one-before-last-of-other tests need them apart).
        const others = needs.flatMap((o) => (o !== n && o.kind === 'rows' && o.where.kind !== 'const' ? [not(o.where)] : []));
        const w = (others.length ? witness(and([n.where, ...others])) : undefined) ?? witness(n.where);
        if (!w || n.atLeast > MAX_EVENTS) return undefined;
        slots.push(Array.from({ length: n.atLeast }, () => w));
        break;
      }
      case 'distinct': {
        const w = witness(n.where);
        if (!w || n.atLeast > MAX_EVENTS) return undefined;
        slots.push(distinctRows(c, w, n.field, n.atLeast, n.where, witness));
        break;
      }
      case 'branches': {
        const found: Event[] = [];
        for (const b of n.branches) {
          if (found.length >= n.atLeast) break;
          const w = witness(b);
          if (w) found.push(w);
        }
        if (found.length < n.atLeast) return undefined;
        slots.push(found);
        break;
      }
      case 'atMost':
      case 'value':
        break;
    }
  }
  return slots;
}

/** The group: the slots' rows, topped up to the counts asked for, numeric values set, keys shared, timed in order. */
function finish(c: Ctx, slots: readonly Slot[], needs: readonly GroupNeed[], keys: readonly string[]): Event[] | undefined {
  let events = slots.flat();
  const first = events[0] ?? firstPositive(c, c.constraints.logic, c.seed * 1000 + 699, T0)?.event;
  if (!first) return undefined;
  if (!events.length) events = [first];
  const floor = Math.max(0, ...needs.map((n) => (n.kind === 'rows' && n.where.kind === 'const' ? n.atLeast : 0)));
  const cap = Math.min(MAX_EVENTS, ...needs.map((n) => (n.kind === 'atMost' ? n.atMost : Infinity)));
  while (events.length < floor) events.push(first);
  if (events.length > cap) return undefined;
  const style = c.dialect === 'ecs' ? 'nested' : 'dotted';
  for (const n of needs) if (n.kind === 'value') events = events.map((e) => setField(e, n.field, n.value, style) ?? e);
  events = shareKeys(c, events, keys.length, () => keys, c.seed + 11);
  const gap = events.length <= 10 ? 100 : Math.max(1, Math.floor(1000 / events.length));
  return events.map((e, i) => setField(e, c.timeField, iso(T0 + i * gap), style) ?? e);
}

/** A STATS draft with the mixed groups added as further positives (a draft the single-kind one could not make included). */
export function withNeedsGroups(c: Ctx, d: Draft): Draft {
  // Plain counts too when the single-kind draft gave up (a group larger than its cap).
  const mixed = mixedGroupCases(c, d.unsupported !== undefined);
  if (!mixed.length) return d;
  const { unsupported: _, ...rest } = d;
  return { ...rest, cases: uniqueNames([...d.cases, ...mixed]), notes: [...d.notes, `${mixed.length} positive group(s) built from the rows the WHERE after STATS counts (the engine's check keeps those it fires on)`] };
}

