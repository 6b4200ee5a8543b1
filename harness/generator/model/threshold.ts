import type { Constraints } from '../../core/detector.ts';
import type { Event } from '../../core/event.ts';
import { fieldGetter, scalarText } from '../../engines/common/fields.ts';
import { parseTimestamp } from '../../engines/common/time.ts';
import { evaluate, type ModelOptions } from './evaluate.ts';

/**
 * The generator's model of a `threshold` aggregate whose condition states
 * bounds (ES|QL `STATS … BY k | WHERE n >= 5 AND d <= 1`): rows the logic
 * keeps are grouped by the `groupBy` values (a missing key is a group of its
 * own, as ES|QL groups nulls); a group alerts when every bound holds. The
 * condition text is `count >= 5 and cardinality(f) <= 1 and bucket(@timestamp, 60000)
 * and opaque(…)` (a bucket is one more group key: the time truncated to the span); an
 * `opaque(…)` part is one the model cannot decide.
 */
export type BoundOp = '>=' | '<=' | '==';

export interface Bound {
  /** `count`, the field whose distinct values are counted, or the rows meeting `aggregate.steps[step]` (`countif(k)`). */
  readonly subject: { readonly kind: 'count' } | { readonly kind: 'cardinality'; readonly field: string } | { readonly kind: 'countif'; readonly step: number };
  readonly op: BoundOp;
  readonly n: number;
}

export interface ThresholdModel {
  readonly bounds: readonly Bound[];
  /** `(a or b)` parts: at least one bound of each must hold. */
  readonly alternatives: readonly (readonly Bound[])[];
  /** Time-bucket group keys (DATE_TRUNC over a fixed span): the time field and the span in ms. */
  readonly buckets: readonly { readonly field: string; readonly spanMs: number }[];
  /** Condition parts the model cannot decide. */
  readonly opaque: readonly string[];
}

const PART = /^(count|cardinality\(([^)]+)\)|countif\((\d+)\))\s*(>=|<=|==)\s*(\d+)$/;

export function parseThreshold(condition: string | undefined): ThresholdModel {
  const text = condition ?? '';
  const at = text.indexOf('opaque(');
  // Split on the top-level `and`s only: a `(a or b)` part stays whole.
  const known = (at < 0 ? text : text.slice(0, at)).split(/\s+and\s+(?![^(]*\))/).map((p) => p.trim()).filter(Boolean);
  const bounds: Bound[] = [];
  const alternatives: Bound[][] = [];
  const buckets: { field: string; spanMs: number }[] = [];
  const opaque: string[] = at < 0 ? [] : [text.slice(at)];
  for (const p of known) {
    const b = /^bucket\(([^,]+),\s*(\d+)\)$/.exec(p);
    if (b) {
      buckets.push({ field: b[1]!, spanMs: Number(b[2]) });
      continue;
    }
    const alts = /^\((.*)\)$/.exec(p)?.[1]?.split(/\s+or\s+/).map(boundOf);
    if (alts && alts.every((a) => a !== undefined)) {
      alternatives.push(alts as Bound[]);
      continue;
    }
    const bound = boundOf(p);
    if (bound) bounds.push(bound);
    else opaque.push(p);
  }
  return { bounds, alternatives, buckets, opaque };
}

function boundOf(p: string): Bound | undefined {
  const m = PART.exec(p.trim());
  if (!m) return undefined;
  const subject: Bound['subject'] = m[2] ? { kind: 'cardinality', field: m[2] } : m[3] ? { kind: 'countif', step: Number(m[3]) } : { kind: 'count' };
  return { subject, op: m[4] as BoundOp, n: Number(m[5]) };
}

export const boundHolds = (b: Bound, value: number): boolean => (b.op === '>=' ? value >= b.n : b.op === '<=' ? value <= b.n : value === b.n);

export interface Group {
  readonly key: string;
  /** Positions of the case's events in this group. */
  readonly members: readonly number[];
}

/** Groups of the events the logic keeps; undefined when the model cannot decide an event or a key is multi-valued. */
export function groupsOf(c: Constraints, events: readonly Event[], model: ModelOptions): Group[] | undefined {
  const keys = (c.aggregate?.groupBy ?? []).map((f) => fieldGetter(f));
  const buckets = parseThreshold(c.aggregate?.condition).buckets.map((b) => ({ get: fieldGetter(b.field), span: b.spanMs }));
  const groups = new Map<string, number[]>();
  for (const [i, e] of events.entries()) {
    const t = evaluate(c.logic, e, model);
    if (t === 'U') return undefined;
    if (t !== 'T') continue;
    const parts: (string | null)[] = [];
    for (const get of keys) {
      const vs = get(e).filter((v) => v !== null && v !== undefined);
      if (vs.length > 1) return undefined;
      parts.push(vs.length ? (scalarText(vs[0]) ?? JSON.stringify(vs[0])) : null);
    }
    for (const b of buckets) {
      const t = b.get(e).length === 1 ? parseTimestamp(b.get(e)[0]) : undefined;
      if (t === undefined) return undefined;
      parts.push(String(Math.floor(t / b.span)));
    }
    const key = JSON.stringify(parts);
    groups.set(key, [...(groups.get(key) ?? []), i]);
  }
  return [...groups].map(([key, members]) => ({ key, members }));
}

/** What a bound measures needs, beyond the events: the aggregate's row conditions and the model. */
export interface RowConditions {
  readonly steps: readonly Constraints[];
  readonly model: ModelOptions;
}

function measure(b: Bound, members: readonly number[], events: readonly Event[], rows: RowConditions): number {
  if (b.subject.kind === 'count') return members.length;
  if (b.subject.kind === 'countif') {
    const step = rows.steps[b.subject.step];
    return step ? members.filter((i) => evaluate(step.logic, events[i]!, rows.model) === 'T').length : NaN;
  }
  const get = fieldGetter(b.subject.field);
  // COUNT_DISTINCT counts every value of a multi-valued field; nulls are not values.
  return new Set(members.flatMap((i) => get(events[i]!).filter((v) => v !== null && v !== undefined).map((v) => scalarText(v) ?? JSON.stringify(v)))).size;
}

export function groupAlerts(m: ThresholdModel, members: readonly number[], events: readonly Event[], rows: RowConditions): boolean {
  const holds = (b: Bound) => boundHolds(b, measure(b, members, events, rows));
  return m.bounds.every(holds) && m.alternatives.every((alts) => alts.some(holds));
}

/** How many groups alert per the model; undefined when it cannot decide. */
export function modelAlertCount(c: Constraints, events: readonly Event[], model: ModelOptions): number | undefined {
  const m = parseThreshold(c.aggregate?.condition);
  if (c.aggregate?.type !== 'threshold' || !decidable(c, m, events, model)) return undefined;
  const groups = groupsOf(c, events, model);
  return groups?.filter((g) => groupAlerts(m, g.members, events, { steps: c.aggregate?.steps ?? [], model })).length;
}

/** No opaque condition part, and every row condition decided on every event. */
export function decidable(c: Constraints, m: ThresholdModel, events: readonly Event[], model: ModelOptions): boolean {
  return m.opaque.length === 0 && (c.aggregate?.steps ?? []).every((s) => events.every((e) => evaluate(s.logic, e, model) !== 'U'));
}
