import type { TimeUnit } from '../ast.ts';

/** A time span value travels as its text, "5 minute"; parsed where it is used. */
export type Span = string;

const FIXED: Partial<Record<TimeUnit, number>> = { millisecond: 1, second: 1000, minute: 60_000, hour: 3_600_000 };

export function parseSpan(s: Span): { amount: number; unit: TimeUnit } {
  const [a, u] = s.split(' ') as [string, TimeUnit];
  return { amount: Number(a), unit: u };
}

/** Add `sign` × span to a date: fixed units in millis, calendar units on the UTC calendar. */
export function addSpan(ms: number, span: Span, sign: number): number {
  const { amount, unit } = parseSpan(span);
  const fixed = FIXED[unit];
  if (fixed !== undefined) return ms + sign * amount * fixed;
  const d = new Date(ms);
  const n = sign * amount;
  switch (unit) {
    case 'day':
      d.setUTCDate(d.getUTCDate() + n);
      break;
    case 'week':
      d.setUTCDate(d.getUTCDate() + 7 * n);
      break;
    case 'month':
      addMonths(d, n);
      break;
    case 'quarter':
      addMonths(d, 3 * n);
      break;
    case 'year':
      addMonths(d, 12 * n);
      break;
    default:
      break;
  }
  return d.getTime();
}

/** Java's plusMonths: clamp the day to the target month's length. */
function addMonths(d: Date, n: number): void {
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + n);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
}

/** Span length in millis for fixed units, undefined for calendar units. */
export function fixedMillis(span: Span): number | undefined {
  const { amount, unit } = parseSpan(span);
  const f = FIXED[unit];
  return f === undefined ? undefined : amount * f;
}
