import type { Expr } from '../engines/esql/ast.ts';
import { combine, type Assignment } from './esql-assignment.ts';
import { cap, constantOf, literalOf, value, wantsTrue, wantValue, type Want, type WantContext } from './esql-want.ts';
import { regexSamples } from './esql-want-samples.ts';

/** The longest text and the most values a wanted shape may ask for: a larger bound is left to hand-written cases. */
const MAX_TEXT = 100_000;
const MAX_VALUES = 1_000;

/**
 * Function calls and arithmetic read backwards (esql-want.ts): the wanted
 * value of `f(x, …)` as a wanted value of `x` — conversions and case folding
 * pass it on, COALESCE tries each argument, CONCAT strips its literal parts,
 * SUBSTRING pads, REPLACE puts a match back, LENGTH / MV_COUNT / LOCATE build
 * a text of the right shape, Base64 is undone, JSON_EXTRACT(_source, path)
 * names a field, CASE wants a branch's condition and value.
 */
/** Functions whose value is (for one plain text / number) their first argument's. */
const PASS_THROUGH = new Set(['TO_LOWER', 'TO_UPPER', 'TRIM', 'LTRIM', 'RTRIM', 'TO_STRING', 'TO_STR', 'URL_DECODE', 'MV_FIRST', 'MV_LAST', 'MV_MIN', 'MV_MAX', 'MV_DEDUPE', 'MV_SORT', 'MV_CONCAT', 'SPLIT', 'TO_IP', 'TO_INTEGER', 'TO_INT', 'TO_LONG', 'TO_DOUBLE', 'TO_DBL', 'TO_KEYWORD', 'TO_VERSION', 'TO_BOOLEAN', 'TO_BOOL']);

function folded(name: string, wants: readonly Want[]): Want[] {
  if (name !== 'TO_LOWER' && name !== 'TO_UPPER') return [...wants];
  const fold = (t: string): string => (name === 'TO_LOWER' ? t.toLowerCase() : t.toUpperCase());
  return wants.map((w) => (w.k === 'value' && typeof w.v === 'string' ? value(fold(w.v)) : w.k === 'contains' || w.k === 'prefix' ? { k: w.k, v: fold(w.v) } : w));
}

/** `a + k`, `k - a`, `a * k`, `a / k` …: the wanted number undone on the side that is not a constant. */
export function arithmeticValue(e: Extract<Expr, { type: 'binary' }>, wants: readonly Want[], w: WantContext): Assignment[] {
  const l = constantOf(e.left, w);
  const r = constantOf(e.right, w);
  const k = typeof r === 'number' ? r : typeof l === 'number' ? l : undefined;
  if (k === undefined || (typeof l === 'number') === (typeof r === 'number')) return [];
  const openLeft = typeof r === 'number';
  const undo = (v: number): number | undefined => {
    switch (e.op) {
      case '+':
        return v - k;
      case '-':
        return openLeft ? v + k : k - v;
      case '*':
        return k === 0 ? undefined : v / k;
      case '/':
        return openLeft ? v * k : v === 0 ? undefined : k / v;
      default:
        return undefined;
    }
  };
  const targets = wants.flatMap((x): Want[] => {
    const u = x.k === 'value' && typeof x.v === 'number' ? undo(x.v) : undefined;
    return u === undefined || !Number.isFinite(u) ? [] : [value(u)];
  });
  return wantValue(openLeft ? e.left : e.right, targets, w);
}

