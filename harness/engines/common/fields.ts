/**
 * Field access, shared by every engine: a dotted name resolves nested objects
 * *and* literal dotted keys (`{"a.b": 1}` and `{"a": {"b": 1}}` both answer
 * `a.b`); arrays are multi-valued and nested arrays are flattened.
 *
 * A getter returns every value found, flattened. An empty result means the
 * field is missing (or an empty array, which search engines treat alike);
 * `[null]` means present with null.
 */
export type FieldGetter = (event: unknown) => readonly unknown[];

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function pushFlat(out: unknown[], v: unknown): void {
  if (Array.isArray(v)) for (const x of v) pushFlat(out, x);
  else out.push(v);
}

/**
 * Collect values at `parts[i..]` under `node`, trying every split of the remaining dotted name;
 * `keys[i][j]` is parts i..i+j joined with dots (precomputed: no string is built per read).
 */
function collect(node: unknown, keys: readonly (readonly string[])[], i: number, out: unknown[]): void {
  if (i === keys.length) {
    pushFlat(out, node);
    return;
  }
  if (Array.isArray(node)) {
    for (const el of node) collect(el, keys, i, out);
    return;
  }
  if (!isObject(node)) return;
  const row = keys[i]!;
  for (let j = 0; j < row.length; j++) {
    const key = row[j]!;
    if (hasOwn(node, key)) collect(node[key], keys, i + j + 1, out);
  }
}

const EMPTY: readonly unknown[] = Object.freeze([]);

/**
 * Compile a field name into a getter.
 * @example fieldGetter('process.name')({ process: { name: 'cmd.exe' } }) // ['cmd.exe']
 */
export function fieldGetter(name: string): FieldGetter {
  const parts = name.split('.');
  if (parts.length === 1) {
    return (event) => {
      if (!isObject(event) || !hasOwn(event, name)) return EMPTY;
      const v = event[name];
      if (Array.isArray(v)) {
        const out: unknown[] = [];
        pushFlat(out, v);
        return out;
      }
      return [v];
    };
  }
  const keys = parts.map((_, i) => parts.slice(i).map((__, j) => parts.slice(i, i + j + 1).join('.')));
  return (event) => {
    const out: unknown[] = [];
    collect(event, keys, 0, out);
    return out.length === 0 ? EMPTY : out;
  };
}

/** Every leaf value of an event (strings, numbers, booleans, nulls), for keyword / free-text search. */
export function leafValues(event: unknown, out: unknown[] = [], depth = 0): unknown[] {
  // Depth bound: hostile events with deep nesting must not blow the stack.
  if (depth > 256) return out;
  if (Array.isArray(event)) for (const v of event) leafValues(v, out, depth + 1);
  else if (isObject(event)) for (const k of Object.keys(event)) leafValues(event[k], out, depth + 1);
  else out.push(event);
  return out;
}

/** Canonical text of a scalar event value, as search engines index it; undefined for objects. */
export function scalarText(v: unknown): string | undefined {
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
      return Number.isFinite(v) ? String(v) : undefined;
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return v.toString();
    default:
      return undefined;
  }
}
