import type { FilterFn, ValueFn } from './compile-expr.ts';
import type { Ordered } from './ordering.ts';

/**
 * The event at an input index, as the stage filters and keys take it (a frame
 * reset to that event): call once per event and use it before the next call.
 */
export type EventAt = (index: number) => unknown;

/** One expanded sequence/sample stage, compiled. */
export interface RuntimeStage {
  readonly filter: FilterFn;
  readonly keys: readonly ValueFn[];
  /** Per key: written `?f`, so a null value is a legitimate join value. */
  readonly optional: readonly boolean[];
  readonly missing: boolean;
}

/**
 * The join keys of an event for a stage: none when a required key is null
 * (the event is ignored), else one per combination of the key fields'
 * values — a multi-valued field joins by each of its values, duplicates
 * once, nulls in an array dropped (Elasticsearch QA test_extra.toml
 * `sequenceWithMultivalue_*`); an optional key (`?f`) with no value joins as
 * null. Keys are typed, so "5" and 5 stay distinct (eql.md §10.2).
 * @example joinKeys(stageBy(['tags']), { tags: ['a', 'b', 'a'] }) // ['["a"]', '["b"]']
 */
export function joinKeys(stage: RuntimeStage, e: unknown): readonly string[] {
  const n = stage.keys.length;
  if (n === 0) return NO_KEYS;
  let single = true;
  const vals: unknown[] = new Array<unknown>(n);
  for (let i = 0; i < n; i++) {
    const v = stage.keys[i]!(e);
    if (v === null && !stage.optional[i]) return [];
    if (Array.isArray(v)) single = false;
    vals[i] = v;
  }
  if (single) return [JSON.stringify(vals)];
  let combos: unknown[][] = [[]];
  for (const v of vals) {
    const options = Array.isArray(v) ? [...new Set(v.map((x) => JSON.stringify(x)))].map((x) => JSON.parse(x) as unknown) : [v];
    combos = combos.flatMap((c) => options.map((o) => [...c, o]));
  }
  return combos.map((c) => JSON.stringify(c));
}

const NO_KEYS: readonly string[] = [''];

interface Partial {
  readonly events: readonly number[];
  /** Positions in the ordered stream, for the missing-event check. */
  readonly pos: readonly number[];
  readonly start: number;
}

/** Sorted positions of each missing stage's events, by join key. */
type MissingIndex = Map<string, number[]>;

function firstAfter(list: readonly number[], p: number): number | undefined {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! <= p) lo = mid + 1;
    else hi = mid;
  }
  return list[lo];
}

function lastBefore(list: readonly number[], p: number): number | undefined {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! < p) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? list[lo - 1] : undefined;
}

/**
 * The Elasticsearch sequence state machine (eql.md §10.3): per join key, at
 * most one pending partial per stage; stages are tried from the last to the
 * first so an event never advances the same partial twice; newer partials
 * overwrite older ones. Missing-event stages (`![…]`) reject a candidate when
 * the full sequence can be matched within maxspan (§10.4).
 */
export function runSequence(
  at: EventAt,
  ordered: Ordered,
  stages: readonly RuntimeStage[],
  until: RuntimeStage | undefined,
  maxspanMs: number | undefined,
): number[][] {
  const positives = stages.filter((s) => !s.missing);
  // gaps[g]: missing stages between positive g-1 and g (0 = leading, last = trailing).
  const gaps: RuntimeStage[][] = Array.from({ length: positives.length + 1 }, () => []);
  let g = 0;
  for (const s of stages) {
    if (s.missing) gaps[g]!.push(s);
    else g++;
  }
  const { order, time } = ordered;
  const missingIndex = new Map<RuntimeStage, MissingIndex>();
  for (const s of stages.filter((x) => x.missing)) {
    if (missingIndex.has(s)) continue;
    const idx: MissingIndex = new Map();
    order.forEach((ei, p) => {
      const e = at(ei);
      if (!s.filter(e)) return;
      for (const k of joinKeys(s, e)) {
        const list = idx.get(k);
        if (list) list.push(p);
        else idx.set(k, [p]);
      }
    });
    missingIndex.set(s, idx);
  }
  const hasMissing = missingIndex.size > 0;

  /**
   * Is this candidate rejected by its missing-event stages? Elasticsearch's
   * QA (test_missing_events.toml) fixes two rules: a missing stage between
   * two positive stages rejects the candidate when any event of it (same join
   * key) falls between them — each such stage on its own, also several in one
   * gap (`multipleMissing*`, `withByKey_runsOnMissing`); the leading and
   * trailing missing stages reject it together, when all of them can be filled
   * in before / after the candidate with the whole span within maxspan
   * (`leadingAndTrailingExcluded1/2`).
   */
  const rejected = (cand: Partial, key: string): boolean => {
    const n = cand.pos.length;
    for (let gi = 1; gi < n; gi++) {
      for (const m of gaps[gi]!) {
        const p = firstAfter(missingIndex.get(m)!.get(key) ?? [], cand.pos[gi - 1]!);
        if (p !== undefined && p < cand.pos[gi]!) return true;
      }
    }
    const leading = gaps[0]!;
    const trailing = gaps[n]!;
    if (leading.length === 0 && trailing.length === 0) return false;
    let minPos = cand.pos[0]!;
    for (let m = leading.length - 1; m >= 0; m--) {
      const p = lastBefore(missingIndex.get(leading[m]!)!.get(key) ?? [], minPos);
      if (p === undefined) return false;
      minPos = p;
    }
    let maxPos = cand.pos[n - 1]!;
    for (const m of trailing) {
      const p = firstAfter(missingIndex.get(m)!.get(key) ?? [], maxPos);
      if (p === undefined) return false;
      maxPos = p;
    }
    return maxspanMs === undefined || time[order[maxPos]!]! - time[order[minPos]!]! <= maxspanMs;
  };

  const out: number[][] = [];
  const state = new Map<string, (Partial | undefined)[]>();
  const last = positives.length - 1;
  const complete = (p: Partial, key: string): void => {
    if (hasMissing && rejected(p, key)) return;
    out.push([...p.events]);
  };
  for (let pos = 0; pos < order.length; pos++) {
    const idx = order[pos]!;
    const e = at(idx);
    const t = time[idx]!;
    // An event that also matches `until` completes the sequences it completes first, then cancels
    // what is pending for its keys (QA test_extra.toml sequenceWithOptionalFieldsAndUntil_1/_2), and
    // starts nothing under those keys: Elasticsearch's SequenceMatcher rejects a partial when an
    // until event lies between its last event and the next one, ends included. Keys the until event
    // does not carry are untouched (docs/semantics-verified.md §10).
    const cancels = until !== undefined && until.filter(e) ? joinKeys(until, e) : [];
    for (let s = last; s >= 1; s--) {
      const stage = positives[s]!;
      if (!stage.filter(e)) continue;
      for (const k of joinKeys(stage, e)) {
        const st = state.get(k);
        const p = st?.[s - 1];
        if (!st || !p) continue;
        st[s - 1] = undefined;
        if (maxspanMs !== undefined && t - p.start > maxspanMs) continue;
        const next: Partial = { events: [...p.events, idx], pos: [...p.pos, pos], start: p.start };
        if (s === last) complete(next, k);
        else st[s] = next;
      }
    }
    for (const k of cancels) state.delete(k);
    const first = positives[0]!;
    if (!first.filter(e)) continue;
    for (const k of joinKeys(first, e)) {
      if (cancels.includes(k)) continue;
      const p: Partial = { events: [idx], pos: [pos], start: t };
      if (last === 0) {
        complete(p, k);
        continue;
      }
      let st = state.get(k);
      if (!st) state.set(k, (st = new Array<Partial | undefined>(positives.length)));
      st[0] = p;
    }
  }
  return out;
}

