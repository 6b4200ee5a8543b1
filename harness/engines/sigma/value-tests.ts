/**
 * Final values → tests over one field's values (rules spec "Value types" and
 * sigma.md §4): strings as case-folded wildcard patterns against any scalar's
 * text, numbers numerically against numbers and decimal strings, booleans,
 * null, regex search, CIDR, comparisons, field references, existence and time
 * parts. Each test also explains itself and describes itself as a predicate leaf.
 */
import type { Event } from '../../core/event.ts';
import { networkContains, parseIp } from '../common/cidr.ts';
import { fieldGetter, scalarText } from '../common/fields.ts';
import { normalizePattern, printPattern, type Pattern } from '../common/pattern.ts';
import { compilePattern } from '../common/pattern-matcher.ts';
import { not, or, type Predicate } from '../common/predicate.ts';
import { compileRegex } from '../common/regex.ts';
import { parseTimestamp } from '../common/time.ts';
import { toPattern } from './sigma-string.ts';
import type { SigmaValue, TimePart } from './values.ts';

export interface ValueTest {
  /** `vals`: the field's values, flattened (empty = field missing); for keywords every leaf value of the event. */
  test(vals: readonly unknown[], event: Event): boolean;
  /** Why the test came out as it did, for explain(). */
  why(vals: readonly unknown[], event: Event, result: boolean): string;
  predicate(field: string | null): Predicate;
}

const MAX_SHOWN = 120;
const show = (v: unknown): string => {
  const s = typeof v === 'string' ? `"${v}"` : v === undefined ? 'undefined' : JSON.stringify(v);
  return s.length > MAX_SHOWN ? `${s.slice(0, MAX_SHOWN)}…"` : s;
};
const showAll = (vals: readonly unknown[]): string => (vals.length === 1 ? show(vals[0]) : `[${vals.slice(0, 5).map(show).join(', ')}${vals.length > 5 ? ', …' : ''}]`);

const DECIMAL = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;
/** A number, or a string that is a decimal number (`"0x1250"` is not). */
export function numericOf(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isNaN(v) ? undefined : v;
  if (typeof v === 'string' && DECIMAL.test(v)) return Number(v);
  return undefined;
}

/** Event text of a scalar (numbers and booleans by their canonical text); undefined for null and objects. */
const textOf = scalarText;

function anyValue(vals: readonly unknown[], f: (v: unknown) => boolean): boolean {
  for (let i = 0; i < vals.length; i++) if (f(vals[i])) return true;
  return false;
}

function failWhy(vals: readonly unknown[], verb: string, expected: string): string {
  if (vals.length === 0) return 'field missing';
  return `${showAll(vals)} ${verb} ${expected}`;
}

function patternVerb(p: Pattern): [string, string] {
  const shape = p.map((t) => (t.kind === 'text' ? 'T' : t.kind === 'star' ? '*' : '?')).join('');
  const lit = (i: number): string => `"${(p[i] as { text: string }).text}"`;
  switch (shape) {
    case 'T':
      return ['does not equal', lit(0)];
    case '':
      return ['is not', 'empty'];
    case 'T*':
      return ['does not start with', lit(0)];
    case '*T':
      return ['does not end with', lit(1)];
    case '*T*':
      return ['does not contain', lit(1)];
    default:
      return ['does not match', `"${printPattern(p)}"`];
  }
}

function stringTest(v: Extract<SigmaValue, { kind: 'string' }>): ValueTest {
  const pattern = normalizePattern(toPattern(v.s));
  const mode = v.cased ? 'sensitive' : 'insensitive';
  const m = compilePattern(pattern, mode);
  const one = (x: unknown): boolean => {
    const t = typeof x === 'string' ? x : textOf(x);
    return t !== undefined && m(t);
  };
  return {
    test: (vals) => anyValue(vals, one),
    why: (vals, _e, r) => {
      if (r) return show(vals.find(one));
      const [verb, what] = patternVerb(pattern);
      return failWhy(vals, verb, what + (v.cased ? ' (case-sensitive)' : ''));
    },
    predicate: (field) => ({ kind: 'match', field, pattern, mode }),
  };
}

