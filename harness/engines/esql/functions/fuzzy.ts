import { analyse } from '../../kql/analysed-text.ts';

/**
 * MATCH's fuzzy options, as Elasticsearch's match query applies them: each
 * query term (a keyword field's whole value; a text field's analysed tokens)
 * matches a document term within `fuzziness` edits — insertions, deletions,
 * substitutions and, with `fuzzy_transpositions` (default true), swaps of two
 * adjacent characters — counted over code points, the first `prefix_length`
 * characters unchanged. `AUTO` (AUTO:3,6) allows 0 edits for terms of 1–2
 * characters, 1 for 3–5, 2 from 6. `max_expansions` caps how many index terms
 * a fuzzy term expands to, which depends on the whole index: not modelled.
 */
export interface FuzzyOptions {
  /** A number of edits (0–2) or AUTO, with optional low/high bounds. */
  readonly fuzziness: number | { readonly low: number; readonly high: number };
  readonly transpositions: boolean;
  readonly prefixLength: number;
  /** Text fields: every query token must match (`operator: "AND"`), else any. */
  readonly all: boolean;
}

/** The edits allowed for a term under `fuzziness`. */
export function allowedEdits(f: FuzzyOptions['fuzziness'], term: string): number {
  if (typeof f === 'number') return Math.min(2, Math.max(0, Math.floor(f)));
  const n = [...term].length;
  return n < f.low ? 0 : n < f.high ? 1 : 2;
}

/** Parse `fuzziness` as given: 0, 1, 2, "1", "AUTO", "AUTO:3,6"; undefined when it is none of these. */
export function parseFuzziness(v: unknown): FuzzyOptions['fuzziness'] | undefined {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return Math.min(v, 2);
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if (/^\d+$/.test(s)) return Math.min(Number(s), 2);
  const m = /^AUTO(?::(\d+),(\d+))?$/i.exec(s);
  if (!m) return undefined;
  return { low: m[1] ? Number(m[1]) : 3, high: m[2] ? Number(m[2]) : 6 };
}

/** Optimal-string-alignment distance (Damerau–Levenshtein without re-edits), capped: returns max + 1 once it exceeds `max`. */
export function editDistance(a: readonly string[], b: readonly string[], transpositions: boolean, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (transpositions && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (prev2[j - 2] as number) + 1);
      cur.push(d);
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length] as number;
}

function termMatches(query: string, doc: string, o: FuzzyOptions): boolean {
  const q = [...query];
  const d = [...doc];
  if (o.prefixLength > 0 && q.slice(0, o.prefixLength).join('') !== d.slice(0, o.prefixLength).join('')) return false;
  const max = allowedEdits(o.fuzziness, query);
  return editDistance(q, d, o.transpositions, max) <= max;
}

/** A keyword value: the whole value is the one term. */
export function fuzzyKeywordTest(query: string, o: FuzzyOptions): (value: string) => boolean {
  return (v) => termMatches(query, v, o);
}

/** A text value: analysed tokens on both sides; any (or, with `all`, every) query token matches some document token. */
export function fuzzyTextTest(query: string, o: FuzzyOptions): (value: string) => boolean {
  const wanted = [...new Set(analyse(query))];
  if (wanted.length === 0) return () => false;
  return (v) => {
    const tokens = analyse(v);
    const hit = (w: string): boolean => tokens.some((t) => termMatches(w, t, o));
    return o.all ? wanted.every(hit) : wanted.some(hit);
  };
}
