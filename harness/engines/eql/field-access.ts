import { type FieldGetter, fieldGetter } from '../common/fields.ts';

/**
 * Field reads for the EQL hot path: `null` when the field is missing (or null,
 * or an empty array), the value itself when single-valued, and an array of
 * values (nulls removed, nested arrays flattened) when multi-valued.
 *
 * Nested objects are walked directly; anything unusual (arrays on the way,
 * literal dotted keys such as `{"process.name": …}`) falls back to the shared
 * `fieldGetter`, which resolves every spelling. A value found by the direct
 * walk wins over a duplicate spelled with a literal dotted key.
 *
 * Two ways to read, with one definition of the value:
 * - direct (`fieldRead`): a pure function of the event, nothing remembered;
 * - through an `EventFrame` (`FrameFields`): each path (and each object on
 *   the way) is read at most once per evaluation and shared by every leaf and
 *   every query reading it. Property loads on thousands of differently shaped
 *   events are megamorphic and dominate evaluation, so this is the hot path.
 *   A frame is reset at the start of every evaluation: nothing survives from
 *   one call to the next, so an event edited in place between calls is read
 *   afresh (no identity-keyed cache).
 */
export type FieldRead = (event: unknown) => unknown;

/** Where compiled expressions get field values from (an event, or a frame over one). */
export interface FieldSource {
  read(name: string): FieldRead;
  /** The value with strings lower-cased (for case-insensitive tests). */
  readLower(name: string): FieldRead;
}

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
const isPlain = (o: unknown): o is Record<string, unknown> => typeof o === 'object' && o !== null && !Array.isArray(o);

function normalize(values: readonly unknown[]): unknown {
  let out: unknown[] | undefined;
  for (let i = 0; i < values.length; i++) {
    if (values[i] == null) out ??= values.slice(0, i);
    else if (out) out.push(values[i]);
  }
  const vs = out ?? values;
  if (vs.length === 0) return null;
  if (vs.length === 1) return vs[0];
  return vs;
}

/** Own property `k` of a plain object; `k` names inherited from Object.prototype need the own check. */
function childReader(k: string): (o: unknown) => unknown {
  if (k in Object.prototype) return (o) => (isPlain(o) && hasOwn(o, k) ? o[k] : undefined);
  return (o) => (isPlain(o) ? o[k] : undefined);
}

const fold = (v: unknown): unknown => (typeof v === 'string' ? v.toLowerCase() : Array.isArray(v) ? v.map(fold) : v);

/**
 * The reader of a dotted field, given how to reach the objects along its path:
 * `node(parts)` reads the object (or value) at that prefix, `node([])` the event.
 */
function pathRead(name: string, node: (parts: readonly string[]) => FieldRead): FieldRead {
  let slowGet: FieldGetter | undefined;
  const root = node([]);
  const slow = (x: unknown): unknown => normalize((slowGet ??= fieldGetter(name))(root(x)));
  const parts = name.split('.');
  const n = parts.length;
  const ancestors = parts.map((_, i) => node(parts.slice(0, i)));
  const parent = ancestors[n - 1]!;
  const child = childReader(parts[n - 1]!);
  // dotted[d]: the literal dotted spellings of the rest of the path, as keys of the object at depth d (made on first need).
  let spellings: string[][] | undefined;
  const dottedAt = (): string[][] => (spellings ??= parts.map((_, d) => parts.slice(d + 1).map((__, j) => parts.slice(d, d + j + 2).join('.'))));
  return (x) => {
    const o = parent(x);
    if (isPlain(o)) {
      const v = child(o);
      if (v !== undefined && v !== null) return Array.isArray(v) ? slow(x) : v;
    } else if (o !== undefined && o !== null) return slow(x);
    // Not on the direct path: a literal dotted key on the way may still spell it.
    // (Dotted names cannot be inherited from Object.prototype, so plain loads are safe.)
    for (let d = 0; d < n; d++) {
      const a = ancestors[d]!(x);
      if (!isPlain(a)) {
        // An array (or a scalar) on the way: only the general resolver knows what it holds.
        if (a !== undefined && a !== null) return slow(x);
        break;
      }
      const keys = dottedAt()[d]!;
      for (let j = 0; j < keys.length; j++) if (a[keys[j]!] !== undefined) return slow(x);
    }
    return null;
  };
}

// ---- direct reads --------------------------------------------------------------

const ROOT: FieldRead = (e) => e;
const directNodes = new Map<string, FieldRead>();

/** The object or value reached by walking nested objects along `parts` (closures are shared; no values are kept). */
function directNode(parts: readonly string[]): FieldRead {
  if (parts.length === 0) return ROOT;
  const key = parts.join('\u0000');
  let n = directNodes.get(key);
  if (!n) {
    const parent = directNode(parts.slice(0, -1));
    const child = childReader(parts[parts.length - 1]!);
    n = (e) => child(parent(e));
    directNodes.set(key, n);
  }
  return n;
}

