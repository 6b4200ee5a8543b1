import type { Constraints } from '../core/detector.ts';
import type { Event } from '../core/event.ts';
import { fieldGetter, scalarText } from '../engines/common/fields.ts';
import { setField } from './event-edit.ts';
import { evaluate, type ModelOptions } from './model/evaluate.ts';
import { decidable, groupAlerts, groupsOf, parseThreshold, type Bound, type RowConditions, type ThresholdModel } from './model/threshold.ts';
import { flipChar, nearMisses } from './near-miss.ts';
import type { Dialect } from './realistic.ts';

/**
 * Near misses of a positive case of a threshold aggregate (ES|QL `STATS … BY`
 * with a WHERE on its counts): exactly one group alerts per the model, and one
 * thing changes so that none does — the group is one event short of a
 * `count >=` bound (or one past a `count <=` bound), one distinct value short of
 * a `cardinality >=` bound, or its events are split across two values of a
 * group-by key, or one WHERE constraint is broken in every event of the group.
 * Each is kept only when the model decides that no group alerts.
 */
export interface AggregateNearMiss {
  readonly events: readonly Event[];
  readonly description: string;
  readonly constraint: string;
}

interface Target {
  readonly model: ThresholdModel;
  readonly rows: RowConditions;
  readonly members: readonly number[];
  readonly c: Constraints;
  readonly opts: ModelOptions;
}

const describeBound = (b: Bound): string => `${b.subject.kind === 'count' ? 'count' : b.subject.kind === 'cardinality' ? `cardinality(${b.subject.field})` : `countif(${b.subject.step})`} ${b.op} ${b.n}`;

function silent(t: Target, events: readonly Event[]): boolean {
  const groups = groupsOf(t.c, events, t.opts);
  return groups !== undefined && !groups.some((g) => groupAlerts(t.model, g.members, events, t.rows));
}

/** Drop the group's members past the first `keep`. */
function keepFirst(events: readonly Event[], members: readonly number[], keep: number): Event[] {
  const drop = new Set(members.slice(keep));
  return events.filter((_, i) => !drop.has(i));
}

function countMiss(t: Target, events: readonly Event[], b: Bound): AggregateNearMiss | undefined {
  // countif(k): the group's rows meeting the step's condition are the ones counted.
  const step = b.subject.kind === 'countif' ? t.rows.steps[b.subject.step] : undefined;
  const counted = step ? t.members.filter((i) => evaluate(step.logic, events[i]!, t.opts) === 'T') : t.members;
  const size = counted.length;
  if ((b.op === '>=' || b.op === '==') && b.n >= 2 && size >= b.n) {
    const out = keepFirst(events, counted, b.n - 1);
    if (silent(t, out)) return { events: out, description: `${describeBound(b)}: kept ${b.n - 1} of the group's ${size} events, one short`, constraint: describeBound(b) };
  }
  if ((b.op === '<=' || b.op === '==') && size <= b.n && size > 0) {
    const last = counted.at(-1);
    if (last === undefined) return undefined;
    const extra = Array.from({ length: b.n + 1 - size }, () => events[last]!);
    const out = [...events.slice(0, last + 1), ...extra, ...events.slice(last + 1)];
    if (silent(t, out)) return { events: out, description: `${describeBound(b)}: repeated the group's last event to ${b.n + 1} events, one past`, constraint: describeBound(b) };
  }
  return undefined;
}

function cardinalityMiss(t: Target, events: readonly Event[], b: Bound): AggregateNearMiss | undefined {
  if (b.subject.kind !== 'cardinality' || b.op === '<=' || b.n < 2) return undefined;
  const field = b.subject.field;
  const get = fieldGetter(field);
  const values = (i: number) => get(events[i]!).filter((v) => v !== null && v !== undefined);
  if (t.members.some((i) => values(i).length !== 1)) return undefined;
  const distinct = [...new Set(t.members.map((i) => scalarText(values(i)[0]) ?? ''))];
  if (distinct.length < b.n) return undefined;
  // Keep n-1 distinct values: every member holding a later one takes the first value instead.
  const keep = new Set(distinct.slice(0, b.n - 1));
  const first = values(t.members[0]!)[0];
  const out = events.map((e, i) => (t.members.includes(i) && !keep.has(scalarText(values(i)[0]) ?? '') ? (setField(e, field, first) ?? e) : e));
  if (!t.members.every((i) => evaluate(t.c.logic, out[i]!, t.opts) === 'T') || !silent(t, out)) return undefined;
  return { events: out, description: `${describeBound(b)}: gave the group only ${b.n - 1} distinct ${field} value(s)`, constraint: describeBound(b) };
}

/** Another value of the same shape: one character flipped in the middle. */
function otherValue(v: unknown): unknown {
  const t = scalarText(v);
  if (t === undefined || t === '') return typeof v === 'number' ? v + 1 : 'other';
  const at = Math.floor(t.length / 2);
  const flipped = t.slice(0, at) + flipChar(t[at]!) + t.slice(at + 1);
  return typeof v === 'number' && /^-?\d+$/.test(flipped) ? Number(flipped) : flipped;
}

