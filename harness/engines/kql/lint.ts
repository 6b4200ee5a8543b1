import type { FieldName, QueryNode } from './query-ast.ts';
import { numericLiteral } from './value-tests.ts';

/**
 * Lint of a KQL / Lucene query tree against declared field types: what
 * Elasticsearch would refuse at search time, and this engine evaluates
 * leniently instead (kql.md §4, §10), so the author hears of it:
 * - `kql/wildcard-on-ip`: a wildcard value on an `ip` field (an ES error;
 *   evaluated here on the IP's text);
 * - `kql/non-numeric-value`: a value that is not a number against a numeric
 *   field, as a term or a range bound (an ES error; here the value is
 *   compared by the event value's own type).
 * Only declared types count: without a mapping nothing is known of a field.
 */
export type LintType = 'ip' | 'number';

export interface QueryLint {
  readonly code: 'kql/wildcard-on-ip' | 'kql/non-numeric-value';
  readonly message: string;
  /** The offending node's source text (whitespace collapsed). */
  readonly label: string;
  /** Where the node starts in the query text. */
  readonly offset: number;
}

const isNumeric = (text: string): boolean => numericLiteral(text) !== undefined;

/** Every lint finding of `query`, in source order; `types` maps dotted field names to their declared type. */
export function lintQuery(query: QueryNode, types: Readonly<Record<string, LintType>>): QueryLint[] {
  const out: QueryLint[] = [];
  const typeOf = (f: FieldName | null, prefix: string): LintType | undefined => (f === null || f.glob ? undefined : types[prefix + f.name]);
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
          out.push({ code: 'kql/wildcard-on-ip', message: `'${n.label}': a wildcard on the ip field '${prefix}${n.field!.name}' is an Elasticsearch error; evaluated here on the address text`, label: n.label, offset: n.offset });
        } else if (type === 'number' && (n.value.kind === 'pattern' || !isNumeric(n.value.text))) {
          out.push({ code: 'kql/non-numeric-value', message: `'${n.label}': '${prefix}${n.field!.name}' is numeric and the value is not a number: an Elasticsearch error`, label: n.label, offset: n.offset });
        }
        return;
      }
      case 'range':
        if (typeOf(n.field, prefix) === 'number' && !isNumeric(n.value)) {
          out.push({ code: 'kql/non-numeric-value', message: `'${n.label}': '${prefix}${n.field.name}' is numeric and the bound is not a number: an Elasticsearch error`, label: n.label, offset: n.offset });
        }
        return;
      default:
        return;
    }
  };
  walk(query, '');
  return out;
}
