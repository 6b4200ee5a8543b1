import { fieldGetter } from '../common/fields.ts';
import { familyOf, type FieldMapping, type IndexMapping, type NullValue } from '../../mapping/index.ts';
import { dateParser } from '../../mapping/date-format.ts';
import { canonicalIp, indexValue, NOT_INDEXED, type IndexValue } from '../../mapping/indexed-value.ts';
import type { FieldRead } from './field-access.ts';
import { compareVersions } from '../../mapping/typed-values.ts';

/**
 * EQL over mapped fields: a field's EQL value is what its mapping indexes
 * (harness/mapping/indexed-value.ts) — dates as epoch millis in the field's
 * format, numbers coerced, booleans from "true"/"false", IPv4-mapped IPv6 as
 * IPv4, keywords past ignore_above absent, `null_value` for an explicit null —
 * and literals compared with a field are read the same way (a date literal
 * against a date field is an instant). Decided per field at compile time.
 * Decisions and sources: docs/typing.md.
 */
export interface FieldTypingPlan {
  /** The document path read: the alias target or a multi-field's parent, else the name. */
  readonly path: string;
  readonly mapping: FieldMapping;
  /** Collapsed EQL value (null, a value, or an array) → typed EQL value; undefined: as read. */
  readonly convert: ((v: unknown) => unknown) | undefined;
  /** Set when the mapping has a `null_value`: explicit nulls must be read, not dropped. */
  readonly nullValue: NullValue | undefined;
}

/** Apply `index` to each value of a collapsed EQL value, dropping what is not indexed. */
function convertWith(index: IndexValue): (v: unknown) => unknown {
  return (v) => {
    if (v === null) return null;
    if (!Array.isArray(v)) {
      const x = index(v);
      return x === NOT_INDEXED ? null : x;
    }
    const out: unknown[] = [];
    for (const e of v) {
      const x = index(e);
      if (x !== NOT_INDEXED && x !== null) out.push(x);
    }
    return out.length === 0 ? null : out.length === 1 ? out[0] : out;
  };
}

/** How `name` is read under `mapping`; undefined when unmapped (read as the value comes). */
export function planTypedField(mapping: IndexMapping | undefined, name: string): FieldTypingPlan | undefined {
  const f = mapping?.field(name);
  if (!f) return undefined;
  const index = indexValue(f.mapping);
  return { path: f.sourcePath, mapping: f.mapping, convert: index ? convertWith(index) : undefined, nullValue: f.mapping.nullValue };
}

/**
 * The reader of a field with a `null_value`: explicit nulls become the
 * mapping's value (a missing field stays missing), then the typed conversion.
 */
export function nullValueRead(plan: FieldTypingPlan): FieldRead {
  const get = fieldGetter(plan.path);
  const nv = plan.nullValue;
  const convert = plan.convert ?? ((v: unknown) => v);
  return (e) => {
    const vs = get(e);
    if (vs.length === 0) return null;
    const subst = vs.map((v) => (v === null ? nv : v));
    return convert(subst.length === 1 ? subst[0] : subst);
  };
}

/**
 * A literal compared with a mapped field, read as the field reads its values:
 * a string against a date field is an instant (the field's format, else ISO
 * 8601 / epoch millis), an IP its canonical form. Undefined: keep the literal.
 * @example typedLiteral(dateMapping, '2017-08-30T20:47:33Z') // 1504126053000
 */
export function typedLiteral(m: FieldMapping, value: unknown): unknown {
  if (typeof value !== 'string') return undefined;
  switch (familyOf(m.type)) {
    case 'date': {
      const t = dateParser(m.format)(value) ?? dateParser()(value);
      return t;
    }
    case 'ip':
      return canonicalIp(value);
    default:
      return undefined;
  }
}

/** `<`, `<=`, `>`, `>=` against a `version` field: semantic-version precedence (docs/typing.md T12). */
export function versionRangeTest(op: '<' | '<=' | '>' | '>=', bound: string): (v: unknown) => boolean {
  return (v) => {
    if (typeof v !== 'string') return false;
    const c = compareVersions(v, bound);
    return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
  };
}
