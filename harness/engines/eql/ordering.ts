import { parseTimestamp } from '../common/time.ts';
import type { FieldRead } from './field-access.ts';

/**
 * Event order for EQL results: timestamp, then the optional tiebreaker field,
 * then input position (ES: shard doc order). Timestamps are epoch millis
 * (numbers or numeric strings, as an ES `date` field reads them) or ISO-8601
 * strings; sub-millisecond digits are kept as a fraction (date_nanos).
 * Events without a timestamp sort last, in input order.
 */
const NUMERIC = /^-?\d+(\.\d+)?$/;
const SUB_MILLIS = /\.\d{3}(\d+)/;

export function eventTime(v: unknown): number {
  const x = Array.isArray(v) ? v[0] : v;
  if (typeof x === 'number') return Number.isFinite(x) ? x : Infinity;
  if (typeof x !== 'string') return Infinity;
  const s = x.trim();
  let ms: number | undefined;
  if (s.charCodeAt(s.length - 1) === 90) {
    // "…Z", the common case: exactly what parseTimestamp would hand to Date.parse, without its checks.
    const t = Date.parse(s);
    ms = Number.isNaN(t) ? undefined : t;
  } else {
    if (NUMERIC.test(s)) return Number(s);
    ms = parseTimestamp(s);
  }
  if (ms === undefined) return Infinity;
  const frac = s.includes('.') ? SUB_MILLIS.exec(s) : null;
  return frac ? ms + Number(`0.${frac[1]}`) : ms;
}

function compareTiebreak(a: unknown, b: unknown): number {
  const am = a === null || a === undefined;
  const bm = b === null || b === undefined;
  if (am || bm) return am === bm ? 0 : am ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

export interface Ordered {
  /** Input indices in EQL order. */
  readonly order: readonly number[];
  /** Time per input index. */
  readonly time: Float64Array;
}

export function orderEvents(events: readonly unknown[], timestamp: FieldRead, tiebreaker: FieldRead | undefined): Ordered {
  const n = events.length;
  const time = new Float64Array(n);
  const tie: unknown[] = new Array<unknown>(n);
  for (let i = 0; i < n; i++) {
    time[i] = eventTime(timestamp(events[i]));
    if (tiebreaker) tie[i] = tiebreaker(events[i]);
  }
  const order = new Array<number>(n);
  let sorted = true;
  for (let i = 0; i < n; i++) {
    order[i] = i;
    if (i > 0 && !(time[i - 1]! <= time[i]!)) sorted = false;
  }
  // Already in time order (and no tiebreaker to consult): input order is the answer.
  if (sorted && !tiebreaker) return { order, time };
  if (!tiebreaker) {
    // Equal times (Infinity included: NaN difference) fall back to input position.
    order.sort((a, b) => time[a]! - time[b]! || a - b);
    return { order, time };
  }
  order.sort((a, b) => {
    const ta = time[a]!;
    const tb = time[b]!;
    if (ta !== tb) return ta < tb ? -1 : 1;
    const c = compareTiebreak(tie[a], tie[b]);
    return c !== 0 ? c : a - b;
  });
  return { order, time };
}
