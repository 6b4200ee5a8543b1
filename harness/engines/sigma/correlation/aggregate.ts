import { compileRuleExpr } from './extended-condition.ts';
import type { Occurrence } from './occurrence.ts';
import type { Measure } from './spec.ts';

/** One occurrence as seen by one group: which of its rules put it there, and what it contributes. */
export interface Entry {
  readonly occ: Occurrence;
  /** Position in the time-sorted occurrence list; distinct per occurrence. */
  readonly seq: number;
  readonly rules: readonly number[];
  readonly values: readonly (string | number)[];
}

/** The live window of one group, oldest first. A head index keeps eviction O(1). */
export class Window {
  private items: Entry[] = [];
  private head = 0;
  get size(): number {
    return this.items.length - this.head;
  }
  oldest(): Entry | undefined {
    return this.items[this.head];
  }
  push(e: Entry): void {
    this.items.push(e);
  }
  shift(): Entry | undefined {
    const e = this.items[this.head++];
    if (this.head > 64 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return e;
  }
  toArray(): Entry[] {
    return this.items.slice(this.head);
  }
}

/**
 * The measure of sigma.md §9 for one group, kept up to date as entries enter
 * and leave its window. `value` is undefined when there is nothing to measure
 * (no values of the field in the window): no data, no alert.
 */
export interface Aggregator {
  add(e: Entry): void;
  remove(e: Entry): void;
  value(w: Window): number | undefined;
  /** The entries the alert lists. */
  contributing(w: Window): readonly Entry[];
}

const withValues = (w: Window): Entry[] => w.toArray().filter((e) => e.values.length > 0);

/** Counts per key, for distinct-count measures. */
class Tally<K> {
  private readonly counts = new Map<K, number>();
  get size(): number {
    return this.counts.size;
  }
  keys(): ReadonlySet<K> {
    return new Set(this.counts.keys());
  }
  add(k: K): void {
    this.counts.set(k, (this.counts.get(k) ?? 0) + 1);
  }
  remove(k: K): void {
    const n = (this.counts.get(k) ?? 0) - 1;
    if (n <= 0) this.counts.delete(k);
    else this.counts.set(k, n);
  }
}

/**
 * Running sum kept exact: integers (the usual byte counts) add and subtract
 * exactly below 2^53; while any non-integer is in the window the total is
 * recomputed, so float drift never decides a threshold.
 */
class ExactSum {
  count = 0;
  private sum = 0;
  private fractional = 0;
  add(v: number): void {
    this.count++;
    this.sum += v;
    if (!Number.isSafeInteger(v)) this.fractional++;
  }
  remove(v: number): void {
    this.count--;
    this.sum -= v;
    if (!Number.isSafeInteger(v)) this.fractional--;
  }
  total(w: Window): number {
    if (this.fractional === 0 && Number.isSafeInteger(this.sum)) return this.sum;
    let t = 0;
    for (const e of w.toArray()) for (const v of e.values) if (typeof v === 'number') t += v;
    return t;
  }
}

/** First index whose value is ≥ v (the window's values kept sorted for the percentile). */
function lowerBound(sorted: readonly number[], v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** temporal_ordered: greedy leftmost match of `rules` in order, each step a later occurrence than the previous. */
function orderedChain(w: Window, ruleCount: number): Entry[] {
  const chain: Entry[] = [];
  for (const e of w.toArray()) {
    if (chain.length < ruleCount && e.rules.includes(chain.length)) chain.push(e);
  }
  return chain;
}

const noop = (): void => {};

/** A fresh aggregator for one group. */
export function aggregatorFactory(measure: Measure, ruleCount: number, position: (name: string) => number): () => Aggregator {
  switch (measure.type) {
    case 'event_count':
      return () => ({ add: noop, remove: noop, value: (w) => w.size, contributing: (w) => w.toArray() });
    case 'value_count':
      return () => {
        const t = new Tally<string | number>();
        return {
          add: (e) => e.values.forEach((v) => t.add(v)),
          remove: (e) => e.values.forEach((v) => t.remove(v)),
          value: () => (t.size === 0 ? undefined : t.size),
          contributing: withValues,
        };
      };
    case 'temporal': {
      const expr = measure.expression ? compileRuleExpr(measure.expression, position) : undefined;
      return () => {
        const t = new Tally<number>();
        return {
          add: (e) => e.rules.forEach((r) => t.add(r)),
          remove: (e) => e.rules.forEach((r) => t.remove(r)),
          value: () => (expr ? (expr(t.keys()) ? 1 : 0) : t.size),
          contributing: (w) => w.toArray(),
        };
      };
    }
    case 'temporal_ordered':
      return () => ({ add: noop, remove: noop, value: (w) => orderedChain(w, ruleCount).length, contributing: (w) => orderedChain(w, ruleCount) });
    case 'value_sum':
    case 'value_avg': {
      const avg = measure.type === 'value_avg';
      return () => {
        const sum = new ExactSum();
        return {
          add: (e) => e.values.forEach((v) => typeof v === 'number' && sum.add(v)),
          remove: (e) => e.values.forEach((v) => typeof v === 'number' && sum.remove(v)),
          value: (w) => (sum.count === 0 ? undefined : avg ? sum.total(w) / sum.count : sum.total(w)),
          contributing: withValues,
        };
      };
    }
    case 'value_percentile': {
      // Nearest rank: the smallest value whose 1-based rank r has r·100 ≥ n·p (as pySigma's SQL backends rank).
      const p = measure.percentile;
      return () => {
        const sorted: number[] = [];
        return {
          add: (e) => e.values.forEach((v) => typeof v === 'number' && sorted.splice(lowerBound(sorted, v), 0, v)),
          remove: (e) => e.values.forEach((v) => typeof v === 'number' && sorted.splice(lowerBound(sorted, v), 1)),
          value: () => (sorted.length === 0 ? undefined : sorted[Math.max(1, Math.ceil((sorted.length * p) / 100)) - 1]),
          contributing: withValues,
        };
      };
    }
  }
}
