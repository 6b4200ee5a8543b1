/**
 * Parsing a date field's value by its mapping `format`, as Elasticsearch
 * indexes it: the format is a `||`-separated list tried in order; named
 * formats (`strict_date_optional_time`, `epoch_millis`, `epoch_second`, …) and
 * custom java.time patterns (`yyyy-MM-dd HH:mm:ss`, `dd/MM/yyyy`, …).
 * Default `strict_date_optional_time||epoch_millis` (date); dates without a
 * zone are UTC. Values are epoch milliseconds (date_nanos keeps fractions).
 * Source: https://www.elastic.co/guide/en/elasticsearch/reference/current/mapping-date-format.html
 */
export type DateParser = (v: unknown) => number | undefined;

export const DEFAULT_DATE_FORMAT = 'strict_date_optional_time||epoch_millis';

const ISO = /^([+-]?\d{4,9})(?:-(\d{2})(?:-(\d{2})(?:[Tt ](\d{2})(?::?(\d{2})(?::?(\d{2})(?:[.,](\d{1,9}))?)?)?)?)?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

const SUB_MILLIS = /\.\d{3}(\d+)Z$/;

/** `yyyy-MM-ddTHH:mm:ss[.fff…]Z`, the common form, through the native parser (checked by shape first). */
function fastUtc(s: string): number | undefined {
  if (s.length < 20 || s.charCodeAt(s.length - 1) !== 90 || s.charCodeAt(4) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58) return undefined;
  const t = Date.parse(s);
  if (Number.isNaN(t)) return undefined;
  const sub = s.length > 24 ? SUB_MILLIS.exec(s) : null;
  return sub ? t + Number(`0.${sub[1]}`) : t;
}

/**
 * What a missing time part becomes in a range bound Elasticsearch rounds up
 * (`gt`, `lte`): JavaDateFormatter's ROUND_UP_BASE_FIELDS (HOUR_OF_DAY 23,
 * MINUTE_OF_HOUR 59, SECOND_OF_MINUTE 59, NANO_OF_SECOND 999_999_999; month
 * and day stay 01). Other bounds and indexed values take the minimum.
 */
const missingTime = (roundUp: boolean): { readonly H: number; readonly m: number; readonly s: number; readonly ms: number } =>
  roundUp ? { H: 23, m: 59, s: 59, ms: 999 } : { H: 0, m: 0, s: 0, ms: 0 };

/** ISO 8601 as `date_optional_time` reads it (a date, optionally a time and a zone); `roundUp` fills missing time parts with their maximum. */
export function parseIsoInstant(s: string, roundUp = false): number | undefined {
  const fast = fastUtc(s);
  if (fast !== undefined) return fast;
  const m = ISO.exec(s.trim());
  if (!m) return undefined;
  const fill = missingTime(roundUp);
  const n = (i: number, missing: number): number => (m[i] === undefined ? missing : Number(m[i]));
  const month = n(2, 1);
  const day = n(3, 1);
  const [hour, minute, second] = [n(4, fill.H), n(5, fill.m), n(6, fill.s)];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  const frac = m[7] === undefined ? fill.ms : Number(`0.${m[7]}`) * 1000;
  const d = new Date(0);
  d.setUTCFullYear(n(1, 0), month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime() + frac - zoneOffsetMs(m[8]);
}

function zoneOffsetMs(zone: string | undefined): number {
  if (!zone || zone === 'Z' || zone === 'z') return 0;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0)) * 60_000;
}

const epoch = (scale: number): DateParser => (v) => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^[+-]?\d+(?:\.\d+)?$/.test(v.trim()) ? Number(v) : NaN;
  return Number.isFinite(n) ? n * scale : undefined;
};
const iso: DateParser = (v) => (typeof v === 'string' ? parseIsoInstant(v) : undefined);
const isoRoundUp: DateParser = (v) => (typeof v === 'string' ? parseIsoInstant(v, true) : undefined);

/** Named formats the engines know; every ISO flavour reads as date_optional_time (strictness aside). */
const NAMED: Readonly<Record<string, DateParser>> = {
  epoch_millis: epoch(1),
  epoch_second: epoch(1000),
};
const ISO_NAMES = /^(strict_)?(date_optional_time(_nanos)?|date_time(_no_millis)?|date_hour_minute_second(_millis|_fraction)?|date_hour_minute|date_hour|date|year_month_day|year_month|year|basic_date_time(_no_millis)?|basic_date|iso8601)$/;

