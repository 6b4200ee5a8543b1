import type { Event } from '../../core/event.ts';
import { isRecord } from '../../core/event.ts';

/**
 * Prepared events: resolve each field path the compiled queries read at most
 * ONCE per event, so that N queries over one event cost one walk of the parts
 * of the event they need plus an array read per leaf, instead of N property
 * walks over differently-shaped (megamorphic) objects — the indexing step
 * Elasticsearch itself does, done lazily.
 *
 * A `FieldIndex` interns every dot-boundary prefix of the paths queries use
 * as a trie node with a small integer id (a "slot"); its edges are the object
 * keys — single name parts *and* dot-joined runs of them — that lead from one
 * prefix to a longer one. Resolving a slot in a prepared event expands, in
 * order, each shorter prefix not yet expanded: every object reached there is
 * enumerated once (`for…in`, which reads values by the object's own layout
 * instead of a per-name megamorphic lookup), and the values of every child
 * key on the trie are stored. Objects no evaluated query needs are never
 * enumerated.
 *
 * Resolution is field-access.ts's (and fields.ts's `fieldGetter`'s, but for
 * `undefined` properties, which `fieldGetter` reports): a path is reached through every
 * sequence of keys whose dotted join is the path (nested objects *and*
 * literal dotted keys, any split), arrays are transparent and multi-valued, a
 * property whose value is `undefined` is absent while an `undefined` array
 * element is a value, and keys every object inherits from Object.prototype
 * (`constructor`, `__proto__`) count only as own properties. Events are read
 * as JSON data (enumerable properties). Values reached through different
 * spellings come in the order the event's keys are enumerated.
 * prepared-event.test.ts and the engines' own tests check the agreement.
 *
 * A query compiled after an event was prepared may use slots the event's
 * index did not know yet; engines evaluate that event the plain way (`size`).
 * Used by KQL/Lucene (kql/compile-query.ts) and EQL (eql/field-access.ts).
 */

/** Several values reached at one node (a module-private class, so no event value can pose as one). */
class MultiValue {
  constructor(readonly values: unknown[]) {}
}

/** The values of a stored `SlotRef.values` result that holds several; undefined for one value or none. */
export function multiValues(stored: unknown): readonly unknown[] | undefined {
  return stored instanceof MultiValue ? stored.values : undefined;
}

/** One edge of the key trie: an object key that leads to `node`. */
interface Edge {
  readonly node: TrieNode;
  /** The node's index in `values`. */
  readonly at: number;
  /** A key every object inherits (`constructor`, `__proto__`): only an own property counts. */
  readonly guard: boolean;
}

interface TrieNode {
  readonly id: number;
  /** The node's expanded bit: `expanded[word] & mask`. */
  readonly word: number;
  readonly mask: number;
  /** The proper prefixes (root first): all must be expanded before this node's values are complete. */
  readonly chain: readonly TrieNode[];
  /** Keys continuing towards some read path; null for none. */
  children: Map<string, Edge> | null;
}

/**
 * A prepared event. `values` and `expanded` are private to this module: for
 * node `i`, `values[i]` holds the values reached there (undefined: none yet /
 * missing; a value; a MultiValue), and its bit in `expanded` (BITS per word,
 * small integers) is set once the node's objects were enumerated.
 */
export interface PreparedEvent {
  readonly event: Event;
  /** The index that prepared it. */
  readonly index: FieldIndex;
  /** Nodes `0 .. size-1` can be resolved; a node at or above `size` was registered later. */
  readonly size: number;
  readonly values: unknown[];
  readonly expanded: number[];
}

/** Expanded bits per word of `PreparedEvent.expanded`: 30 keeps every word a small integer. */
const BITS = 30;

const hasOwn = Object.prototype.hasOwnProperty;

/** At most this many trie nodes per index, so hostile or generated field names cannot grow it without bound; later names get no slot (plain evaluation). */
const MAX_NODES = 1 << 14;

/**
 * Where a compiled leaf reads one field of a prepared event, with the
 * indexes fixed at compile time. The readers are methods (not module
 * functions) so the hot path makes no cross-module call.
 */
export class SlotRef {
  constructor(
    /** The node's id: its index in `values`. */
    readonly slot: number,
    /** The expanded bit of the node's parent (longest proper prefix): once set, the node's values are complete. */
    private readonly readyWord: number,
    private readonly readyMask: number,
  ) {}

  /**
   * The values here as stored, resolved on first read: undefined (missing),
   * the one value, or several (`multiValues` lists them). Arrays never
   * appear: they are flattened into their elements.
   */
  values(pe: PreparedEvent): unknown {
    if ((pe.expanded[this.readyWord]! & this.readyMask) === 0) pe.index.resolve(pe, this.slot);
    return pe.values[this.slot];
  }

  /**
   * Does some value of the field satisfy `p`? False when it is missing.
   * @example index.slotOf('process.name')!.any(pe, (v) => v === 'cmd.exe')
   */
  any(pe: PreparedEvent, p: (v: unknown) => boolean): boolean {
    const s = this.values(pe);
    if (s === undefined) return false;
    if (!(s instanceof MultiValue)) return p(s);
    const vs = s.values;
    for (let i = 0; i < vs.length; i++) if (p(vs[i])) return true;
    return false;
  }

  /** Is the field present (some value, even null, or undefined inside an array)? */
  present(pe: PreparedEvent): boolean {
    return this.values(pe) !== undefined;
  }
}

