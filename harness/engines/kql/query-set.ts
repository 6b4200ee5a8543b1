import { anchorsOf, type Anchor, type CompiledQuery } from './compile-query.ts';
import type { FieldIndex, PreparedEvent, SlotRef } from '../common/prepared-event.ts';
import { defaultFieldIndex } from './default-field-index.ts';

/**
 * Many queries over the same prepared events, with an index from (field,
 * literal) to queries — the prefilter Elasticsearch's term dictionary gives
 * for free. A query whose every match needs some value of field F to equal
 * one of its literals (its anchor: a top-level `F: lit` or `F: (a or b)`
 * conjunct) cannot match an event where F has none of them; the set looks each
 * anchor field's values up once per event and runs only the queries whose
 * literal is there, plus the queries without an anchor. Of a query's anchors
 * it uses one, chosen so that few fields cover all queries (greedy set cover:
 * fewer fields read per event, and most of them share parent objects). The
 * answers are exactly those of `matchesPrepared` for every query
 * (prepared.test.ts).
 */
export class KqlQuerySet {
  /** Per anchor field: which queries each value selects. */
  private readonly fields: AnchorField[] = [];
  /** Queries evaluated on every event. */
  private readonly always: number[] = [];
  /** `stamp[i] === epoch`: query i is a candidate for the current event. */
  private readonly stamp: Int32Array;
  private epoch = 0;
  /** The highest anchor slot: an event prepared before it was registered is evaluated without the index. */
  private maxSlot = -1;

  constructor(
    private readonly queries: readonly CompiledQuery[],
    private readonly index: FieldIndex = defaultFieldIndex,
  ) {
    this.stamp = new Int32Array(queries.length);
    const pending = new Map<number, readonly Anchor[]>();
    queries.forEach((q, i) => {
      const anchors = anchorsOf(q, index);
      if (anchors.length === 0) this.always.push(i);
      else pending.set(i, anchors);
    });
    while (pending.size > 0) {
      // The field anchoring the most queries still unassigned (ties: the lowest slot, for a stable choice).
      const votes = new Map<number, number>();
      for (const anchors of pending.values()) for (const slot of new Set(anchors.map((a) => a.ref.slot))) votes.set(slot, (votes.get(slot) ?? 0) + 1);
      const [best] = [...votes].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]!;
      let field: AnchorField | undefined;
      for (const [i, anchors] of pending) {
        const a = anchors.find((x) => x.ref.slot === best);
        if (a === undefined) continue;
        field ??= new AnchorField(a.ref, this.stamp);
        field.add(a, i);
        pending.delete(i);
      }
      this.fields.push(field!);
      this.maxSlot = Math.max(this.maxSlot, best);
    }
  }

  /**
   * Call `hit(i)` for every query `i` that matches the event, in increasing `i`.
   * @example set.forEachMatch(prepareEvent(event), (i) => counts[i]++)
   */
  forEachMatch(pe: PreparedEvent, hit: (i: number) => void): void {
    const qs = this.queries;
    if (pe.index !== this.index || pe.size <= this.maxSlot) {
      for (let i = 0; i < qs.length; i++) if (qs[i]!.matchesPrepared(pe)) hit(i);
      return;
    }
    // A wrapped epoch restarts the stamps (2^31 events later).
    if (this.epoch === 0x7fffffff) {
      this.stamp.fill(0);
      this.epoch = 0;
    }
    const epoch = ++this.epoch;
    for (const f of this.fields) f.mark(pe, epoch);
    for (const i of this.always) this.stamp[i] = epoch;
    for (let i = 0; i < qs.length; i++) if (this.stamp[i] === epoch && qs[i]!.matchesPrepared(pe)) hit(i);
  }
}

/** One anchor field: its literal → queries maps, and a visitor stamping the candidates of one event. */
class AnchorField {
  private readonly strings = new Map<string, number[]>();
  private readonly numbers = new Map<number, number[]>();
  private readonly booleans = new Map<boolean, number[]>();
  private epoch = 0;
  /** Created once: visits every value (never stops early). */
  private readonly visit = (v: unknown): boolean => {
    const qs = typeof v === 'string' ? this.strings.get(v) : typeof v === 'number' ? this.numbers.get(v) : typeof v === 'boolean' ? this.booleans.get(v) : undefined;
    if (qs !== undefined) for (const i of qs) this.stamp[i] = this.epoch;
    return false;
  };

  constructor(
    private readonly ref: SlotRef,
    private readonly stamp: Int32Array,
  ) {}

  add(a: Anchor, query: number): void {
    const put = <K>(m: Map<K, number[]>, k: K): void => {
      const list = m.get(k);
      if (list === undefined) m.set(k, [query]);
      else if (!list.includes(query)) list.push(query);
    };
    for (const s of a.strings) put(this.strings, s);
    for (const n of a.numbers) put(this.numbers, n);
    for (const b of a.booleans) put(this.booleans, b);
  }

  mark(pe: PreparedEvent, epoch: number): void {
    this.epoch = epoch;
    this.ref.any(pe, this.visit);
  }
}