export function callValue(e: Extract<Expr, { type: 'call' }>, wants: readonly Want[], w: WantContext): Assignment[] {
  const name = e.name.toUpperCase();
  const [first, ...rest] = e.args;
  if (!first) return [];
  if (PASS_THROUGH.has(name)) return wantValue(first, folded(name, wants), w);
  switch (name) {
    case 'COALESCE':
      return cap(e.args.flatMap((a) => wantValue(a, wants, w)));
    case 'CONCAT': {
      const open = e.args.filter((a) => !literalOf(a));
      if (!open.length) return [];
      const lead = e.args.slice(0, e.args.indexOf(open[0]!)).map((a) => String(literalOf(a)?.v ?? '')).join('');
      const trail = e.args.slice(e.args.indexOf(open.at(-1)!) + 1).map((a) => String(literalOf(a)?.v ?? '')).join('');
      const strip = (x: Want): Want => (x.k === 'value' && typeof x.v === 'string' && x.v.startsWith(lead) && x.v.endsWith(trail) && x.v.length >= lead.length + trail.length ? value(x.v.slice(lead.length, x.v.length - trail.length)) : x);
      // The first open part carries the wanted text; the others only need a value.
      return cap(open.slice(1).reduce((acc, a) => combine(acc, wantValue(a, [value('')], w)), wantValue(open[0]!, wants.map(strip), w)));
    }
    case 'REPLACE': {
      // The text as wanted, or with a match of the pattern in front (REPLACE took it out).
      const re = literalOf(rest[0] ?? first)?.v;
      const removed = typeof re === 'string' ? regexSamples(re, w.seed).slice(0, 1) : [];
      return wantValue(first, wants.flatMap((x) => (x.k === 'value' && typeof x.v === 'string' ? [x, ...removed.map((r) => value(r + x.v))] : x.k === 'any' ? [x, ...removed.map(value)] : [x])), w);
    }
    case 'LOCATE': {
      // LOCATE(text, part) is the 1-based position of part: a wanted position n puts it after n - 1 characters.
      const part = rest[0] ? constantOf(rest[0], w) : undefined;
      if (typeof part !== 'string' || !part) return [];
      return wantValue(first, wants.flatMap((x): Want[] => (x.k === 'value' && typeof x.v === 'number' && x.v >= 1 && x.v <= MAX_TEXT ? [value('x'.repeat(Math.ceil(x.v) - 1) + part), { k: 'contains', v: part }] : [])), w);
    }
    case 'FROM_BASE64':
    case 'TO_BASE64': {
      // Base64 undone: the text whose encoding (or decoding) is the wanted value.
      const code = (t: string): string | undefined => (name === 'FROM_BASE64' ? Buffer.from(t, 'utf8').toString('base64') : /^[A-Za-z0-9+/]*={0,2}$/.test(t) ? Buffer.from(t, 'base64').toString('utf8') : undefined);
      return wantValue(first, wants.flatMap((x): Want[] => {
        const t = x.k === 'value' && typeof x.v === 'string' ? code(x.v) : x.k === 'contains' ? code(x.v) : undefined;
        return t !== undefined ? [value(t)] : x.k === 'any' ? [value(code('sample') ?? 'c2FtcGxl')] : [];
      }), w);
    }
    case 'JSON_EXTRACT': {
      // JSON_EXTRACT(_source, "$.a.b") reads the document's field a.b.
      const path = literalOf(rest[0] ?? first)?.v;
      const whole = first.type === 'field' && first.name === '_source';
      return whole && typeof path === 'string' ? wantValue({ type: 'field', name: path.replace(/^\$\.?/, ''), start: e.start, end: e.end }, wants, w) : [];
    }
    case 'SUBSTRING': {
      const start = literalOf(rest[0] ?? first)?.v;
      if (typeof start === 'number' && start > MAX_TEXT) return [];
      const pad = typeof start === 'number' && start > 1 ? 'x'.repeat(start - 1) : '';
      return wantValue(first, wants.map((x) => (x.k === 'value' && typeof x.v === 'string' ? value(pad + x.v) : x)), w);
    }
    case 'LENGTH':
      return wantValue(first, wants.flatMap((x): Want[] => (x.k === 'value' && typeof x.v === 'number' && x.v >= 0 && x.v <= MAX_TEXT ? [{ k: 'length', n: Math.ceil(x.v) }] : x.k === 'any' ? [x] : [])), w);
    case 'MV_COUNT':
      return wantValue(first, wants.flatMap((x): Want[] => (x.k === 'value' && typeof x.v === 'number' && x.v >= 1 && x.v <= MAX_VALUES ? [{ k: 'count', n: Math.ceil(x.v) }] : x.k === 'any' ? [x] : [])), w);
    case 'CASE': {
      const out: Assignment[] = [];
      for (let i = 0; i + 1 < e.args.length; i += 2) out.push(...combine(wantsTrue(e.args[i]!, w), wantValue(e.args[i + 1]!, wants, w)));
      if (e.args.length % 2 === 1) out.push(...wantValue(e.args.at(-1)!, wants, w));
      return cap(out);
    }
    default:
      return [];
  }
}