function numberTest(n: number): ValueTest {
  const one = (x: unknown): boolean => typeof x !== 'boolean' && numericOf(x) === n;
  return {
    test: (vals) => anyValue(vals, one),
    why: (vals, _e, r) => (r ? show(vals.find(one)) : failWhy(vals, 'is not', String(n))),
    predicate: (field) => (field === null ? { kind: 'match', field, pattern: [{ kind: 'text', text: String(n) }], mode: 'insensitive' } : { kind: 'equals', field, value: n }),
  };
}

function booleanTest(b: boolean): ValueTest {
  const want = b ? 'true' : 'false';
  const one = (x: unknown): boolean => x === b || (typeof x === 'string' && x.toLowerCase() === want);
  return {
    test: (vals) => anyValue(vals, one),
    why: (vals, _e, r) => (r ? show(vals.find(one)) : failWhy(vals, 'is not', want)),
    predicate: (field) => (field === null ? { kind: 'match', field, pattern: [{ kind: 'text', text: want }], mode: 'insensitive' } : { kind: 'equals', field, value: b }),
  };
}

const nullTest: ValueTest = {
  test: (vals) => vals.length === 0 || vals.includes(null),
  why: (vals, _e, r) => (vals.length === 0 ? 'field missing' : r ? 'null' : `${showAll(vals)} is not null`),
  predicate: (field) => ({ kind: 'null', field: field ?? '' }),
};

function regexTest(source: string, flags: string): ValueTest {
  const re = compileRegex(source, { ignoreCase: flags.includes('i'), multiline: flags.includes('m'), dotAll: flags.includes('s') });
  const one = (x: unknown): boolean => {
    const t = textOf(x);
    return t !== undefined && re.test(t);
  };
  return {
    test: (vals) => anyValue(vals, one),
    why: (vals, _e, r) => (r ? show(vals.find(one)) : failWhy(vals, 'does not match', `/${source}/${flags}`)),
    predicate: (field) => ({ kind: 'regex', field, source, flags }),
  };
}

function cidrTest(v: Extract<SigmaValue, { kind: 'cidr' }>): ValueTest {
  const one = (x: unknown): boolean => {
    if (typeof x !== 'string') return false;
    const ip = parseIp(x);
    return ip !== undefined && networkContains(v.network, ip);
  };
  return {
    test: (vals) => anyValue(vals, one),
    why: (vals, _e, r) => (r ? show(vals.find(one)) : failWhy(vals, 'is not in', v.text)),
    predicate: (field) => ({ kind: 'cidr', field: field ?? '', network: v.text }),
  };
}

const COMPARE = { gt: (a: number, b: number) => a > b, gte: (a: number, b: number) => a >= b, lt: (a: number, b: number) => a < b, lte: (a: number, b: number) => a <= b };
const COMPARE_TEXT = { gt: '>', gte: '>=', lt: '<', lte: '<=' };

function compareTest(v: Extract<SigmaValue, { kind: 'compare' }>): ValueTest {
  const cmp = COMPARE[v.op];
  const one = (x: unknown): boolean => {
    const n = typeof x === 'boolean' ? undefined : numericOf(x);
    return n !== undefined && cmp(n, v.value);
  };
  return {
    test: (vals) => anyValue(vals, one),
    why: (vals, _e, r) => (r ? show(vals.find(one)) : failWhy(vals, 'is not a number', `${COMPARE_TEXT[v.op]} ${v.value}`)),
    predicate: (field) => ({ kind: 'range', field: field ?? '', op: v.op, value: v.value }),
  };
}

