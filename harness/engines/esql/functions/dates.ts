import { dateParser } from '../../../mapping/index.ts';
import { singleValued } from '../compile/failure.ts';
import { fixedMillis, parseSpan } from '../compile/time-span.ts';
import { formatDate, parseDate } from '../values.ts';
import { checkArgs, fail, scalar } from './define.ts';
import type { FunctionEntry } from './registry.ts';
import { formatJavaDate } from './date-format.ts';

/** DATE_TRUNC(span, date): fixed spans round down to a multiple of the span since the epoch; calendar spans to the start of the unit (weeks start on Monday). */
function truncate(ms: number, span: string): number {
  const fixed = fixedMillis(span);
  if (fixed !== undefined) return Math.floor(ms / fixed) * fixed;
  const { amount, unit } = parseSpan(span);
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  switch (unit) {
    case 'day': {
      const day = Math.floor(ms / 86_400_000);
      return Math.floor(day / amount) * amount * 86_400_000;
    }
    case 'week': {
      const day = Math.floor(ms / 86_400_000) - 4; // 1970-01-05 was a Monday
      return (Math.floor(day / (7 * amount)) * 7 * amount + 4) * 86_400_000;
    }
    case 'month': {
      const months = y * 12 + m;
      const t = Math.floor(months / amount) * amount;
      return Date.UTC(Math.floor(t / 12), t % 12, 1);
    }
    case 'quarter': {
      const months = y * 12 + m;
      const t = Math.floor(months / (3 * amount)) * 3 * amount;
      return Date.UTC(Math.floor(t / 12), t % 12, 1);
    }
    case 'year':
      return Date.UTC(Math.floor(y / amount) * amount, 0, 1);
    default:
      return ms;
  }
}

const UNIT_MS: Record<string, number> = {
  millisecond: 1, milliseconds: 1, ms: 1,
  second: 1000, seconds: 1000, ss: 1000, s: 1000,
  minute: 60_000, minutes: 60_000, mi: 60_000, n: 60_000,
  hour: 3_600_000, hours: 3_600_000, hh: 3_600_000,
  day: 86_400_000, days: 86_400_000, dd: 86_400_000, d: 86_400_000,
  week: 604_800_000, weeks: 604_800_000, wk: 604_800_000, ww: 604_800_000,
};

/** DATE_DIFF(unit, start, end): whole units from start to end, truncated toward zero. */
function dateDiff(unit: string, a: number, b: number): number {
  const u = unit.toLowerCase();
  const f = UNIT_MS[u];
  if (f !== undefined) return Math.trunc((b - a) / f);
  const months = (x: number): number => {
    const d = new Date(x);
    return d.getUTCFullYear() * 12 + d.getUTCMonth();
  };
  const within = (x: number): number => x - Date.UTC(new Date(x).getUTCFullYear(), new Date(x).getUTCMonth(), 1);
  let m = months(b) - months(a);
  if (m > 0 && within(b) < within(a)) m--;
  if (m < 0 && within(b) > within(a)) m++;
  if (['month', 'months', 'mm', 'm'].includes(u)) return m;
  if (['quarter', 'quarters', 'qq', 'q'].includes(u)) return Math.trunc(m / 3);
  if (['year', 'years', 'yyyy', 'yy'].includes(u)) return Math.trunc(m / 12);
  return fail(`java.lang.IllegalArgumentException: A value of [YEAR, QUARTER, MONTH, DAYOFYEAR, DAY, WEEK, WEEKDAY, HOUR, MINUTE, SECOND, MILLISECOND, MICROSECOND, NANOSECOND] or their aliases is required; received [${unit}]`);
}

export const DATES: readonly FunctionEntry[] = [
  {
    kind: 'scalar',
    names: ['NOW'],
    arity: [0, 0],
    foldable: false,
    // Read when evaluated: a compiled plan may be run again at another time (esql/rule/single-event.ts).
    compile: (site) => {
      const rt = site.scope.rt;
      return { type: 'date', eval: () => rt.now };
    },
  },
  scalar(['DATE_TRUNC'], ['span', 'date'], [2, 2], (a) => a[1]?.type ?? 'date', ([s, d]) => truncate(d as number, String(s))),
  scalar(['DATE_DIFF'], ['string', 'date', 'date'], [3, 3], 'integer', ([u, a, b]) => dateDiff(String(u), a as number, b as number)),
  {
    kind: 'scalar',
    names: ['DATE_FORMAT'],
    arity: [1, 2],
    compile: (site) => {
      const one = site.args.length === 1;
      checkArgs(site, one ? ['date'] : ['string', 'date']);
      return {
        type: 'keyword',
        eval: singleValued(site.scope, site.node, site.args, (vs) => (one ? formatDate(vs[0] as number) : formatJavaDate(vs[1] as number, String(vs[0])))),
      };
    },
  },
  scalar(['DATE_PARSE'], ['string', 'string'], [1, 2], 'date', (vs) => {
    // With a pattern, the text is read by it (java.time letters or a named format), as a mapping's `format` is.
    const text = String(vs.length === 1 ? vs[0] : vs[1]);
    const format = vs.length === 1 ? 'strict_date_optional_time' : String(vs[0]);
    const d = vs.length === 1 ? parseDate(text) : dateParser(format)(text);
    if (d === undefined) return fail(`java.lang.IllegalArgumentException: failed to parse date field [${text}] with format [${format}]`);
    return Math.floor(d);
  }),
  scalar(['DATE_EXTRACT'], ['string', 'date'], [2, 2], 'long', ([part, d]) => {
    const x = new Date(d as number);
    switch (String(part).toUpperCase()) {
      case 'YEAR':
        return x.getUTCFullYear();
      case 'MONTH_OF_YEAR':
        return x.getUTCMonth() + 1;
      case 'DAY_OF_MONTH':
        return x.getUTCDate();
      case 'DAY_OF_WEEK':
        return x.getUTCDay() === 0 ? 7 : x.getUTCDay();
      case 'HOUR_OF_DAY':
        return x.getUTCHours();
      case 'MINUTE_OF_HOUR':
        return x.getUTCMinutes();
      case 'SECOND_OF_MINUTE':
        return x.getUTCSeconds();
      default:
        return fail(`java.lang.IllegalArgumentException: No enum constant java.time.temporal.ChronoField.${String(part)}`);
    }
  }),
];
