import { scalarText } from '../common/fields.ts';
import { parseIp, networkContains, type IpAddress, type Network } from '../common/cidr.ts';
import { text as textToken, type Pattern } from '../common/pattern.ts';
import { compilePattern } from '../common/pattern-matcher.ts';
import { anyTokenTest, analyse, phraseTest, tokenGlobTest, type TextTest } from './analysed-text.ts';
import { eventTime, parseDateBound } from './date-value.ts';
import type { FieldTyping, Semantics } from './field-semantics.ts';
import { familyOf } from '../../mapping/index.ts';
import { canonicalNetwork, compareVersions } from '../../mapping/typed-values.ts';
import { dateBoundParser } from '../../mapping/date-format.ts';
import type { RangeOp, TermValue } from './query-ast.ts';

/**
 * Per-value tests: one scalar event value (arrays are already flattened by the
 * field access) against one query value, under one semantics (kql.md §3, §4,
 * §9, §10). Everything that depends only on the query is computed here, once.
 */
export type ScalarTest = (v: unknown) => boolean;

const never: ScalarTest = () => false;
const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A KQL value as a number, when Elasticsearch would coerce it to one. */
export function numericLiteral(s: string): number | undefined {
  return NUMERIC.test(s.trim()) ? Number(s) : undefined;
}

/** Cheap pre-check before parsing an event string as an IP. */
export function looksLikeIp(v: string): boolean {
  const c = v.charCodeAt(0);
  return (c >= 48 && c <= 57) || (v.includes(':') && /^[0-9a-fA-F:]/.test(v));
}

/** `addr` or `addr/prefix`; unlike common/cidr parseNetwork, host bits are masked (Elasticsearch accepts them). */
export function parseNetworkLenient(s: string): Network | undefined {
  const slash = s.indexOf('/');
  const addr = parseIp(slash < 0 ? s : s.slice(0, slash));
  if (!addr) return undefined;
  const bits = addr.family === 4 ? 32 : 128;
  const prefixText = slash < 0 ? String(bits) : s.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > bits) return undefined;
  const shift = BigInt(bits - Number(prefixText));
  return { family: addr.family, base: (addr.value >> shift) << shift, prefix: Number(prefixText) };
}

export function ipIn(v: string, net: Network): boolean {
  if (!looksLikeIp(v)) return false;
  const ip = parseIp(v);
  return ip !== undefined && networkContains(net, ip);
}

/** Compare strings by code point (Elasticsearch term order), not UTF-16 unit. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const sx = x >= 0xd800 && x <= 0xdfff;
    const sy = y >= 0xd800 && y <= 0xdfff;
    if (sx !== sy) return sx ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

function cmp(c: number, op: RangeOp): boolean {
  return op === 'gt' ? c > 0 : op === 'gte' ? c >= 0 : op === 'lt' ? c < 0 : c <= 0;
}

const num = (x: number, y: number): number => (x < y ? -1 : x > y ? 1 : 0);
const big = (x: bigint, y: bigint): number => (x < y ? -1 : x > y ? 1 : 0);

/** Numbers, or strings that are numbers (numeric mapping coerces them). */
function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  return typeof v === 'string' ? numericLiteral(v) : undefined;
}

function onText(t: TextTest): ScalarTest {
  return (v) => {
    const s = scalarText(v);
    return s !== undefined && t(s);
  };
}

/** The value's pattern (a literal is a one-token pattern). */
function patternOf(value: TermValue): Pattern {
  return value.kind === 'pattern' ? value.pattern : [textToken(value.text)];
}

/** Keyword-by-value-type test (§9 rule 4): the engine's default. */
function autoTerm(value: TermValue): ScalarTest {
  if (value.kind === 'pattern') {
    const m = compilePattern(value.pattern, 'sensitive');
    return (v) => typeof v === 'string' && m(v);
  }
  const lit = value.text;
  const n = numericLiteral(lit);
  const b = lit === 'true' ? true : lit === 'false' ? false : undefined;
  const net = /[.:]/.test(lit) ? parseNetworkLenient(lit) : undefined;
  if (net) return (v) => (typeof v === 'string' ? v === lit || ipIn(v, net) : typeof v === 'number' ? v === n : v === b);
  return (v) => (typeof v === 'string' ? v === lit : typeof v === 'number' ? v === n : typeof v === 'boolean' && v === b);
}

/**
 * The test of `field: value` for one event value under `sem`.
 * @example termTest({ kind: 'literal', text: 'cmd.exe', phrase: false }, 'caseless', 0)('CMD.EXE') // true
 */
export function termTest(value: TermValue, sem: Semantics, now: number, typing?: FieldTyping): ScalarTest {
  switch (sem) {
    case 'auto':
      return autoTerm(value);
    case 'keyword':
      return onText(compilePattern(patternOf(value), 'sensitive'));
    case 'caseless':
      return onText(compilePattern(patternOf(value), 'insensitive'));
    case 'text':
      return onText(value.kind === 'pattern' ? tokenGlobTest(value.pattern) : value.phrase ? phraseTest(value.text, value.slop ?? 0) : anyTokenTest(value.text));
    case 'date': {
      if (value.kind === 'pattern') return never;
      // Kibana sends an exact date as gte and lte the same text (kuery/functions/is.ts): lte rounds up.
      const lo = typedDate(value.text, typing, false) ?? parseDateBound(value.text, false, now);
      const hi = typedDate(value.text, typing, true) ?? parseDateBound(value.text, true, now);
      if (lo === undefined || hi === undefined) return never;
      return (v) => {
        const t = eventTime(v);
        return t !== undefined && t >= lo && t <= hi;
      };
    }
    case 'number': {
      const n = value.kind === 'literal' ? typedNumber(numericLiteral(value.text), typing) : undefined;
      return n === undefined ? never : (v) => toNumber(v) === n;
    }
    case 'ip': {
      // A wildcard on an ip field fails the search in Elasticsearch (no hits); unmapped, the text is matched.
      if (value.kind === 'pattern') return typing ? never : autoTerm(value);
      const net = parseNetworkLenient(value.text);
      const c = net && typing ? canonicalNetwork(net) : net;
      return c ? (v) => typeof v === 'string' && ipIn(v, c) : never;
    }
    case 'version':
      return onText(compilePattern(patternOf(value), 'sensitive'));
    case 'boolean': {
      const lit = value.kind === 'literal' ? value.text : undefined;
      const b = lit === 'true' ? true : lit === 'false' ? false : undefined;
      return b === undefined ? never : (v) => v === b || v === lit;
    }
  }
}

