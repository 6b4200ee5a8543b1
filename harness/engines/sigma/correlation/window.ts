import { thresholdsHold, type Threshold } from './condition.ts';
import { Window, type Aggregator, type Entry } from './aggregate.ts';
import type { GroupKey } from './grouping.ts';
import type { Occurrence } from './occurrence.ts';

/**
 * Sliding windows (sigma.md §9 Decision; the spec asks backends not to use
 * fixed buckets): per group, after each arriving occurrence at time t, the
 * window holds that group's occurrences with time in (t − timespan, t] — the
 * lower bound is exclusive, so two events exactly one timespan apart are NOT
 * in the same window. When the condition holds, the group alerts once, listing
 * the contributing events, and its state is reset: later occurrences start a
 * fresh window (a burst of 200 events with `gte: 100` gives one alert per 100
 * events, never one per event). Deterministic: occurrences are processed in
 * (time, input order).
 */
export interface GroupHit {
  readonly key: GroupKey;
  readonly rules: readonly number[];
  readonly values: readonly (string | number)[];
}

export interface Fired {
  readonly key: GroupKey;
  readonly entries: readonly Entry[];
}

export interface SlideParams {
  readonly spanMs: number;
  readonly thresholds: readonly Threshold[];
  readonly newAggregator: () => Aggregator;
  /** The groups an occurrence joins (none when a group-by field is missing). */
  readonly hitsOf: (occ: Occurrence) => readonly GroupHit[];
}

interface GroupState {
  readonly window: Window;
  readonly agg: Aggregator;
}

export function slide(sorted: readonly Occurrence[], p: SlideParams): Fired[] {
  const states = new Map<string, GroupState>();
  const fired: Fired[] = [];
  sorted.forEach((occ, seq) => {
    for (const hit of p.hitsOf(occ)) {
      let st = states.get(hit.key.id);
      if (!st) states.set(hit.key.id, (st = { window: new Window(), agg: p.newAggregator() }));
      const floor = occ.time - p.spanMs;
      for (let old = st.window.oldest(); old && old.occ.time <= floor; old = st.window.oldest()) st.agg.remove(st.window.shift()!);
      const entry: Entry = { occ, seq, rules: hit.rules, values: hit.values };
      st.window.push(entry);
      st.agg.add(entry);
      const v = st.agg.value(st.window);
      if (v !== undefined && thresholdsHold(p.thresholds, v)) {
        fired.push({ key: hit.key, entries: st.agg.contributing(st.window) });
        states.delete(hit.key.id);
      }
    }
  });
  return fired;
}