export class FieldIndex {
  private readonly nodes: TrieNode[] = [];
  /** Nodes by dotted prefix (the root, prefix of no parts, is kept apart from the field named ''). */
  private readonly byPrefix = new Map<string, TrieNode>();
  private readonly root: TrieNode = this.newNode([]);

  /** Number of trie nodes. */
  get size(): number {
    return this.nodes.length;
  }

  private newNode(chain: readonly TrieNode[]): TrieNode {
    const id = this.nodes.length;
    const node: TrieNode = { id, word: Math.floor(id / BITS), mask: 1 << id % BITS, chain, children: null };
    this.nodes.push(node);
    return node;
  }

  /**
   * Where a dotted field path is read, registering it (and the trie leading
   * to it) on first use; undefined when the index is full.
   */
  slotOf(name: string): SlotRef | undefined {
    const node = this.byPrefix.get(name) ?? this.register(name);
    if (node === undefined) return undefined;
    const parent = node.chain[node.chain.length - 1]!;
    return new SlotRef(node.id, parent.word, parent.mask);
  }

  private register(name: string): TrieNode | undefined {
    const parts = name.split('.');
    if (this.nodes.length + parts.length > MAX_NODES) return undefined;
    // nodes[i]: the node of the first i parts; every run parts[i..j) is an edge nodes[i] → nodes[j].
    const nodes: TrieNode[] = [this.root];
    let prefix = '';
    for (let i = 1; i <= parts.length; i++) {
      prefix = i === 1 ? parts[0]! : `${prefix}.${parts[i - 1]!}`;
      let node = this.byPrefix.get(prefix);
      if (node === undefined) this.byPrefix.set(prefix, (node = this.newNode(nodes.slice())));
      nodes.push(node);
    }
    for (let i = 0; i < parts.length; i++) {
      const from = nodes[i]!;
      let key = '';
      for (let j = i + 1; j <= parts.length; j++) {
        key = j === i + 1 ? parts[i]! : `${key}.${parts[j - 1]!}`;
        from.children ??= new Map();
        if (!from.children.has(key)) from.children.set(key, { node: nodes[j]!, at: nodes[j]!.id, guard: key in Object.prototype });
      }
    }
    return nodes[parts.length];
  }

  /**
   * Wrap an event for `matchesPrepared`: cheap; fields are resolved on first
   * read, once. Never mutates the event.
   * @example index.prepare({ process: { name: 'cmd.exe' } })
   */
  prepare(event: Event): PreparedEvent {
    // A non-object root (which plain access resolves inconsistently: arrays only for dotted names) is left unprepared: size 0 means plain evaluation.
    if (!isRecord(event)) return { event, index: this, size: 0, values: [], expanded: [] };
    const size = this.nodes.length;
    const expanded: number[] = [];
    for (let w = Math.ceil(size / BITS); w > 0; w--) expanded.push(0);
    return { event, index: this, size, values: new Array<unknown>(size), expanded };
  }

  /**
   * `prepare(event)`, reusing `pe`'s storage when this index made it and has
   * not grown since: `pe` then no longer describes its old event. For a
   * caller that evaluates one event at a time (no allocation per event).
   */
  prepareAgain(pe: PreparedEvent, event: Event): PreparedEvent {
    if (pe.index !== this || pe.size !== this.nodes.length || pe.size === 0 || !isRecord(event)) return this.prepare(event);
    const reused = pe as { event: Event };
    reused.event = event;
    pe.values.fill(undefined);
    pe.expanded.fill(0);
    return pe;
  }

  /** Expand every proper prefix of `slot` not expanded yet, so that its values are complete. */
  resolve(pe: PreparedEvent, slot: number): void {
    const ex = pe.expanded;
    for (const node of this.nodes[slot]!.chain) if ((ex[node.word]! & node.mask) === 0) expand(pe, node);
  }
}

/** Store a value reached at the node whose values are `vals[at]`; arrays are transparent (flattened, `undefined` elements kept). */
function add(vals: unknown[], at: number, v: unknown): void {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) add(vals, at, v[i]);
    return;
  }
  const cur = vals[at];
  if (cur === undefined) vals[at] = v === undefined ? new MultiValue([undefined]) : v;
  else if (cur instanceof MultiValue) cur.values.push(v);
  else vals[at] = new MultiValue([cur, v]);
}

function expandObject(vals: unknown[], obj: Record<string, unknown>, children: Map<string, Edge>): void {
  for (const k in obj) {
    const edge = children.get(k);
    if (edge === undefined) continue;
    if (edge.guard && !hasOwn.call(obj, k)) continue;
    const x = obj[k];
    if (x === undefined) continue;
    // The common case first: the first plain value reached at this node.
    if (vals[edge.at] === undefined && !Array.isArray(x)) vals[edge.at] = x;
    else add(vals, edge.at, x);
  }
}

/** Enumerate every object reached at `node` once, storing the values of its trie children. */
function expand(pe: PreparedEvent, node: TrieNode): void {
  const vals = pe.values;
  pe.expanded[node.word] = pe.expanded[node.word]! | node.mask;
  const children = node.children;
  if (children === null) return;
  const v = node.id === 0 ? pe.event : vals[node.id];
  if (v instanceof MultiValue) {
    for (const x of v.values) if (isRecord(x)) expandObject(vals, x, children);
  } else if (isRecord(v)) expandObject(vals, v, children);
}
