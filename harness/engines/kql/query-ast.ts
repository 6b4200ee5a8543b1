import type { Pattern } from '../common/pattern.ts';

/**
 * The query tree both text languages lower to (KQL here, Lucene query-string in
 * ../lucene): one compiler (compile-query.ts) gives them the same field-value
 * semantics (kql.md §3–§10). Nodes are plain immutable data; `label` is the
 * node's source text, used by explain().
 */
export type RangeOp = 'gt' | 'gte' | 'lt' | 'lte';

/** A field name; `glob` when an unescaped `*` makes it a pattern over field paths (kql.md §5). */
export interface FieldName {
  readonly name: string;
  readonly glob: boolean;
}

export type TermValue =
  /** Plain value; `phrase` when quoted (match_phrase on analysed text, term otherwise). */
  | { readonly kind: 'literal'; readonly text: string; readonly phrase: boolean; /** Lucene `"…"~N`: positions the phrase's words may move on analysed text. */ readonly slop?: number }
  /** A value with wildcards (never a lone `*`, which parses to `exists`). */
  | { readonly kind: 'pattern'; readonly pattern: Pattern };

export type QueryNode =
  | { readonly kind: 'all'; readonly label: string }
  | { readonly kind: 'and'; readonly children: readonly QueryNode[]; readonly label: string }
  | { readonly kind: 'or'; readonly children: readonly QueryNode[]; readonly label: string }
  | { readonly kind: 'not'; readonly child: QueryNode; readonly label: string }
  /** `field: value`; field `null` is free text over every field. */
  /** `offset`: where the term (its field, if any) starts in the query text, for located warnings. */
  | { readonly kind: 'term'; readonly field: FieldName | null; readonly value: TermValue; readonly label: string; readonly offset: number }
  | { readonly kind: 'range'; readonly field: FieldName; readonly op: RangeOp; readonly value: string; readonly label: string; readonly offset: number }
  | { readonly kind: 'exists'; readonly field: FieldName; readonly label: string }
  /** `path:{ query }`: one element of `path` must satisfy the whole inner query (field names relative). */
  | { readonly kind: 'nested'; readonly path: string; readonly query: QueryNode; readonly label: string }
  /** Lucene `/regex/`, anchored to the whole value (or token, on analysed text). */
  | { readonly kind: 'regex'; readonly field: FieldName | null; readonly source: string; readonly label: string }
  /** Lucene `term~N`: edit distance at most `distance`. */
  | { readonly kind: 'fuzzy'; readonly field: FieldName | null; readonly text: string; readonly distance: number; readonly label: string };

const NON_SPACE = /\S+/g;

/**
 * Whitespace-collapsed, length-bounded source text for trace labels. Reads
 * only as far as the label needs: every `and`/`or` node of a long query
 * labels its whole span, so a full collapse per node made parsing quadratic.
 * @example labelOf('  a\n  and b ') // 'a and b'
 */
export function labelOf(source: string): string {
  let s = '';
  NON_SPACE.lastIndex = 0;
  for (let m = NON_SPACE.exec(source); m !== null; m = NON_SPACE.exec(source)) {
    s = s === '' ? m[0] : `${s} ${m[0]}`;
    if (s.length > 160) return `${s.slice(0, 157)}...`;
  }
  return s;
}