/**
 * Samples (eql.md §11): group by join key; per key combination, each filter
 * takes the first qualifying event not already used, in index (input)
 * order: a sample needs no timestamp, and Elasticsearch takes each filter's
 * hits in document order. Samples come sorted by their join keys, as the
 * composite aggregation behind `sample` returns its buckets (nulls first,
 * then by value) — Elasticsearch QA test_sample.toml.
 */
export function runSample(at: EventAt, ordered: Ordered, stages: readonly RuntimeStage[], maxPerKey = 1): number[][] {
  const groups = new Map<string, number[][]>();
  for (let idx = 0; idx < ordered.time.length; idx++) {
    const e = at(idx);
    stages.forEach((s, i) => {
      if (!s.filter(e)) return;
      for (const k of joinKeys(s, e)) {
        let g = groups.get(k);
        if (!g) groups.set(k, (g = stages.map(() => [])));
        g[i]!.push(idx);
      }
    });
  }
  const out: { key: unknown[]; n: number; events: number[] }[] = [];
  for (const [key, g] of groups) {
    const parsed = key === '' ? [] : (JSON.parse(key) as unknown[]);
    // Up to `max_samples_per_key` samples: sample j takes each filter's j-th event, or its last when it has fewer
    // (QA test_sample_multi.toml: one alert_2 event serves every sample of its key).
    const count = Math.min(maxPerKey, Math.max(...g.map((c) => c.length)));
    for (let j = 0; j < count; j++) {
      const pick = pickSample(g, j);
      if (pick) out.push({ key: parsed, n: j, events: pick });
    }
  }
  return out.sort((a, b) => compareKeys(a.key, b.key) || a.n - b.n).map((x) => x.events);
}

/** Sample `j` of a key: per filter the j-th candidate (the last when fewer), each event at most once in a sample. */
function pickSample(g: readonly (readonly number[])[], j: number): number[] | undefined {
  const used = new Set<number>();
  const pick: number[] = [];
  for (const cands of g) {
    const from = Math.min(j, cands.length - 1);
    let c: number | undefined;
    for (let k = 0; k < cands.length && c === undefined; k++) {
      const x = cands[(from + k) % cands.length]!;
      if (!used.has(x)) c = x;
    }
    if (c === undefined) return undefined;
    used.add(c);
    pick.push(c);
  }
  return pick;
}

const TYPE_RANK: Readonly<Record<string, number>> = { boolean: 1, number: 2, string: 3 };

/** Composite-aggregation order of join keys: position by position, null first, then booleans, numbers, strings by code point. */
function compareKeys(a: readonly unknown[], b: readonly unknown[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (x === null || y === null) return x === null ? -1 : 1;
    const rx = TYPE_RANK[typeof x] ?? 4;
    const ry = TYPE_RANK[typeof y] ?? 4;
    if (rx !== ry) return rx - ry;
    if (typeof x === 'string' && typeof y === 'string') return x < y ? -1 : 1;
    return Number(x) < Number(y) ? -1 : Number(x) > Number(y) ? 1 : 0;
  }
  return a.length - b.length;
}
