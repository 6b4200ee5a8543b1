import type { FieldName, QueryNode } from './query-ast.ts';
import { numericLiteral, parseNetworkLenient } from './value-tests.ts';

/**
 * Lint of a KQL / Lucene query tree against declared field types: what
 * Elasticsearch would refuse at search time, and this engine evaluates
 * leniently instead (kql.md §4, §10), so the author hears of it:
 * - `kql/wildcard-on-ip`: a wildcard value on an `ip` field (the search
 *   fails in Elasticsearch: the term matches nothing here);
 * - `kql/non-numeric-value`: a value that is not a number against a numeric
 *   field, as a term or a range bound (an ES error: matches nothing here);
 * - `kql/cidr-on-keyword`: a CIDR block against a keyword field: the mapping
 *   makes it the text `a.b.c.d/n`, not a network (without a mapping the
 *   engine matched it as a network);
 * - `kql/numeric-range-on-keyword`: a numeric range bound on a keyword field
 *   compares text (`"999" > "1000"`), not numbers.
 * Only declared types count: without a mapping nothing is known of a field.
 * These are the rules whose meaning changed when evaluation became typed.
 */
export type LintType = 'ip' | 'number' | 'keyword';

/** Declared types: a map of dotted names, or a lookup (an index mapping). */
export type LintTypes = Readonly<Record<string, LintType>> | ((name: string) => LintType | undefined);

export interface QueryLint {
  readonly code: 'kql/wildcard-on-ip' | 'kql/non-numeric-value' | 'kql/cidr-on-keyword' | 'kql/numeric-range-on-keyword';
  readonly message: string;
  /** The offending node's source text (whitespace collapsed). */
  readonly label: string;
  /** Where the node starts in the query text. */
  readonly offset: number;
}

const isNumeric = (text: string): boolean => numericLiteral(text) !== undefined;

/** Every lint finding of `query`, in source order; `types` maps dotted field names to their declared type. */
export function lintQuery(query: QueryNode, types: LintTypes): QueryLint[] {
  const out: QueryLint[] = [];
  const lookup = typeof types === 'function' ? types : (name: string) => types[name];
  const typeOf = (f: FieldName | null, prefix: string): LintType | undefined => (f === null || f.glob ? undefined : lookup(prefix + f.name));
  const walk = (n: QueryNode, prefix: string): void => {
    switch (n.kind) {
      case 'and':
      case 'or':
        for (const c of n.children) walk(c, prefix);
        return;
      case 'not':
        return walk(n.child, prefix);
      case 'nested':
        return walk(n.query, `${prefix}${n.path}.`);
      case 'term': {
        const type = typeOf(n.field, prefix);
        if (type === 'ip' && n.value.kind === 'pattern') {
          out.push({ code: 'kql/wildcard-on-ip', message: `'${n.label}': a wildcard on the ip field '${prefix}${n.field!.name}' is an Elasticsearch error (the search fails): it matches nothing`, label: n.label, offset: n.offset });
        } else if (type === 'keyword' && n.value.kind === 'literal' && n.value.text.includes('/') && parseNetworkLenient(n.value.text)) {
          out.push({ code: 'kql/cidr-on-keyword', message: `'${n.label}': '${prefix}${n.field!.name}' is a keyword field, so '${n.value.text}' is matched as text, not as a network`, label: n.label, offset: n.offset });
        } else if (type === 'number' && (n.value.kind === 'pattern' || !isNumeric(n.value.text))) {
          out.push({ code: 'kql/non-numeric-value', message: `'${n.label}': '${prefix}${n.field!.name}' is numeric and the value is not a number: an Elasticsearch error`, label: n.label, offset: n.offset });
        }
        return;
      }
      case 'range':
        if (typeOf(n.field, prefix) === 'number' && !isNumeric(n.value)) {
          out.push({ code: 'kql/non-numeric-value', message: `'${n.label}': '${prefix}${n.field.name}' is numeric and the bound is not a number: an Elasticsearch error`, label: n.label, offset: n.offset });
        } else if (typeOf(n.field, prefix) === 'keyword' && isNumeric(n.value)) {
          out.push({ code: 'kql/numeric-range-on-keyword', message: `'${n.label}': '${prefix}${n.field.name}' is a keyword field, so the range compares text ("999" > "1000"), not numbers`, label: n.label, offset: n.offset });
        }
        return;
      default:
        return;
    }
  };
  walk(query, '');
  return out;
}
