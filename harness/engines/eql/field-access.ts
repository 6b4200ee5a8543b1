import { fieldGetter } from '../common/fields.ts';

/**
 * A field read for the EQL hot path: returns `null` when the field is missing
 * (or null, or an empty array), the scalar itself for a single value, and an
 * array of values (nulls removed, nested arrays flattened) when multi-valued.
 *
 * Nested objects are walked directly without allocating; anything unusual
 * (arrays on the way, literal dotted keys) falls back to the shared
 * `fieldGetter`, which resolves every spelling. A nested value found by the
 * direct walk wins over a duplicate spelled with a literal dotted key.
 */
export type FieldRead = (event: unknown) => unknown;

/** Names a plain `o[k]` read could pick up from Object.prototype. */
const inherited = (k: string): boolean => k in Object.prototype;
const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

function normalize(values: readonly unknown[]): unknown {
  let out: unknown[] | undefined;
  for (let i = 0; i < values.length; i++) {
    if (values[i] == null) {
      out ??= values.slice(0, i);
    } else if (out) out.push(values[i]);
  }
  const vs = out ?? values;
  if (vs.length === 0) return null;
  if (vs.length === 1) return vs[0];
  return vs;
}

function rawRead(name: string): FieldRead {
  const slowGet = fieldGetter(name);
  const slow = (e: unknown): unknown => normalize(slowGet(e));
  const parts = name.split('.');
  const n = parts.length;
  const safe = parts.map((p) => !inherited(p));
  // joined[d][j]: the literal dotted key spelling parts d..j (j > d).
  const joined = parts.map((_, d) => parts.map((__, j) => (j > d ? parts.slice(d, j + 1).join('.') : '')));
  /** Does any object on the direct path up to depth `upto` hold a dotted spelling of the rest? */
  const dottedOnPath = (e: unknown, upto: number): boolean => {
    let o = e as Record<string, unknown>;
    for (let d = 0; d <= upto; d++) {
      for (let j = d + 1; j < n; j++) if (hasOwn(o, joined[d]![j]!)) return true;
      if (d < upto) o = o[parts[d]!] as Record<string, unknown>;
    }
    return false;
  };
  if (n === 1) {
    const k = parts[0]!;
    return (e) => {
      if (typeof e !== 'object' || e === null) return null;
      const v = safe[0] || hasOwn(e, k) ? (e as Record<string, unknown>)[k] : undefined;
      if (v === undefined || v === null) return null;
      if (Array.isArray(v)) return slow(e);
      return v;
    };
  }
  if (n === 2 && safe[0] && safe[1]) {
    const [a, b] = parts as [string, string];
    const ab = name;
    return (e) => {
      if (typeof e !== 'object' || e === null) return null;
      const o = (e as Record<string, unknown>)[a];
      if (typeof o === 'object' && o !== null && !Array.isArray(o)) {
        const v = (o as Record<string, unknown>)[b];
        if (v === undefined || v === null) return (e as Record<string, unknown>)[ab] === undefined ? null : slow(e);
        if (!Array.isArray(v)) return v;
        return slow(e);
      }
      if (o === undefined || o === null) return (e as Record<string, unknown>)[ab] === undefined ? null : slow(e);
      return slow(e);
    };
  }
  return (e) => {
    let o: unknown = e;
    for (let i = 0; i < n; i++) {
      if (typeof o !== 'object' || o === null || Array.isArray(o)) return i === 0 ? null : slow(e);
      const k = parts[i]!;
      const v = safe[i] || hasOwn(o, k) ? (o as Record<string, unknown>)[k] : undefined;
      if (v === undefined) return dottedOnPath(e, i) ? slow(e) : null;
      o = v;
    }
    if (o === null) return dottedOnPath(e, n - 1) ? slow(e) : null;
    if (Array.isArray(o)) return slow(e);
    return o;
  };
}

/*
 * Per-event memo, shared by every query that reads the same field name.
 * Rule sets evaluate many queries over one event in a row (cross-fire, the
 * bench); the expensive part is the first, megamorphic property walk, so each
 * field remembers the last event it was read from. Events are immutable by
 * contract (core/event.ts); as a guard against "evaluate, edit in place,
 * evaluate again", a query that sees the same event twice in a row re-reads
 * every field fresh (see `freshReads`).
 */
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
