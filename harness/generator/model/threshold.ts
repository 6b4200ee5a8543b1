import type { Constraints } from '../../core/detector.ts';
import type { Event } from '../../core/event.ts';
import { fieldGetter, scalarText } from '../../engines/common/fields.ts';
import { evaluate, type ModelOptions } from './evaluate.ts';

/**
 * The generator's model of a `threshold` aggregate whose condition states
 * bounds (ES|QL `STATS … BY k | WHERE n >= 5 AND d <= 1`): rows the logic
 * keeps are grouped by the `groupBy` values (a missing key is a group of its
 * own, as ES|QL groups nulls); a group alerts when every bound holds. The
 * condition text is `count >= 5 and cardinality(f) <= 1 and opaque(…)`; an
 * `opaque(…)` part (or a time bucket) is one the model cannot decide.
 */
export type BoundOp = '>=' | '<=' | '==';

export interface Bound {
  /** `count`, or the field whose distinct values are counted. */
  readonly subject: { readonly kind: 'count' } | { readonly kind: 'cardinality'; readonly field: string };
  readonly op: BoundOp;
  readonly n: number;
}

export interface ThresholdModel {
  readonly bounds: readonly Bound[];
  /** Condition parts the model cannot decide. */
  readonly opaque: readonly string[];
}

const PART = /^(count|cardinality\(([^)]+)\))\s*(>=|<=|==)\s*(\d+)$/;

export function parseThreshold(condition: string | undefined): ThresholdModel {
  const text = condition ?? '';
  const at = text.indexOf('opaque(');
  const known = (at < 0 ? text : text.slice(0, at)).split(/\s+and\s+/).map((p) => p.trim()).filter(Boolean);
  const bounds: Bound[] = [];
  const opaque: string[] = at < 0 ? [] : [text.slice(at)];
  for (const p of known) {
    const m = PART.exec(p);
    if (!m) {
      opaque.push(p);
      continue;
    }
    bounds.push({ subject: m[2] ? { kind: 'cardinality', field: m[2] } : { kind: 'count' }, op: m[3] as BoundOp, n: Number(m[4]) });
  }
  return { bounds, opaque };
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
    const key = JSON.stringify(parts);
    groups.set(key, [...(groups.get(key) ?? []), i]);
  }
  return [...groups].map(([key, members]) => ({ key, members }));
}

function measure(b: Bound, members: readonly number[], events: readonly Event[]): number {
  if (b.subject.kind === 'count') return members.length;
  const get = fieldGetter(b.subject.field);
  // COUNT_DISTINCT counts every value of a multi-valued field; nulls are not values.
  return new Set(members.flatMap((i) => get(events[i]!).filter((v) => v !== null && v !== undefined).map((v) => scalarText(v) ?? JSON.stringify(v)))).size;
}

export function groupAlerts(m: ThresholdModel, members: readonly number[], events: readonly Event[]): boolean {
  return m.bounds.every((b) => boundHolds(b, measure(b, members, events)));
}

/** How many groups alert per the model; undefined when it cannot decide. */
export function modelAlertCount(c: Constraints, events: readonly Event[], model: ModelOptions): number | undefined {
  const m = parseThreshold(c.aggregate?.condition);
  if (c.aggregate?.type !== 'threshold' || m.opaque.length) return undefined;
  const groups = groupsOf(c, events, model);
  return groups?.filter((g) => groupAlerts(m, g.members, events)).length;
}