const readers = new Map<string, FieldRead>();

/** The reader of a field, straight from the event. */
export function fieldRead(name: string): FieldRead {
  let r = readers.get(name);
  if (!r) readers.set(name, (r = pathRead(name, directNode)));
  return r;
}

/** The field's value with strings lower-cased. */
export function fieldReadLower(name: string): FieldRead {
  const read = fieldRead(name);
  return (e) => fold(read(e));
}

export const DIRECT_FIELDS: FieldSource = { read: fieldRead, readLower: fieldReadLower };

// ---- reads through a frame ---------------------------------------------------

/**
 * One event under evaluation, with the values read from it so far. A slot's
 * value is current when its stamp equals `gen`; `reset` starts a new
 * generation, which forgets every value at once. Only FrameFields reads and
 * writes the slots.
 */
export class EventFrame {
  event: unknown = undefined;
  /** @internal */ gen = 0;
  /** @internal */ readonly stamp: Int32Array;
  /** @internal */ readonly vals: unknown[];

  constructor(size: number) {
    this.stamp = new Int32Array(size);
    this.vals = new Array<unknown>(size).fill(null);
  }

  /** Start evaluating `event`: no value read before is used again. */
  reset(event: unknown): this {
    this.event = event;
    if (++this.gen === 0x7fffffff) {
      this.stamp.fill(0);
      this.gen = 1;
    }
    return this;
  }
}

/**
 * An object (or value) on some field's path. Its children are the next path
 * parts some field goes through; its spellings, the literal dotted keys that
 * would spell the rest of some field's path from here.
 */
class PathNode {
  /** Next path parts; null until some field goes deeper. */
  children: Map<string, PathNode> | null = null;
  /** Children named like an Object.prototype member: read with the own-property check. */
  guarded: PathNode[] | null = null;
  /** Remaining parts (2 or more) of the fields below, whose dotted joins could be keys here; turned into `spellings` on first scan. */
  private tails: (readonly string[])[] | null = null;
  private spellingSet: Set<string> | null = null;
  constructor(
    readonly key: string,
    readonly parent: PathNode | null,
    /** Slot of this node's value (the root's is the event itself). */
    readonly slot: number,
    /** Slot recording that this node's object was scanned (value: a dotted spelling was seen). */
    readonly scanned: number,
  ) {}

  /** This child's value in its parent object `o` (childReader's rule). */
  readIn(o: Record<string, unknown>): unknown {
    const k = this.key;
    return k in Object.prototype && !hasOwn(o, k) ? undefined : o[k];
  }

  addTail(parts: readonly string[]): void {
    (this.tails ??= []).push(parts);
    this.spellingSet = null;
  }

  /** The literal dotted keys that would spell (part of) a field below this object. */
  spellings(): Set<string> {
    if (this.spellingSet) return this.spellingSet;
    const set = new Set<string>();
    for (const t of this.tails ?? []) {
      let key = t[0]!;
      for (let j = 1; j < t.length; j++) set.add((key = `${key}.${t[j]!}`));
    }
    return (this.spellingSet = set);
  }
}

const NO_CHILDREN: ReadonlyMap<string, PathNode> = new Map();

/**
 * Scan the object at `node` once: every child on a registered path is stored
 * in its slot, absent ones stay stale (and read as absent), and a registered
 * dotted spelling among its keys is noted. A JSON-like object (prototype
 * Object.prototype or null) is scanned with one for-in, whose loads do not go
 * through the megamorphic property cache; anything else child by child.
 */
function scan(f: EventFrame, node: PathNode, o: unknown): void {
  const { stamp, vals, gen } = f;
  let dotted = false;
  if (isPlain(o)) {
    const proto = Object.getPrototypeOf(o) as unknown;
    if (proto === Object.prototype || proto === null) {
      const children = node.children ?? NO_CHILDREN;
      const spellings = node.spellings();
      for (const k in o) {
        const c = children.get(k);
        if (c !== undefined) {
          const v = o[k];
          if (v !== undefined) {
            vals[c.slot] = v;
            stamp[c.slot] = gen;
          }
        } else if (spellings.size !== 0 && spellings.has(k)) dotted = true;
      }
      for (const c of node.guarded ?? []) {
        const v = c.readIn(o);
        if (v !== undefined) {
          vals[c.slot] = v;
          stamp[c.slot] = gen;
        }
      }
    } else {
      for (const c of (node.children ?? NO_CHILDREN).values()) {
        const v = c.readIn(o);
        if (v !== undefined) {
          vals[c.slot] = v;
          stamp[c.slot] = gen;
        }
      }
      for (const k of node.spellings()) if (o[k] !== undefined) dotted = true;
    }
  }
  vals[node.scanned] = dotted;
  stamp[node.scanned] = gen;
}

