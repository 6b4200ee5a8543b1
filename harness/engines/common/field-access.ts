import type { Event } from '../../core/event.ts';
import { fieldGetter, type FieldGetter } from './fields.ts';

/**
 * "Does any value of this field satisfy p?" without allocating: the same
 * resolution as common/fields.ts `fieldGetter` (nested objects *and* literal
 * dotted keys, every split of the name; arrays multi-valued and flattened),
 * but visiting values with early exit instead of collecting them into an
 * array per call — the hot path of every KQL/Lucene leaf. `values` (for
 * explain) is fieldGetter itself; field-access.test.ts checks they agree.
 */
export interface FieldAccess {
  readonly name: string;
  /** True if some (flattened) value satisfies `p`. */
  any(event: unknown, p: (v: unknown) => boolean): boolean;
  /** Every value, flattened (empty: missing). */
  readonly values: FieldGetter;
}

const hasOwn = Object.prototype.hasOwnProperty;
/** Only keys that an object could inherit need the own-property guard (prototype-pollution keys such as `constructor`). */
const inheritable = (k: string): boolean => k in Object.prototype;

function anyFlat(v: unknown, p: (v: unknown) => boolean): boolean {
  if (!Array.isArray(v)) return p(v);
  for (const x of v) if (anyFlat(x, p)) return true;
  return false;
}

/**
 * Compile a field name into an access.
 * @example fieldAccess('process.name').any({ process: { name: 'a' } }, (v) => v === 'a') // true
 */
export function fieldAccess(name: string): FieldAccess {
  const parts = name.split('.');
  const n = parts.length;
  const values = fieldGetter(name);
  if (n === 1) {
    const guard = inheritable(name);
    return {
      name,
      values,
      any: (event, p) => {
        if (typeof event !== 'object' || event === null || Array.isArray(event)) return false;
        const v = (event as Event)[name];
        return v !== undefined && (!guard || hasOwn.call(event, name)) && anyFlat(v, p);
      },
    };
  }
  // keys[i][j - i]: parts i..j joined with dots, precomputed so no string is built per call.
  const keys = parts.map((_, i) => parts.slice(i).map((__, k) => parts.slice(i, i + k + 1).join('.')));
  const guards = keys.map((row) => row.map(inheritable));
  const visit = (node: unknown, i: number, p: (v: unknown) => boolean): boolean => {
    if (i === n) return anyFlat(node, p);
    if (Array.isArray(node)) {
      for (const el of node) if (visit(el, i, p)) return true;
      return false;
    }
    if (typeof node !== 'object' || node === null) return false;
    const row = keys[i]!;
    const guard = guards[i]!;
    for (let j = 0; j < row.length; j++) {
      const k = row[j]!;
      const v = (node as Event)[k];
      if (v !== undefined && (!guard[j] || hasOwn.call(node, k)) && visit(v, i + j + 1, p)) return true;
    }
    return false;
  };
  return { name, values, any: (event, p) => visit(event, 0, p) };
}

/** Every leaf of an event with its dotted path (arrays keep their parent's path), for free text and field globs. */
export function anyLeaf(node: unknown, path: string, p: (path: string, v: unknown) => boolean, depth = 0): boolean {
  if (depth > 256) return false;
  if (Array.isArray(node)) {
    for (const el of node) if (anyLeaf(el, path, p, depth + 1)) return true;
    return false;
  }
  if (typeof node === 'object' && node !== null) {
    for (const k of Object.keys(node)) if (anyLeaf((node as Event)[k], path === '' ? k : `${path}.${k}`, p, depth + 1)) return true;
    return false;
  }
  return p(path, node);
}

/** Every (path, value) leaf pair, for explain. */
export function leafEntries(event: unknown): [string, unknown][] {
  const out: [string, unknown][] = [];
  anyLeaf(event, '', (path, v) => {
    out.push([path, v]);
    return false;
  });
  return out;
}
