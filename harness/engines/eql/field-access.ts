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
 * Every read is memoised per event, and shared by all queries reading the
 * same path (and its prefixes): rule sets evaluate many queries over one
 * event in a row (cross-fire, the bench), and with thousands of event shapes
 * each property load is a megamorphic lookup, the dominant cost. Events are
 * immutable by contract (core/event.ts); as a guard against "evaluate, edit in
 * place, evaluate again", a query that sees the same event twice in a row
 * re-reads everything fresh (`freshReads`).
 */
export type FieldRead = (event: unknown) => unknown;

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
const isPlain = (o: unknown): o is Record<string, unknown> => typeof o === 'object' && o !== null && !Array.isArray(o);

let bypass = false;

/** Run `f` with memoised reads ignored (and refreshed). */
export function freshReads<T>(f: () => T): T {
  const prev = bypass;
  bypass = true;
  try {
    return f();
  } finally {
    bypass = prev;
  }
}

function memoize(raw: FieldRead): FieldRead {
  let lastE: unknown = undefined;
  let lastV: unknown = null;
  return (e) => {
    if (e === lastE && !bypass) return lastV;
    const v = raw(e);
    lastE = e;
    lastV = v;
    return v;
  };
}

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

const nodes = new Map<string, FieldRead>();
const ROOT: FieldRead = (e) => e;

/** Own property `k` of a plain object; `k` names inherited from Object.prototype need the own check. */
function childReader(k: string): (o: unknown) => unknown {
  if (k in Object.prototype) return (o) => (isPlain(o) && hasOwn(o, k) ? o[k] : undefined);
  return (o) => (isPlain(o) ? o[k] : undefined);
}

/** The (memoised) object or value reached by walking nested objects along `parts`. */
function pathNode(parts: readonly string[]): FieldRead {
  if (parts.length === 0) return ROOT;
  const key = parts.join('\u0000');
  let n = nodes.get(key);
  if (!n) {
    const parent = pathNode(parts.slice(0, -1));
    const child = childReader(parts[parts.length - 1]!);
    n = memoize((e) => child(parent(e)));
    nodes.set(key, n);
  }
  return n;
}

function rawRead(name: string): FieldRead {
  const slowGet = fieldGetter(name);
  const slow = (e: unknown): unknown => normalize(slowGet(e));
  const parts = name.split('.');
  const n = parts.length;
  const ancestors = parts.map((_, i) => pathNode(parts.slice(0, i)));
  const parent = ancestors[n - 1]!;
  const child = childReader(parts[n - 1]!);
  // dotted[d]: the literal dotted spellings of the rest of the path, as keys of the object at depth d.
  const dotted = parts.map((_, d) => parts.slice(d + 1).map((__, j) => parts.slice(d, d + j + 2).join('.')));
  return (e) => {
    const o = parent(e);
    if (isPlain(o)) {
      const v = child(o);
      if (v !== undefined && v !== null) return Array.isArray(v) ? slow(e) : v;
    } else if (o !== undefined && o !== null) return slow(e);
    // Not on the direct path: a literal dotted key on the way may still spell it.
    // (Dotted names cannot be inherited from Object.prototype, so plain loads are safe.)
    for (let d = 0; d < n; d++) {
      const a = ancestors[d]!(e);
      if (!isPlain(a)) break;
      const keys = dotted[d]!;
      for (let j = 0; j < keys.length; j++) if (a[keys[j]!] !== undefined) return slow(e);
    }
    return null;
  };
}

const fold = (v: unknown): unknown => (typeof v === 'string' ? v.toLowerCase() : Array.isArray(v) ? v.map(fold) : v);

const readers = new Map<string, FieldRead>();
const lowerReaders = new Map<string, FieldRead>();

/** The (memoised) reader of a field. */
export function fieldRead(name: string): FieldRead {
  let r = readers.get(name);
  if (!r) readers.set(name, (r = memoize(rawRead(name))));
  return r;
}

/** The field's value with strings lower-cased (folded once per event for every case-insensitive test). */
export function fieldReadLower(name: string): FieldRead {
  let r = lowerReaders.get(name);
  if (!r) {
    const read = fieldRead(name);
    lowerReaders.set(name, (r = memoize((e) => fold(read(e)))));
  }
  return r;
}
