import type { Event } from '../core/event.ts';
import { fieldGetter } from '../engines/common/fields.ts';
import { and, leavesOf, type Predicate } from '../engines/common/predicate.ts';
import type { Query } from '../engines/esql/ast.ts';
import { groupRecipe, type GroupNeed } from '../engines/esql/constraints/group-needs.ts';
import { parseEsql } from '../engines/esql/parse/parser.ts';
import { assumeOpaque } from './esql-draft.ts';
import { setField } from './event-edit.ts';
import { evaluate } from './model/evaluate.ts';
import { realisticValue, seededFaker } from './realistic.ts';
import { firstPositive, iso, shareKeys, T0, uniqueNames, type Ctx, type Draft, type DraftCase } from './scaffold.ts';

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
const MAX_EVENTS = 500;
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

/** Candidate positive cases for the STATS rule in `c` (already with its opaque clauses assumed). */
export function mixedGroupCases(c: Ctx): DraftCase[] {
  const recipe = recipeOf(c);
  if (!recipe) return [];
  const cases: DraftCase[] = [];
  const witnesses = new Map<string, Event | undefined>();
  const witness = (p: Predicate): Event | undefined => {
    const logic = and([c.constraints.logic, assumeOpaque(p)]);
    const key = JSON.stringify(logic);
    if (!witnesses.has(key)) {
      const hit = firstPositive(c, logic, c.seed * 1000 + 700 + witnesses.size, T0)?.event;
      witnesses.set(key, hit && singleValued(c, hit, logic));
    }
    return witnesses.get(key);
  };
  for (const needs of recipe.alternatives.filter((a) => !plain(a))) {
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
        const w = witness(n.where);
        if (!w) return undefined;
        slots.push(Array.from({ length: Math.min(n.atLeast, MAX_EVENTS) }, () => w));
        break;
      }
      case 'distinct': {
        const w = witness(n.where);
        if (!w || n.atLeast > MAX_EVENTS) return undefined;
        const values = distinctValues(c, w, n.field, n.atLeast, and([c.constraints.logic, assumeOpaque(n.where)]));
        slots.push(values.map((v) => setField(w, n.field, v, c.dialect === 'ecs' ? 'nested' : 'dotted') ?? w));
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
  while (events.length < floor && events.length < MAX_EVENTS) events.push(first);
  if (events.length > cap) return undefined;
  const style = c.dialect === 'ecs' ? 'nested' : 'dotted';
  for (const n of needs) if (n.kind === 'value') events = events.map((e) => setField(e, n.field, n.value, style) ?? e);
  events = shareKeys(c, events, keys.length, () => keys, c.seed + 11);
  const gap = events.length <= 10 ? 100 : Math.max(1, Math.floor(1000 / events.length));
  return events.map((e, i) => setField(e, c.timeField, iso(T0 + i * gap), style) ?? e);
}

/**
 * `want` distinct values of `field` that keep `logic` true: the witness's own
 * value first, then the literals the logic names for the field, then numbers
 * counting up from a numeric value or the value with a suffix.
 */
function distinctValues(c: Ctx, event: Event, field: string, want: number, logic: Predicate): (string | number)[] {
  const own = fieldGetter(field)(event)[0];
  const base = typeof own === 'string' || typeof own === 'number' ? own : realisticValue(seededFaker(c.seed + 13), field, c.dialect);
  const literals = leavesOf(logic).flatMap((l) => (l.kind === 'match' && l.field === field && l.pattern.every((t) => t.kind === 'text') ? [l.pattern.map((t) => (t.kind === 'text' ? t.text : '')).join('')] : []));
  const next = (i: number): string | number => (typeof base === 'number' ? base + i : IPV4.test(base) ? nthAddress(base, i) : `${base}-${i}`);
  const out: (string | number)[] = [];
  const style = c.dialect === 'ecs' ? 'nested' : 'dotted';
  const candidates = [base, ...literals, ...Array.from({ length: want * 2 }, (_, i) => next(i + 1))];
  for (const v of candidates) {
    if (out.length >= want) break;
    if (out.some((x) => String(x) === String(v))) continue;
    const probe = setField(event, field, v, style);
    if (probe && evaluate(logic, probe, c.model) === 'T') out.push(v);
  }
  for (let i = want * 2 + 1; out.length < want; i++) out.push(next(i));
  return out;
}

/** A STATS draft with the mixed groups added as further positives (a draft the single-kind one could not make included). */
export function withMixedGroups(c: Ctx, d: Draft): Draft {
  const mixed = mixedGroupCases(c);
  if (!mixed.length) return d;
  const { unsupported: _, ...rest } = d;
  return { ...rest, cases: uniqueNames([...d.cases, ...mixed]), notes: [...d.notes, `${mixed.length} positive group(s) built from the rows the WHERE after STATS counts (the engine's check keeps those it fires on)`] };
}

const IPV4 = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/** The i-th address after an IPv4 address (an `ip` field reads a suffixed text as null). */
function nthAddress(base: string, i: number): string {
  const n = base.split('.').reduce((acc, x) => acc * 256 + Number(x), 0);
  const m = (n + i) % 2 ** 32;
  return [24, 16, 8, 0].map((s) => Math.floor(m / 2 ** s) % 256).join('.');
}

/**
 * The witness with each multi-valued field reduced to one of its values that keeps
 * `logic` true: the generator's model reads `f == a AND f IN (b, …)` as met by
 * `[a, b]`, while ES|QL compares a multi-valued field as null.
 */
function singleValued(c: Ctx, event: Event, logic: Predicate): Event {
  let out = event;
  const style = c.dialect === 'ecs' ? 'nested' : 'dotted';
  for (const [field, values] of arrayFields(event)) {
    for (const v of values) {
      const probe = setField(out, field, v, style);
      if (probe && evaluate(logic, probe, c.model) === 'T') {
        out = probe;
        break;
      }
    }
  }
  return out;
}

function arrayFields(node: unknown, prefix = '', out: [string, unknown[]][] = []): [string, unknown[]][] {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return out;
  for (const [k, v] of Object.entries(node)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (Array.isArray(v)) {
      if (v.length > 1 && v.every((x) => x === null || typeof x !== 'object')) out.push([path, v]);
    } else arrayFields(v, path, out);
  }
  return out;
}
