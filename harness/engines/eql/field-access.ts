import { fieldGetter } from '../common/fields.ts';

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
  const slowGet = fieldGetter(name);
  const root = node([]);
  const slow = (x: unknown): unknown => normalize(slowGet(root(x)));
  const parts = name.split('.');
  const n = parts.length;
  const ancestors = parts.map((_, i) => node(parts.slice(0, i)));
  const parent = ancestors[n - 1]!;
  const child = childReader(parts[n - 1]!);
  // dotted[d]: the literal dotted spellings of the rest of the path, as keys of the object at depth d.
  const dotted = parts.map((_, d) => parts.slice(d + 1).map((__, j) => parts.slice(d, d + j + 2).join('.')));
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
      if (!isPlain(a)) break;
      const keys = dotted[d]!;
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
 * generation, which forgets every value at once.
 */
export class EventFrame {
  event: unknown = undefined;
  private gen = 0;
  private readonly stamp: Int32Array;
  private readonly vals: unknown[];

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

  /** The value of slot `s`, computing it with `read` once per generation. */
  get(s: number, read: (f: EventFrame) => unknown): unknown {
    if (this.stamp[s] === this.gen) return this.vals[s];
    const v = read(this);
    this.vals[s] = v;
    this.stamp[s] = this.gen;
    return v;
  }
}

const frameRoot: FieldRead = (f) => (f as EventFrame).event;

/**
 * Field readers over an `EventFrame`, one slot per field, folded field and
 * object on a path. Compile everything first, then make frames: a frame is
 * sized for the slots registered so far, so registering afterwards fails.
 */
export class FrameFields implements FieldSource {
  private size = 0;
  private sealed = false;
  private readonly nodes = new Map<string, FieldRead>();
  private readonly fields = new Map<string, FieldRead>();
  private readonly lowers = new Map<string, FieldRead>();

  private slot(raw: FieldRead): FieldRead {
    if (this.sealed) throw new Error('FrameFields: a field was registered after a frame was made');
    const s = this.size++;
    return (f) => (f as EventFrame).get(s, raw);
  }

  private node = (parts: readonly string[]): FieldRead => {
    if (parts.length === 0) return frameRoot;
    const key = parts.join('\u0000');
    let n = this.nodes.get(key);
    if (!n) {
      const parent = this.node(parts.slice(0, -1));
      const child = childReader(parts[parts.length - 1]!);
      n = this.slot((f) => child(parent(f)));
      this.nodes.set(key, n);
    }
    return n;
  };

  read(name: string): FieldRead {
    let r = this.fields.get(name);
    if (!r) this.fields.set(name, (r = this.slot(pathRead(name, this.node))));
    return r;
  }

  readLower(name: string): FieldRead {
    let r = this.lowers.get(name);
    if (!r) {
      const read = this.read(name);
      this.lowers.set(name, (r = this.slot((f) => fold(read(f)))));
    }
    return r;
  }

  /** A frame for evaluating the queries compiled against these fields. */
  frame(): EventFrame {
    this.sealed = true;
    return new EventFrame(this.size);
  }
}
