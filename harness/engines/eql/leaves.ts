import type { StringMatcher } from '../common/pattern-matcher.ts';
import type { ScalarTest } from './scalar-tests.ts';

/**
 * Filter leaves over one field: true if any value of the (possibly
 * multi-valued) field passes. The fused variants decide a single string
 * value inline, the hot path on real events; anything else goes through the
 * general scalar test.
 */
export type FieldFilter = (e: unknown) => boolean;
type Read = (e: unknown) => unknown;

/** Test a possibly multi-valued field value: true if any element passes. */
export function anyOf(read: Read, test: ScalarTest): FieldFilter {
  return (e) => {
    const v = read(e);
    if (v === null) return false;
    if (typeof v !== 'object') return test(v);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) if (test(v[i])) return true;
    }
    return false;
  };
}

/** Build a scalar test on first use (it is only needed for multi-valued or non-string values). */
export function lazy(make: () => ScalarTest): ScalarTest {
  let t: ScalarTest | undefined;
  return (x) => (t ??= make())(x);
}

/** Any element of a multi-valued (array) value passes. */
function someElement(v: unknown, test: ScalarTest): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (test(v[i])) return true;
  return false;
}

/**
 * Fused leaves for the commonest shapes: a single string value is decided
 * inline (no further call), anything else goes through the general test.
 */
export function anyOfExact(read: Read, lit: string, test: ScalarTest): FieldFilter {
  return (e) => {
    const v = read(e);
    if (typeof v === 'string') return v === lit;
    if (v === null) return false;
    return typeof v === 'object' ? someElement(v, test) : test(v);
  };
}

export function anyOfSet(read: Read, set: ReadonlySet<string>, test: ScalarTest): FieldFilter {
  return (e) => {
    const v = read(e);
    if (typeof v === 'string') return set.has(v);
    if (v === null) return false;
    return typeof v === 'object' ? someElement(v, test) : test(v);
  };
}

export function anyOfString(read: Read, m: StringMatcher, test: ScalarTest): FieldFilter {
  return (e) => {
    const v = read(e);
    if (typeof v === 'string') return m(v);
    if (v === null) return false;
    return typeof v === 'object' ? someElement(v, test) : test(v);
  };
}