/** A java.time pattern (`yyyy-MM-dd HH:mm:ss.SSSXXX`) as a parser; `roundUp` fills the time parts it lacks with their maximum. */
function customPattern(pattern: string, roundUp = false): DateParser | undefined {
  const parts: string[] = [];
  const slots: Array<'y' | 'M' | 'd' | 'H' | 'm' | 's' | 'S' | 'Z'> = [];
  const re = /'([^']*)'|(y+|u+|M+|d+|H+|m+|s+|S+|X+|x+|Z+)|([^A-Za-z'])|([A-Za-z])/g;
  for (const m of pattern.matchAll(re)) {
    if (m[1] !== undefined) parts.push(escape(m[1]));
    else if (m[3] !== undefined) parts.push(escape(m[3]));
    else if (m[4] !== undefined) return undefined; // a letter we do not read (E, a, …)
    else {
      const tok = m[2]!;
      const c = tok[0] === 'u' ? 'y' : tok[0]!;
      if ('XxZ'.includes(c)) {
        slots.push('Z');
        parts.push('(Z|[+-]\\d{2}(?::?\\d{2})?)');
      } else {
        slots.push(c as 'y');
        parts.push(c === 'y' ? '([+-]?\\d{4,9})' : c === 'S' ? `(\\d{1,${Math.max(tok.length, 1)}})` : `(\\d{1,2})`);
      }
    }
  }
  const rx = new RegExp(`^${parts.join('')}$`);
  return (v) => {
    if (typeof v !== 'string') return undefined;
    const m = rx.exec(v.trim());
    if (!m) return undefined;
    const f: Record<string, string> = {};
    slots.forEach((s, i) => (f[s] = m[i + 1]!));
    const d = new Date(0);
    d.setUTCFullYear(Number(f.y ?? 1970), Number(f.M ?? 1) - 1, Number(f.d ?? 1));
    const fill = missingTime(roundUp);
    d.setUTCHours(Number(f.H ?? fill.H), Number(f.m ?? fill.m), Number(f.s ?? fill.s), f.S ? Math.floor(Number(`0.${f.S}`) * 1000) : fill.ms);
    return d.getTime() - zoneOffsetMs(f.Z);
  };
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

const cache = new Map<string, DateParser>();

/**
 * The parser of a date field's values under `format` (default
 * `strict_date_optional_time||epoch_millis`). A format part the engines cannot
 * read is skipped; a format with no readable part reads ISO 8601.
 * @example dateParser('epoch_second')(1700000000) // 1700000000000
 */
export function dateParser(format: string = DEFAULT_DATE_FORMAT): DateParser {
  return formatParser(format, false);
}

/**
 * The parser of a range bound (or exact-date term) on a date field under
 * `format`: as `dateParser`, but a bound Elasticsearch rounds up (`gt`,
 * `lte`, the upper end of an exact date) fills missing time parts with their
 * maximum, as DateFieldMapper's range query does (docs/semantics-verified.md §2).
 * @example dateBoundParser('yyyy-MM-dd', true)('2024-03-01') // Date.UTC(2024, 2, 1, 23, 59, 59, 999)
 */
export function dateBoundParser(format: string | undefined, roundUp: boolean): DateParser {
  return formatParser(format ?? DEFAULT_DATE_FORMAT, roundUp);
}

function formatParser(format: string, roundUp: boolean): DateParser {
  const cacheKey = `${roundUp ? 'up' : 'down'}:${format}`;
  let p = cache.get(cacheKey);
  if (p) return p;
  const isoParser = roundUp ? isoRoundUp : iso;
  const parsers = format.split('||').map((f) => f.trim()).flatMap((f) => {
    const named = NAMED[f] ?? (ISO_NAMES.test(f) ? isoParser : undefined);
    const one = named ?? customPattern(f, roundUp);
    return one ? [one] : [];
  });
  const list = parsers.length > 0 ? parsers : [isoParser];
  const [only] = list;
  p = list.length === 1 && only ? only : (v) => {
    for (const q of list) {
      const t = q(v);
      if (t !== undefined && Number.isFinite(t)) return t;
    }
    return undefined;
  };
  cache.set(cacheKey, p);
  return p;
}
