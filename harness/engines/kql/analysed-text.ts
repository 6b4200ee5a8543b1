import { normalizePattern, text, type Pattern, type PatternToken } from '../common/pattern.ts';
import { compilePattern, type StringMatcher } from '../common/pattern-matcher.ts';

/**
 * Analysed-text approximation (kql.md §9), for `message`, `*.text`
 * multi-fields and schema-declared text fields. Elasticsearch runs the
 * standard analyzer (Unicode word segmentation, lower-casing); we approximate
 * it, which is good enough for detection rules:
 * - tokens are maximal runs of letters, digits and `_`, where `.` and `'`
 *   *between* two letters/digits stay inside the token (`cmd.exe`, `10.0.0.1`,
 *   `o'brien`); every token is lower-cased;
 * - an unquoted value matches if **any** of its tokens is a document token
 *   (match query, default OR operator);
 * - a quoted value matches if its tokens occur **consecutively, in order**
 *   (match_phrase);
 * - a wildcard value is split on whitespace and each part, lower-cased, is a
 *   glob over single tokens (query_string); it never spans tokens;
 * - a value with no tokens (`""`, `"--"`) matches nothing.
 * Known differences from the real analyzer: no stop words or stemming (none by
 * default either), no special rules for e-mail addresses/URLs, and digits with
 * a comma (`1,000`) split.
 */
const TOKEN = /[\p{L}\p{M}\p{N}_]+(?:(?<=[\p{L}\p{M}\p{N}])[.'](?=[\p{L}\p{M}\p{N}])[\p{L}\p{M}\p{N}_]+)*/gu;

/** Lower-cased tokens of a text, in order. */
export function analyse(s: string): string[] {
  const m = s.match(TOKEN);
  return m === null ? [] : m.map((t) => t.toLowerCase());
}

/** A test over a field's text (already stringified). */
export type TextTest = (value: string) => boolean;

const never: TextTest = () => false;

/** `match`: any query token among the document tokens. */
export function anyTokenTest(query: string): TextTest {
  const wanted = new Set(analyse(query));
  if (wanted.size === 0) return never;
  return (v) => {
    for (const t of analyse(v)) if (wanted.has(t)) return true;
    return false;
  };
}

/**
 * `match_phrase`: the query tokens consecutively, in order; with `slop` > 0, Lucene's sloppy
 * phrase: each query token i at a distinct document position p_i, and the offsets p_i - i
 * spread over at most `slop` (so swapping two adjacent words costs 2).
 */
export function phraseTest(query: string, slop = 0): TextTest {
  const want = analyse(query);
  if (want.length === 0) return never;
  if (slop > 0) return (v) => sloppyMatch(want, analyse(v), slop);
  return (v) => {
    const doc = analyse(v);
    outer: for (let i = 0; i + want.length <= doc.length; i++) {
      for (let j = 0; j < want.length; j++) if (doc[i + j] !== want[j]) continue outer;
      return true;
    }
    return false;
  };
}

function sloppyMatch(want: readonly string[], doc: readonly string[], slop: number): boolean {
  const positions = want.map((w) => doc.flatMap((t, p) => (t === w ? [p] : [])));
  if (positions.some((ps) => ps.length === 0)) return false;
  if (new Set(want).size === want.length) return narrowestCover(positions) <= slop;
  // A repeated word needs distinct positions: depth-first over one position per query token,
  // pruned as soon as the offsets spread too far (phrases come from rules, and are short).
  const used = new Set<number>();
  const choose = (i: number, lo: number, hi: number): boolean => {
    if (i === want.length) return true;
    for (const p of positions[i]!) {
      const d = p - i;
      const nlo = Math.min(lo, d);
      const nhi = Math.max(hi, d);
      if (nhi - nlo > slop || used.has(p)) continue;
      used.add(p);
      const ok = choose(i + 1, nlo, nhi);
      used.delete(p);
      if (ok) return true;
    }
    return false;
  };
  return choose(0, Infinity, -Infinity);
}

/**
 * Distinct query tokens (never at one position): the narrowest spread of offsets p - i that
 * has one for every token, by a sliding window over all offsets in order.
 */
function narrowestCover(positions: readonly (readonly number[])[]): number {
  const offsets = positions.flatMap((ps, i) => ps.map((p) => ({ d: p - i, i }))).sort((a, b) => a.d - b.d);
  const count = new Array<number>(positions.length).fill(0);
  let covered = 0;
  let best = Infinity;
  for (let lo = 0, hi = 0; hi < offsets.length; hi++) {
    if (count[offsets[hi]!.i]!++ === 0) covered++;
    while (covered === positions.length) {
      best = Math.min(best, offsets[hi]!.d - offsets[lo]!.d);
      if (--count[offsets[lo]!.i]! === 0) covered--;
      lo++;
    }
  }
  return best;
}

/** Split a pattern on whitespace inside its text tokens: the query_string parts. */
export function splitPatternOnSpace(pattern: Pattern): Pattern[] {
  const parts: PatternToken[][] = [[]];
  for (const t of pattern) {
    if (t.kind !== 'text') {
      parts[parts.length - 1]!.push(t);
      continue;
    }
    const pieces = t.text.split(/\s+/);
    pieces.forEach((p, i) => {
      if (i > 0) parts.push([]);
      if (p) parts[parts.length - 1]!.push(text(p));
    });
  }
  return parts.filter((p) => p.length > 0).map(normalizePattern);
}

/** query_string wildcard on a text field: any part (a glob, case-folded) matches any single token. */
export function tokenGlobTest(pattern: Pattern): TextTest {
  const globs: StringMatcher[] = splitPatternOnSpace(pattern).map((p) => compilePattern(p, 'insensitive'));
  if (globs.length === 0) return never;
  return (v) => {
    for (const t of analyse(v)) for (const g of globs) if (g(t)) return true;
    return false;
  };
}

/** The query tokens of a value, for constraints(): a witness value per token. */
export function witnessTokens(query: string): Pattern[] {
  return analyse(query).map((t) => [text(t)]);
}