function fieldrefTest(v: Extract<SigmaValue, { kind: 'fieldref' }>): ValueTest {
  const other = fieldGetter(v.other);
  const fold = v.cased ? (s: string) => s : (s: string) => s.toLowerCase();
  const rel =
    v.leading && v.trailing ? (a: string, b: string) => a.includes(b) : v.leading ? (a: string, b: string) => a.endsWith(b) : v.trailing ? (a: string, b: string) => a.startsWith(b) : (a: string, b: string) => a === b;
  const position = v.leading && v.trailing ? 'contains' : v.leading ? 'endswith' : v.trailing ? 'startswith' : 'equals';
  const holds = (vals: readonly unknown[], e: Event): boolean => {
    const refs = other(e);
    return anyValue(vals, (a) => {
      const ta = textOf(a);
      return ta !== undefined && anyValue(refs, (b) => {
        const tb = textOf(b);
        return tb !== undefined && rel(fold(ta), fold(tb));
      });
    });
  };
  return {
    test: holds,
    why: (vals, e, r) => {
      const refs = other(e);
      if (refs.length === 0) return `referenced field ${v.other} missing`;
      return r ? `${showAll(vals)} ${position} ${v.other} ${showAll(refs)}` : failWhy(vals, `does not ${position === 'equals' ? 'equal' : position.replace(/s$/, '')}`, `${v.other} ${showAll(refs)}`);
    },
    predicate: (field) => ({ kind: 'fieldref', field: field ?? '', other: v.other, position, mode: v.cased ? 'sensitive' : 'insensitive' }),
  };
}

function existsTest(want: boolean): ValueTest {
  return {
    test: (vals) => (vals.length > 0) === want,
    why: (vals) => (vals.length > 0 ? 'field present' : 'field missing'),
    predicate: (field) => (want ? { kind: 'exists', field: field ?? '' } : not({ kind: 'exists', field: field ?? '' })),
  };
}

function isoWeek(d: Date): number {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
  return Math.ceil(((t.getTime() - yearStart) / 86400000 + 1) / 7);
}

const PARTS: Record<TimePart, (d: Date) => number> = {
  minute: (d) => d.getUTCMinutes(),
  hour: (d) => d.getUTCHours(),
  day: (d) => d.getUTCDate(),
  week: isoWeek,
  month: (d) => d.getUTCMonth() + 1,
  year: (d) => d.getUTCFullYear(),
};

/** The time part of an event value (ISO-8601, UTC when no offset; epoch s / ms). */
export function timePartOf(part: TimePart, v: unknown): number | undefined {
  const ms = parseTimestamp(v);
  return ms === undefined ? undefined : PARTS[part](new Date(ms));
}

function timePartTest(v: Extract<SigmaValue, { kind: 'timepart' }>): ValueTest {
  const one = (x: unknown): boolean => timePartOf(v.part, x) === v.value;
  return {
    test: (vals) => anyValue(vals, one),
    why: (vals, _e, r) => (r ? show(vals.find(one)) : failWhy(vals, `has no ${v.part}`, String(v.value))),
    predicate: (field) => ({ kind: 'opaque', field, description: `${v.part} of ${field ?? 'timestamp'} is ${v.value}` }),
  };
}

function expansionTest(values: readonly SigmaValue[]): ValueTest {
  const tests = values.map(valueTest);
  return {
    test: (vals, e) => tests.some((t) => t.test(vals, e)),
    why: (vals, e, r) => {
      if (vals.length === 0) return 'field missing';
      const hit = tests.findIndex((t) => t.test(vals, e));
      return r && hit >= 0 ? `alternative ${hit + 1} of ${tests.length}: ${tests[hit]!.why(vals, e, true)}` : `none of ${tests.length} alternatives: ${tests[0]!.why(vals, e, false)}; …`;
    },
    predicate: (field) => or(tests.map((t) => t.predicate(field))),
  };
}

/** Compile one final value into its test (throws the regex compiler's Error for an invalid regex). */
export function valueTest(v: SigmaValue): ValueTest {
  switch (v.kind) {
    case 'string':
      return stringTest(v);
    case 'number':
      return numberTest(v.value);
    case 'boolean':
      return booleanTest(v.value);
    case 'null':
      return nullTest;
    case 're':
      return regexTest(v.source, v.flags);
    case 'cidr':
      return cidrTest(v);
    case 'compare':
      return compareTest(v);
    case 'fieldref':
      return fieldrefTest(v);
    case 'exists':
      return existsTest(v.value);
    case 'timepart':
      return timePartTest(v);
    case 'expansion':
      return v.values.length === 1 ? valueTest(v.values[0]!) : expansionTest(v.values);
  }
}