/** The value at `node` (undefined when absent), scanning its parent on first need. */
function nodeValue(f: EventFrame, node: PathNode): unknown {
  const parent = node.parent;
  if (parent === null) return f.event;
  if (f.stamp[node.slot] === f.gen) return f.vals[node.slot];
  if (f.stamp[parent.scanned] !== f.gen) {
    scan(f, parent, nodeValue(f, parent));
    if (f.stamp[node.slot] === f.gen) return f.vals[node.slot];
  }
  return undefined;
}

/**
 * Field readers over an `EventFrame`: each object on a field's path is scanned
 * at most once per evaluation, and each field's value (and its lower-cased
 * form) computed at most once. Values equal `fieldRead`'s for JSON data (own
 * enumerable properties): a literal dotted key that may spell the field sends
 * the read to the same general fallback. Compile everything first, then make
 * frames: a frame is sized for the slots registered so far.
 */
export class FrameFields implements FieldSource {
  private size = 0;
  private sealed = false;
  private readonly root: PathNode;
  private readonly fields = new Map<string, FieldRead>();
  private readonly lowers = new Map<string, FieldRead>();
  /** Direct mode: the object at each path prefix, one slot each. */
  private readonly prefixes = new Map<string, FieldRead>();

  /**
   * `scan`: read objects by scanning them (for many queries over one event,
   * which together read most of its objects); `direct`: read each property
   * on its own (one query reads a few fields; scanning would cost more).
   */
  constructor(private readonly mode: 'scan' | 'direct' = 'scan') {
    this.root = new PathNode('', null, this.newSlot(), this.newSlot());
  }

  private prefix = (parts: readonly string[]): FieldRead => {
    if (parts.length === 0) return (f) => (f as EventFrame).event;
    const key = parts.join('\u0000');
    let n = this.prefixes.get(key);
    if (!n) {
      const parent = this.prefix(parts.slice(0, -1));
      const child = childReader(parts[parts.length - 1]!);
      n = this.cached((f) => child(parent(f)));
      this.prefixes.set(key, n);
    }
    return n;
  };

  private newSlot(): number {
    if (this.sealed) throw new Error('FrameFields: a field was registered after a frame was made');
    return this.size++;
  }

  private cached(raw: (f: EventFrame) => unknown): FieldRead {
    const s = this.newSlot();
    return (x) => {
      const f = x as EventFrame;
      if (f.stamp[s] === f.gen) return f.vals[s];
      const v = raw(f);
      f.vals[s] = v;
      f.stamp[s] = f.gen;
      return v;
    };
  }

  /** The node of `parts[0..i)`, a child of `parent` (the node of `parts[0..i-1)`). */
  private child(parent: PathNode, parts: readonly string[], i: number): PathNode {
    const k = parts[i - 1]!;
    parent.children ??= new Map();
    let n = parent.children.get(k);
    if (!n) {
      n = new PathNode(k, parent, this.newSlot(), this.newSlot());
      parent.children.set(k, n);
      if (k in Object.prototype) (parent.guarded ??= []).push(n);
    }
    return n;
  }

  read(name: string): FieldRead {
    let r = this.fields.get(name);
    if (r) return r;
    if (this.mode === 'direct') {
      r = this.cached(pathRead(name, this.prefix) as (f: EventFrame) => unknown);
      this.fields.set(name, r);
      return r;
    }
    const parts = name.split('.');
    const n = parts.length;
    const ancestors: PathNode[] = [this.root];
    for (let i = 1; i < n; i++) ancestors.push(this.child(ancestors[i - 1]!, parts, i));
    const leaf = this.child(ancestors[n - 1]!, parts, n);
    for (let d = 0; d < n - 1; d++) ancestors[d]!.addTail(parts.slice(d));
    const parent = ancestors[n - 1]!;
    let slowGet: FieldGetter | undefined;
    const slow = (f: EventFrame): unknown => normalize((slowGet ??= fieldGetter(name))(f.event));
    // The same decisions as pathRead (direct), from scanned objects.
    r = this.cached((f) => {
      const o = nodeValue(f, parent);
      if (isPlain(o)) {
        const v = nodeValue(f, leaf);
        if (v !== undefined && v !== null) return Array.isArray(v) ? slow(f) : v;
      } else if (o !== undefined && o !== null) return slow(f);
      for (let d = 0; d < n; d++) {
        const a = ancestors[d]!;
        const ov = nodeValue(f, a);
        if (!isPlain(ov)) {
          if (ov !== undefined && ov !== null) return slow(f);
          break;
        }
        if (f.stamp[a.scanned] !== f.gen) scan(f, a, ov);
        if (f.vals[a.scanned] === true) return slow(f);
      }
      return null;
    });
    this.fields.set(name, r);
    return r;
  }

  readLower(name: string): FieldRead {
    let r = this.lowers.get(name);
    if (!r) {
      const read = this.read(name);
      this.lowers.set(name, (r = this.cached((f) => fold(read(f)))));
    }
    return r;
  }

  /** A frame for evaluating the queries compiled against these fields. */
  frame(): EventFrame {
    this.sealed = true;
    return new EventFrame(this.size);
  }
}
