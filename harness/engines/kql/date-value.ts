import { parseTimestamp } from '../common/time.ts';

/**
 * Date values in KQL / Lucene (kql.md §10): ISO-8601 with or without time and
 * zone (UTC when none: detection rules run with UTC), epoch millis (digits
 * only, never zone-adjusted), and date math (`now-15m`, `now-1d/d`,
 * `2024-01-01||+1M`).
 *
 * Rounding follows Elasticsearch's range parsing: a *round-up* bound (`lte`,
 * `gt`, and the upper end of an exact match) fills missing time-of-day parts
 * with their maximum (23:59:59.999) while missing month/day stay 01, and date
 * math rounding `/d` goes to the end of the unit; a round-down bound fills
 * with the minimum. So `f: 2024-01-01` covers the whole day and `f <= 2024-01`
 * ends at 2024-01-01T23:59:59.999Z; `f <= 2024` is the year 2024 (four digits
 * parse as strict_date_optional_time before epoch_millis), ending 2024-01-01T23:59:59.999Z.
 * Source: docs/semantics-verified.md §2.
 */
const ISO = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?)?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;
const MATH_OP = /^(?:([+-])(\d+)([yMwdhHms])|\/([yMwdhHms]))/;

function parseIso(s: string, roundUp: boolean): number | undefined {
  const m = ISO.exec(s);
  if (!m) return undefined;
  const num = (i: number, dflt: number): number => (m[i] === undefined ? dflt : Number(m[i]));
  const timeMissing = (i: number): boolean => m[i] === undefined;
  const hour = num(4, roundUp ? 23 : 0);
  const minute = num(5, roundUp && timeMissing(5) ? 59 : 0);
  const second = num(6, roundUp && timeMissing(6) ? 59 : 0);
  const ms = m[7] === undefined ? (roundUp ? 999 : 0) : Math.floor(Number(`0.${m[7]}`) * 1000);
  const month = num(2, 1);
  const day = num(3, 1);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  let t = Date.UTC(num(1, 0), month - 1, day, hour, minute, second, ms);
  const zone = m[8];
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0)) * 60_000;
  }
  return t;
}

function add(t: number, n: number, unit: string): number {
  const d = new Date(t);
  switch (unit) {
    case 'y':
      d.setUTCFullYear(d.getUTCFullYear() + n);
      return d.getTime();
    case 'M':
      d.setUTCMonth(d.getUTCMonth() + n);
      return d.getTime();
    case 'w':
      return t + n * 604_800_000;
    case 'd':
      return t + n * 86_400_000;
    case 'h':
    case 'H':
      return t + n * 3_600_000;
    case 'm':
      return t + n * 60_000;
    default:
      return t + n * 1000;
  }
}

function roundDown(t: number, unit: string): number {
  const d = new Date(t);
  switch (unit) {
    case 'y':
      return Date.UTC(d.getUTCFullYear(), 0, 1);
    case 'M':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    case 'w': {
      const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
      return day - ((d.getUTCDay() + 6) % 7) * 86_400_000;
    }
    case 'd':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    case 'h':
    case 'H':
      return t - (((t % 3_600_000) + 3_600_000) % 3_600_000);
    case 'm':
      return t - (((t % 60_000) + 60_000) % 60_000);
    default:
      return t - (((t % 1000) + 1000) % 1000);
  }
}

/**
 * A KQL/Lucene date literal as epoch millis, rounded up or down as the bound
 * kind requires; undefined when it is not a date.
 * @example parseDateBound('2024-01-01', true, 0) // Date.UTC(2024, 0, 1, 23, 59, 59, 999)
 */
export function parseDateBound(text: string, roundUp: boolean, now: number): number | undefined {
  const s = text.trim();
  // The default format is strict_date_optional_time||epoch_millis, tried in order: four digits
  // are a year (2024), other digit runs epoch millis. Kibana sends KQL numbers as strings.
  if (/^\d+$/.test(s) && s.length !== 4) return Number(s);
  let anchor: number | undefined;
  let rest: string;
  if (s.startsWith('now')) {
    anchor = now;
    rest = s.slice(3);
  } else {
    const bar = s.indexOf('||');
    if (bar < 0) return parseIso(s, roundUp);
    anchor = parseIso(s.slice(0, bar), false);
    rest = s.slice(bar + 2);
  }
  if (anchor === undefined) return undefined;
  let t = anchor;
  while (rest !== '') {
    const m = MATH_OP.exec(rest);
    if (!m) return undefined;
    if (m[4]) {
      const down = roundDown(t, m[4]);
      t = roundUp ? add(down, 1, m[4]) - 1 : down;
    } else t = add(t, (m[1] === '-' ? -1 : 1) * Number(m[2]), m[3]!);
    rest = rest.slice(m[0].length);
  }
  return t;
}

/** An event value of a date field as epoch millis: numbers are epoch millis (ES `epoch_millis`), strings ISO or digits. */
export function eventTime(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  if (/^\d+$/.test(v)) return Number(v);
  return parseTimestamp(v);
}

/** Fields Elastic maps as `date` (ECS), used when no schema is supplied (kql.md §9 rule 4). */
export const KNOWN_DATE_FIELDS: ReadonlySet<string> = new Set([
  '@timestamp', 'event.created', 'event.ingested', 'event.start', 'event.end',
  'process.start', 'process.end', 'process.parent.start', 'file.created', 'file.ctime', 'file.mtime', 'file.accessed',
  'tls.client.not_after', 'tls.client.not_before', 'tls.server.not_after', 'tls.server.not_before',
]);
