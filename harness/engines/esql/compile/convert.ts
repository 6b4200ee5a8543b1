import type { EsType, Scalar } from '../types.ts';
import { formatDouble, parseDate, parseIp, scalarToString } from '../values.ts';

/** A conversion that fails carries the exception text Elasticsearch reports. */
export type Converted = { readonly ok: true; readonly value: Scalar } | { readonly ok: false; readonly error: string };

const ok = (value: Scalar): Converted => ({ ok: true, value });
const fail = (error: string): Converted => ({ ok: false, error });

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;
const LONG_LIMIT = 2 ** 63; // numbers are doubles: 2^63 is the first value past Long.MAX_VALUE

function numberFromString(s: string, to: EsType): Converted {
  const t = s.trim();
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) {
    if (to === 'double') return fail(`java.lang.NumberFormatException: For input string: "${s}"`);
    return fail(`org.elasticsearch.xpack.esql.core.InvalidArgumentException: Cannot parse number [${s}]`);
  }
  return fromDouble(Number(t), to, s);
}

function fromDouble(d: number, to: EsType, text?: string): Converted {
  if (to === 'double') return ok(d);
  const r = to === 'integer' || to === 'long' ? (text !== undefined && /^[-+]?\d+$/.test(text.trim()) ? d : Math.round(d)) : d;
  if (to === 'integer' && (r < INT_MIN || r > INT_MAX))
    return fail(`org.elasticsearch.xpack.esql.core.InvalidArgumentException: [${text ?? formatNumber(d)}] out of [integer] range`);
  if (to === 'long' && Math.abs(r) > LONG_LIMIT)
    return fail(`org.elasticsearch.xpack.esql.core.InvalidArgumentException: [${text ?? formatNumber(d)}] out of [long] range`);
  return ok(r);
}

const formatNumber = (d: number): string => (Number.isInteger(d) ? String(d) : formatDouble(d));

/** Convert one scalar of type `from` to type `to` (TO_* functions and `::` casts). */
export function convertScalar(v: Scalar, from: EsType, to: EsType): Converted {
  if (from === to || (isText(from) && isText(to))) return ok(v);
  switch (to) {
    case 'keyword':
    case 'text':
      return ok(scalarToString(v, from));
    case 'integer':
    case 'long':
    case 'double':
    case 'unsigned_long':
      if (typeof v === 'boolean') return ok(v ? 1 : 0);
      if (typeof v === 'number') return fromDouble(v, to);
      return numberFromString(v, to);
    case 'boolean':
      if (typeof v === 'boolean') return ok(v);
      if (typeof v === 'number') return ok(v !== 0);
      return ok(v.toLowerCase() === 'true');
    case 'date':
    case 'date_nanos': {
      if (typeof v === 'number') return ok(Math.trunc(v));
      const d = parseDate(String(v));
      if (d === undefined) return fail(`java.lang.IllegalArgumentException: failed to parse date field [${String(v)}] with format [strict_date_optional_time]`);
      return ok(d);
    }
    case 'ip': {
      const ip = parseIp(String(v));
      if (ip === undefined) return fail(`java.lang.IllegalArgumentException: '${String(v)}' is not an IP string literal.`);
      return ok(ip);
    }
    case 'version':
      return ok(String(v));
    case 'geo_point':
    case 'cartesian_point':
      return ok(String(v));
    case 'null':
    case 'time_duration':
    case 'date_period':
    case 'unsupported':
      return fail(`java.lang.IllegalArgumentException: cannot convert to [${to}]`);
  }
}

const isText = (t: EsType): boolean => t === 'keyword' || t === 'text';

/** Names of the conversion targets of `::` and TO_* functions. */
export const CAST_TYPES: Readonly<Record<string, EsType>> = {
  string: 'keyword', keyword: 'keyword', text: 'text', integer: 'integer', int: 'integer', long: 'long', double: 'double',
  boolean: 'boolean', bool: 'boolean', datetime: 'date', date: 'date', date_nanos: 'date_nanos', ip: 'ip', version: 'version',
  unsigned_long: 'unsigned_long', geo_point: 'geo_point', cartesian_point: 'cartesian_point',
};
