import { parseIp } from '../engines/common/cidr.ts';
import { dateParser } from './date-format.ts';
import type { FieldMapping } from './field-mapping.ts';
import { assertNever } from './field-type.ts';

/** The marker of a source value the field does not index (too long, malformed): a query sees no value. */
export const NOT_INDEXED: unique symbol = Symbol('not indexed');

/** A source value → what the field indexes (or NOT_INDEXED). */
export type IndexValue = (v: unknown) => unknown;

const NUMERIC = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  return typeof v === 'string' && NUMERIC.test(v) ? Number(v) : undefined;
}

/** Round to the nearest IEEE half-precision value (half_float). */
function toHalf(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  const e = Math.floor(Math.log2(Math.abs(x)));
  const step = 2 ** (Math.max(e, -14) - 10);
  return Math.round(x / step) * step;
}

/** IPv4-mapped IPv6 (`::ffff:a.b.c.d`) is the IPv4 address: Elasticsearch stores both as one 128-bit value. */
export function canonicalIp(s: string): string | undefined {
  const ip = parseIp(s);
  if (!ip) return undefined;
  if (ip.family === 4) return s.trim();
  if (ip.value >> 32n === 0xffffn) {
    const v = Number(ip.value & 0xffffffffn);
    return [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.');
  }
  return s.trim().toLowerCase();
}

/**
 * What a field of this mapping indexes for one source value (one element of
 * a multi-valued field), or undefined when the mapping indexes values as
 * they come (text, and keywords with no limit), so no wrapper is needed.
 * One function per field, chosen at compile time. Decisions and sources:
 * docs/typing.md.
 * @example indexValue({ type: 'long', esType: 'long', fields: {} })!('42.9') // 42
 */
export function indexValue(m: FieldMapping): IndexValue | undefined {
  switch (m.type) {
    case 'keyword':
    case 'wildcard':
    case 'flattened': {
      const max = m.ignoreAbove;
      if (max === undefined) return undefined;
      return (v) => (typeof v === 'string' && v.length > max ? NOT_INDEXED : v);
    }
    case 'long':
    case 'integer':
    case 'short':
    case 'byte':
    case 'unsigned_long':
      return (v) => {
        const n = toNumber(v);
        // coerce: strings are parsed, fractions truncated (mapping parameter `coerce`, default true).
        return n === undefined || (m.type === 'unsigned_long' && n < 0) ? NOT_INDEXED : Math.trunc(n);
      };
    case 'double':
      return (v) => toNumber(v) ?? NOT_INDEXED;
    case 'float':
      return (v) => {
        const n = toNumber(v);
        return n === undefined ? NOT_INDEXED : Math.fround(n);
      };
    case 'half_float':
      return (v) => {
        const n = toNumber(v);
        return n === undefined ? NOT_INDEXED : toHalf(n);
      };
    case 'scaled_float': {
      const f = m.scalingFactor ?? 1;
      return (v) => {
        const n = toNumber(v);
        return n === undefined ? NOT_INDEXED : Math.round(n * f) / f;
      };
    }
    case 'date':
    case 'date_nanos': {
      const parse = dateParser(m.format);
      return (v) => parse(v) ?? NOT_INDEXED;
    }
    case 'boolean':
      // "" is false too (boolean field type reference).
      return (v) => (v === true || v === 'true' ? true : v === false || v === 'false' || v === '' ? false : NOT_INDEXED);
    case 'ip':
      return (v) => (typeof v === 'string' ? (canonicalIp(v) ?? NOT_INDEXED) : NOT_INDEXED);
    case 'constant_keyword':
    case 'text':
    case 'match_only_text':
    case 'version':
    case 'object':
    case 'nested':
    case 'alias':
    case 'other':
      return undefined;
    default:
      return assertNever(m.type);
  }
}
