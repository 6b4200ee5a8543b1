import type { Event } from '../../core/event.ts';

/**
 * Prepared events: resolve every field path the compiled queries read ONCE per
 * event, so that N queries over one event cost one walk of the event plus an
 * array read per leaf, instead of N property walks over differently-shaped
 * (megamorphic) objects. The indexing step Elasticsearch itself does.
 *
 * A `FieldIndex` interns the dotted paths queries use as small integer slots
 * and keeps a trie of key runs leading to them. `prepare(event)` walks only
 * the keys on that trie and stores each slot's flattened values. Resolution is
 * exactly field-access.ts's: a path is reached through every sequence of keys
 * whose dotted join is the path (nested objects *and* literal dotted keys, any
 * split), arrays are transparent and multi-valued, a property whose value is
 * `undefined` is absent while an `undefined` array element is a value, and keys
 * that objects inherit from Object.prototype (`constructor`, `__proto__`) count
 * only as own properties. Events are read as JSON data: enumerable properties.
 *
 * A query compiled after an event was prepared may read slots the event lacks;
 * compile-query.ts then evaluates that event the plain way (`pe.size`).
 */

/** Several values in one slot (a module-private class, so no event value can pose as one). */
class MultiValue {
  constructor(readonly values: unknown[]) {}
}

/** One edge of the key trie: an object key that leads to `node`. */
interface Edge {
  readonly node: TrieNode;
  /** Key inherited by every object (`constructor`, `__proto__`): only an own property counts. */
  readonly guard: boolean;
}

interface TrieNode {
  /** The slot of this dotted path when a query reads it, else -1. */
  slot: number;
  /** Keys (single or dot-joined runs of name parts) continuing towards some read path; null for none. */
  children: Map<string, Edge> | null;
}

const hasOwn = Object.prototype.hasOwnProperty;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A prepared event: the source event plus the values of every slot known when it was prepared. */
export interface PreparedEvent {
  readonly event: Event;
  /** The index that prepared it. */
  readonly index: FieldIndex;
  /** Slots `0 .. size-1` were resolved; a slot at or above `size` was registered later. */
  readonly size: number;
  /** Per slot: undefined when the field is missing, else its value or a MultiValue. */
  readonly slots: readonly unknown[];
}

/** At most this many slots per index, so hostile or generated field names cannot grow it without bound; later names get no slot (plain evaluation). */
const MAX_SLOTS = 1 << 14;

export class FieldIndex {
  private readonly root: TrieNode = { slot: -1, children: null };
  /** Trie nodes by dotted prefix (the root, prefix of no parts, is kept apart from the field named ''). */
  private readonly byPrefix = new Map<string, TrieNode>();
  private count = 0;

  /** Number of slots registered. */
  get size(): number {
    return this.count;
  }

  /**
   * The slot of a dotted field path, registering it (and the trie leading to
   * it) on first use; -1 when the index is full.
   */
  slotOf(name: string): number {
    const known = this.byPrefix.get(name);
    if (known !== undefined && known.slot >= 0) return known.slot;
    if (this.count >= MAX_SLOTS) return -1;
    const parts = name.split('.');
    // nodes[i]: the node of the first i parts; every run parts[i..j) is an edge nodes[i] → nodes[j].
    const nodes: TrieNode[] = [this.root];
    let prefix = '';
    for (let i = 1; i <= parts.length; i++) {
      prefix = i === 1 ? parts[0]! : `${prefix}.${parts[i - 1]!}`;
      let node = this.byPrefix.get(prefix);
      if (node === undefined) this.byPrefix.set(prefix, (node = { slot: -1, children: null }));
      nodes.push(node);
    }
    for (let i = 0; i < parts.length; i++) {
      const from = nodes[i]!;
      let key = '';
      for (let j = i + 1; j <= parts.length; j++) {
        key = j === i + 1 ? parts[i]! : `${key}.${parts[j - 1]!}`;
        from.children ??= new Map();
        if (!from.children.has(key)) from.children.set(key, { node: nodes[j]!, guard: key in Object.prototype });
      }
    }
    const target = nodes[parts.length]!;
    if (target.slot < 0) target.slot = this.count++;
    return target.slot;
  }

  /**
   * Resolve every registered slot of `event` once. Never mutates the event.
   * @example index.prepare({ process: { name: 'cmd.exe' } })
   */
  prepare(event: Event): PreparedEvent {
    // A non-object root (which plain access resolves inconsistently: arrays only for dotted names) is left unprepared: size 0 means plain evaluation.
    if (!isRecord(event)) return { event, index: this, size: 0, slots: [] };
    const size = this.count;
    const slots: unknown[] = new Array<unknown>(size);
    if (this.root.children !== null) walkValue(event, this.root, slots);
    return { event, index: this, size, slots };
  }
}

function record(slots: unknown[], slot: number, v: unknown): void {
  const cur = slots[slot];
  if (cur === undefined) slots[slot] = v === undefined ? new MultiValue([undefined]) : v;
  else if (cur instanceof MultiValue) cur.values.push(v);
  else slots[slot] = new MultiValue([cur, v]);
}

/** A value reached at `node` (the root: the event itself). Arrays are transparent at every level. */
function walkValue(v: unknown, node: TrieNode, slots: unknown[]): void {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) walkValue(v[i], node, slots);
    return;
  }
  if (node.slot >= 0) record(slots, node.slot, v);
  const children = node.children;
  if (children === null || !isRecord(v)) return;
  for (const k in v) {
    const edge = children.get(k);
    if (edge === undefined) continue;
    if (edge.guard && !hasOwn.call(v, k)) continue;
    const x = v[k];
    if (x !== undefined) walkValue(x, edge.node, slots);
  }
}

/**
 * Does some value of `slot` satisfy `p`? False when the field is missing.
 * @example slotAny(pe, index.slotOf('process.name'), (v) => v === 'cmd.exe')
 */
export function slotAny(pe: PreparedEvent, slot: number, p: (v: unknown) => boolean): boolean {
  const s = pe.slots[slot];
  if (s === undefined) return false;
  if (!(s instanceof MultiValue)) return p(s);
  const vs = s.values;
  for (let i = 0; i < vs.length; i++) if (p(vs[i])) return true;
  return false;
}

/** Is the field of `slot` present (some value, even null or undefined inside an array)? */
export function slotPresent(pe: PreparedEvent, slot: number): boolean {
  return pe.slots[slot] !== undefined;
}

/** The index every query compiled without an explicit `fieldIndex` option registers its fields in. */
export const defaultFieldIndex = new FieldIndex();

/**
 * Prepare an event for `matchesPrepared` of queries compiled on the default index.
 * @example const pe = prepareEvent(event); queries.filter((q) => q.matchesPrepared(pe))
 */
export function prepareEvent(event: Event): PreparedEvent {
  return defaultFieldIndex.prepare(event);
}
