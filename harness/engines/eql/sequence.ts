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

/** The join key of an event for a stage, or undefined when a required key is null (event ignored). */
export function joinKey(stage: RuntimeStage, e: unknown): string | undefined {
  if (stage.keys.length === 0) return '';
  const vals: unknown[] = [];
  for (let i = 0; i < stage.keys.length; i++) {
    const v = stage.keys[i]!(e);
    if (v === null && !stage.optional[i]) return undefined;
    vals.push(v);
  }
  // Typed, so "5" and 5 stay distinct (Decision, eql.md §10.2); arrays compare whole.
  return JSON.stringify(vals);
}

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
      const k = joinKey(s, e);
      if (k === undefined) return;
      const list = idx.get(k);
      if (list) list.push(p);
      else idx.set(k, [p]);
    });
    missingIndex.set(s, idx);
  }
  const hasMissing = missingIndex.size > 0;

  /** Can the missing stages be filled in around this candidate within maxspan? Then it is rejected. */
  const rejected = (cand: Partial, key: string): boolean => {
    let minPos = cand.pos[0]!;
    let maxPos = cand.pos[cand.pos.length - 1]!;
    for (let gi = 0; gi < gaps.length; gi++) {
      const ms = gaps[gi]!;
      if (ms.length === 0) continue;
      if (gi === 0) {
        let cur = cand.pos[0]!;
        for (let m = ms.length - 1; m >= 0; m--) {
          const p = lastBefore(missingIndex.get(ms[m]!)!.get(key) ?? [], cur);
          if (p === undefined) return false;
          cur = p;
        }
        minPos = cur;
      } else {
        let cur = cand.pos[gi - 1]!;
        const bound = gi < cand.pos.length ? cand.pos[gi]! : Infinity;
        for (const m of ms) {
          const p = firstAfter(missingIndex.get(m)!.get(key) ?? [], cur);
          if (p === undefined || p >= bound) return false;
          cur = p;
        }
        if (gi === cand.pos.length) maxPos = cur;
      }
    }
    return time[order[maxPos]!]! - time[order[minPos]!]! <= maxspanMs!;
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
    if (until && until.filter(e)) {
      const k = joinKey(until, e);
      if (k !== undefined) {
        // Decision (eql.md §10.3): an until event only cancels, it is not also used by a stage.
        state.delete(k);
        continue;
      }
    }
    for (let s = last; s >= 1; s--) {
      const stage = positives[s]!;
      if (!stage.filter(e)) continue;
      const k = joinKey(stage, e);
      if (k === undefined) continue;
      const st = state.get(k);
      const p = st?.[s - 1];
      if (!st || !p) continue;
      st[s - 1] = undefined;
      if (maxspanMs !== undefined && t - p.start > maxspanMs) continue;
      const next: Partial = { events: [...p.events, idx], pos: [...p.pos, pos], start: p.start };
      if (s === last) complete(next, k);
      else st[s] = next;
    }
    const first = positives[0]!;
    if (first.filter(e)) {
      const k = joinKey(first, e);
      if (k === undefined) continue;
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
 * takes the earliest qualifying event not already used (Decision). Samples
 * come in the order of their key's first qualifying event.
 */
export function runSample(at: EventAt, ordered: Ordered, stages: readonly RuntimeStage[]): number[][] {
  const groups = new Map<string, number[][]>();
  for (const idx of ordered.order) {
    const e = at(idx);
    stages.forEach((s, i) => {
      if (!s.filter(e)) return;
      const k = joinKey(s, e);
      if (k === undefined) return;
      let g = groups.get(k);
      if (!g) groups.set(k, (g = stages.map(() => [])));
      g[i]!.push(idx);
    });
  }
  const out: number[][] = [];
  for (const g of groups.values()) {
    const used = new Set<number>();
    const pick: number[] = [];
    for (const cands of g) {
      const c = cands.find((x) => !used.has(x));
      if (c === undefined) break;
      used.add(c);
      pick.push(c);
    }
    if (pick.length === stages.length) out.push(pick);
  }
  return out;
}