/**
 * The test of `field <op> bound` for one event value under `sem`: numbers
 * numerically, IPs numerically within a family, dates with ES rounding,
 * other strings lexicographically by code point (`"999" > "1000"`).
 */
export function rangeTest(op: RangeOp, bound: string, sem: Semantics, now: number, typing?: FieldTyping): ScalarTest {
  const n = sem === 'number' ? typedNumber(numericLiteral(bound), typing, true) : numericLiteral(bound);
  const strCmp = (s: string | undefined): boolean => s !== undefined && cmp(compareCodePoints(s, bound), op);
  const ipB: IpAddress | undefined = parseIp(bound);
  const ipCmp = (v: unknown): boolean | undefined => {
    if (!ipB || typeof v !== 'string' || !looksLikeIp(v)) return undefined;
    const ip = parseIp(v);
    return ip && ip.family === ipB.family ? cmp(big(ip.value, ipB.value), op) : undefined;
  };
  switch (sem) {
    case 'auto':
      return (v) => (typeof v === 'number' ? n !== undefined && cmp(num(v, n), op) : typeof v === 'string' ? (ipCmp(v) ?? strCmp(v)) : false);
    case 'keyword':
      return (v) => strCmp(scalarText(v));
    case 'caseless': {
      const lb = bound.toLowerCase();
      return (v) => {
        const s = scalarText(v);
        return s !== undefined && cmp(compareCodePoints(s.toLowerCase(), lb), op);
      };
    }
    case 'text':
      return onText((s) => analyse(s).some((t) => cmp(compareCodePoints(t, bound), op)));
    case 'date': {
      const roundUp = op === 'gt' || op === 'lte';
      const b = typedDate(bound, typing, roundUp) ?? parseDateBound(bound, roundUp, now);
      if (b === undefined) return never;
      return (v) => {
        const t = eventTime(v);
        return t !== undefined && cmp(num(t, b), op);
      };
    }
    case 'number':
      return n === undefined ? never : (v) => {
        const x = toNumber(v);
        return x !== undefined && cmp(num(x, n), op);
      };
    case 'ip':
      return (v) => ipCmp(v) === true;
    case 'boolean':
      return never;
    case 'version':
      return onText((s) => cmp(compareVersions(s, bound), op));
  }
}

/**
 * A numeric query value as the field's mapping reads it: on an integer field
 * a term with a fraction matches nothing (ranges compare numerically, which
 * rounds them as Elasticsearch does); float / half_float / scaled_float
 * values are rounded like the indexed ones.
 */
function typedNumber(n: number | undefined, typing: FieldTyping | undefined, range = false): number | undefined {
  if (n === undefined || !typing) return n;
  if (familyOf(typing.mapping.type) === 'integer') return range || Number.isInteger(n) ? n : undefined;
  const r = typing.index?.(n);
  return typeof r === 'number' ? r : n;
}

/** A date query value in the field's own `format`, when the mapping gives one (else undefined: ISO / epoch_millis / date math). */
/** A bound in the field's own `format`, rounded as Elasticsearch rounds that bound. */
function typedDate(text: string, typing: FieldTyping | undefined, roundUp: boolean): number | undefined {
  const format = typing?.mapping.format;
  return format === undefined ? undefined : dateBoundParser(format, roundUp)(text.trim());
}

/** Lucene `/regex/` (anchored) under `sem`: per token on analysed text, folded on caseless. */
export function regexTest(re: { test(s: string): boolean }, sem: Semantics): ScalarTest {
  if (sem === 'text') return onText((s) => analyse(s).some((t) => re.test(t)));
  if (sem === 'caseless') return onText((s) => re.test(s.toLowerCase()));
  if (sem === 'auto' || sem === 'ip') return (v) => typeof v === 'string' && re.test(v);
  if (sem === 'keyword' || sem === 'version') return onText((s) => re.test(s));
  return never;
}

/** Optimal-string-alignment distance ≤ max (Lucene fuzzy queries allow transpositions). */
export function withinEditDistance(a: string, b: string, max: number): boolean {
  if (Math.abs(a.length - b.length) > max) return false;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur.push(d);
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length]! <= max;
}

/** Lucene `term~N` under `sem`. */
export function fuzzyTest(term: string, distance: number, sem: Semantics): ScalarTest {
  if (sem === 'text') {
    const t = term.toLowerCase();
    return onText((s) => analyse(s).some((tok) => withinEditDistance(tok, t, distance)));
  }
  if (sem === 'caseless') return onText((s) => withinEditDistance(s.toLowerCase(), term.toLowerCase(), distance));
  if (sem === 'auto' || sem === 'keyword' || sem === 'version') return onText((s) => withinEditDistance(s, term, distance));
  return never;
}
