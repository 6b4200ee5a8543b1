import type { EsType, Scalar, Value } from './types.ts';

/**
 * Scalar conversions and ordering shared by operators, functions and
 * commands. Dates are epoch milliseconds; IPs are kept in canonical text
 * (IPv4 dotted, IPv6 compressed) and ordered by their 16-byte form.
 */

/** Java's Double.toString, which Elasticsearch uses to print doubles as text. */
export function formatDouble(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (!Number.isFinite(d)) return d > 0 ? 'Infinity' : '-Infinity';
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(d);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(d);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mant, exp] = d.toExponential().split('e') as [string, string];
  const m = mant.includes('.') ? mant : `${mant}.0`;
  return `${m}E${exp.replace('+', '')}`;
}

export function formatDate(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString();
}

/** A scalar as ES|QL prints it in TO_STRING and in text output. */
export function scalarToString(v: Scalar, type: EsType): string {
  switch (type) {
    case 'double':
      return formatDouble(v as number);
    case 'date':
    case 'date_nanos':
      return formatDate(v as number);
    default:
      return String(v);
  }
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Parse an ISO-8601 date (strict_date_optional_time) to epoch millis, or undefined. */
export function parseDate(s: string): number | undefined {
  const t = s.trim();
  if (DATE_ONLY.test(t)) return Date.parse(`${t}T00:00:00Z`);
  const m = DATE_TIME.exec(t);
  if (!m) {
    if (/^-?\d{4}$/.test(t)) return Date.parse(`${t}-01-01T00:00:00Z`);
    if (/^\d{4}-\d{2}$/.test(t)) return Date.parse(`${t}-01T00:00:00Z`);
    return undefined;
  }
  const frac = (m[7] ?? '').slice(0, 3).padEnd(3, '0');
  const zone = m[8] === undefined || m[8] === 'Z' ? 'Z' : m[8].length === 5 ? `${m[8].slice(0, 3)}:${m[8].slice(3)}` : m[8];
  const ms = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}.${frac}${zone}`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Canonical IP text, or undefined when `s` is not an IPv4/IPv6 address. */
export function parseIp(s: string): string | undefined {
  const bytes = ipBytes(s.trim());
  return bytes === undefined ? undefined : ipText(bytes);
}

export function ipBytes(s: string): number[] | undefined {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (v4) {
    const parts = v4.slice(1).map(Number);
    if (parts.some((p) => p > 255)) return undefined;
    return [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...parts];
  }
  if (!s.includes(':') || !/^[0-9a-fA-F:.]+$/.test(s)) return undefined;
  let tail: number[] = [];
  let text = s;
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    const b = ipBytes(s.slice(lastColon + 1));
    if (!b) return undefined;
    tail = b.slice(12);
    text = `${s.slice(0, lastColon + 1)}${tail.length ? '0:0' : ''}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string | undefined): number[] | undefined => {
    if (!h) return [];
    const out: number[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = groups(halves[0]);
  const rest = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !rest) return undefined;
  const fill = 8 - head.length - rest.length;
  if (fill < 0 || (halves.length === 1 && fill !== 0)) return undefined;
  const words = [...head, ...new Array<number>(fill).fill(0), ...rest];
  const bytes = words.flatMap((w) => [w >> 8, w & 0xff]);
  if (tail.length) bytes.splice(12, 4, ...tail);
  return bytes;
}

function ipText(b: number[]): string {
  if (b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff) return b.slice(12).join('.');
  const words = Array.from({ length: 8 }, (_, i) => ((b[2 * i] as number) << 8) | (b[2 * i + 1] as number));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/);
  const pb = b.split(/[.-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny) {
      const d = Number(x) - Number(y);
      if (d !== 0) return d;
    } else if (nx !== ny) return nx ? 1 : -1;
    else if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** UTF-8 byte order, which is how Elasticsearch orders keywords. */
function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i) as number;
    const y = b.codePointAt(i) as number;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/** Order two non-null scalars of one type. */
export function compareScalars(a: Scalar, b: Scalar, type: EsType): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (type === 'ip') {
    const x = ipBytes(String(a)) ?? [];
    const y = ipBytes(String(b)) ?? [];
    for (let i = 0; i < 16; i++) if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
    return 0;
  }
  if (type === 'version') return compareVersions(String(a), String(b));
  return compareStrings(String(a), String(b));
}

/** Sort order of whole values (multi-values by their least element, as SORT does ascending). */
export function compareForSort(a: Value, b: Value, type: EsType, descending: boolean): number {
  const pick = (v: Value): Scalar | null => {
    if (!Array.isArray(v)) return v as Scalar | null;
    const vs = [...(v as Scalar[])].sort((x, y) => compareScalars(x, y, type));
    return (descending ? vs.at(-1) : vs[0]) ?? null;
  };
  const x = pick(a);
  const y = pick(b);
  if (x === null || y === null) return 0;
  return compareScalars(x, y, type);
}