function splitMiss(t: Target, events: readonly Event[]): AggregateNearMiss | undefined {
  const key = t.c.aggregate?.groupBy[0];
  if (!key || t.members.length < 2) return undefined;
  const get = fieldGetter(key);
  const current = get(events[t.members[0]!]!)[0];
  if (current === undefined || current === null) return undefined;
  const other = otherValue(current);
  // Move members from the end to the other key value, as few as it takes.
  for (let moved = 1; moved < t.members.length; moved++) {
    const move = new Set(t.members.slice(-moved));
    const out = events.map((e, i) => (move.has(i) ? (setField(e, key, other) ?? e) : e));
    if (![...move].every((i) => evaluate(t.c.logic, out[i]!, t.opts) === 'T')) return undefined;
    if (silent(t, out)) return { events: out, description: `split the group across two ${key} values: ${moved} of ${t.members.length} events now have ${JSON.stringify(other)}`, constraint: `by ${key}` };
  }
  return undefined;
}

/** One WHERE constraint broken the same way in every event of the group (single-event near misses, near-miss.ts). */
function whereMisses(t: Target, events: readonly Event[], dialect: Dialect, seed: number): AggregateNearMiss[] {
  const per = t.members.map((i) => new Map(nearMisses(t.c.logic, events[i]!, { model: t.opts, dialect, seed }).map((nm) => [nm.constraint, nm])));
  const out: AggregateNearMiss[] = [];
  for (const [constraint, first] of per[0] ?? []) {
    if (!per.every((m) => m.has(constraint))) continue;
    const broken = new Map(t.members.map((i, k) => [i, per[k]!.get(constraint)!.event]));
    const changed = events.map((e, i) => broken.get(i) ?? e);
    if (silent(t, changed)) out.push({ events: changed, description: `in each of the group's ${t.members.length} events, ${first.description}`, constraint });
  }
  return out;
}

/**
 * When the condition is beyond the model (an opaque part): one WHERE constraint
 * broken in every event the logic may keep, so that the model decides that no
 * row reaches a STATS … BY at all — no group, no alert, whatever the condition.
 */
function emptyMisses(c: Constraints, events: readonly Event[], opts: ModelOptions, dialect: Dialect, seed: number): AggregateNearMiss[] {
  const m = parseThreshold(c.aggregate?.condition);
  // STATS without BY answers one row even over no input: only a grouped STATS is silent on an empty table.
  const grouped = (c.aggregate?.groupBy.length ?? 0) > 0 || m.buckets.length > 0 || /opaque\(BY /.test(c.aggregate?.condition ?? '');
  if (!grouped) return [];
  const live = events.flatMap((e, i) => (evaluate(c.logic, e, opts) === 'F' || evaluate(c.logic, e, opts) === 'N' ? [] : [i]));
  if (live.length === 0) return [];
  const per = live.map((i) => new Map(nearMisses(c.logic, events[i]!, { model: opts, dialect, seed, fromUndecided: true }).map((nm) => [nm.constraint, nm])));
  const out: AggregateNearMiss[] = [];
  for (const [constraint, first] of per[0] ?? []) {
    if (!per.every((x) => x.has(constraint))) continue;
    const broken = new Map(live.map((i, k) => [i, per[k]!.get(constraint)!.event]));
    out.push({ events: events.map((e, i) => broken.get(i) ?? e), description: `in each of the ${live.length} events the WHERE clauses keep, ${first.description}: no row reaches the STATS`, constraint });
  }
  return out;
}

export function aggregateNearMisses(c: Constraints, events: readonly Event[], opts: ModelOptions, dialect: Dialect = 'ecs', seed = 1): AggregateNearMiss[] {
  if (c.aggregate?.type !== 'threshold') return [];
  const model = parseThreshold(c.aggregate.condition);
  if (!decidable(c, model, events, opts)) return emptyMisses(c, events, opts, dialect, seed);
  const rows: RowConditions = { steps: c.aggregate.steps, model: opts };
  const groups = groupsOf(c, events, opts);
  const alerting = groups?.filter((g) => groupAlerts(model, g.members, events, rows)) ?? [];
  if (alerting.length !== 1) return [];
  const t: Target = { model, rows, members: alerting[0]!.members, c, opts };
  const out: AggregateNearMiss[] = [];
  for (const b of [...model.bounds, ...model.alternatives.flat()]) {
    const miss = b.subject.kind === 'cardinality' ? cardinalityMiss(t, events, b) : countMiss(t, events, b);
    if (miss) out.push(miss);
  }
  const split = splitMiss(t, events);
  if (split) out.push(split);
  return [...out, ...whereMisses(t, events, dialect, seed)];
}
