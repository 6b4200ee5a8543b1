import { familyOf, type IndexMapping, type TypeFamily } from '../../mapping/index.ts';
import type { Expr, Query } from './ast.ts';

/**
 * Lint of an EQL query against the index mapping: the shapes whose meaning
 * typing changes (docs/typing.md). Elasticsearch's EQL verifier rejects a
 * string match on a field that is not a string type — `:` / `like` /
 * `regex` with a pattern, or a string compared with a number field — so
 * such a rule never runs there, while this engine would read the value's
 * text; `lint` names each one.
 * - `eql/pattern-on-non-string`: a wildcard / like / regex on an ip, number, date or boolean field;
 * - `eql/string-on-number`: a number field compared with a string that is not a number.
 */
export interface EqlTypeLint {
  readonly code: 'eql/pattern-on-non-string' | 'eql/string-on-number';
  readonly message: string;
  /** Where the offending expression starts in the query text. */
  readonly offset: number;
}

const NON_STRING: ReadonlySet<TypeFamily> = new Set(['ip', 'integer', 'decimal', 'date', 'boolean']);
const NUMERIC = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/** Every finding of `q` under `mapping`, in source order. */
export function lintEqlTypes(q: Query, mapping: IndexMapping): EqlTypeLint[] {
  const out: EqlTypeLint[] = [];
  const family = (e: Expr): [string, TypeFamily] | undefined => {
    if (e.k !== 'field') return undefined;
    const f = mapping.field(e.name);
    return f ? [e.name, familyOf(f.mapping.type)] : undefined;
  };
  const patternOn = (l: Expr, pos: number, what: string): void => {
    const t = family(l);
    if (t && NON_STRING.has(t[1])) out.push({ code: 'eql/pattern-on-non-string', message: `${what} on '${t[0]}', a field of type ${t[1]}: Elasticsearch rejects the query (a string match needs a keyword or text field)`, offset: pos });
  };
  const stringOnNumber = (l: Expr, r: Expr, pos: number): void => {
    const t = family(l);
    if (t && (t[1] === 'integer' || t[1] === 'decimal') && r.k === 'lit' && typeof r.value === 'string' && !NUMERIC.test(r.value)) {
      out.push({ code: 'eql/string-on-number', message: `'${t[0]}' is a ${t[1]} field compared with the string ${JSON.stringify(r.value)}: Elasticsearch rejects the comparison`, offset: pos });
    }
  };
  const walk = (e: Expr): void => {
    switch (e.k) {
      case 'lit':
      case 'field':
        return;
      case 'call':
        return e.args.forEach(walk);
      case 'not':
      case 'neg':
        return walk(e.e);
      case 'and':
      case 'or':
        return e.items.forEach(walk);
      case 'arith':
        walk(e.l);
        return walk(e.r);
      case 'cmp':
        stringOnNumber(e.l, e.r, e.pos);
        stringOnNumber(e.r, e.l, e.pos);
        return;
      case 'seq':
        if (e.r.some((x) => x.k === 'lit' && typeof x.value === 'string' && /[*?]/.test(x.value))) patternOn(e.l, e.pos, 'a wildcard');
        e.r.forEach((x) => stringOnNumber(e.l, x, e.pos));
        return;
      case 'in':
        e.list.forEach((x) => stringOnNumber(e.l, x, e.pos));
        return;
      case 'like':
      case 'regex':
        return patternOn(e.l, e.pos, e.k);
    }
  };
  const stages = q.kind === 'event' ? [q.filter] : [...q.stages.map((s) => s.filter), ...(q.kind === 'sequence' && q.until ? [q.until.filter] : [])];
  for (const f of stages) walk(f.condition);
  return out.sort((a, b) => a.offset - b.offset);
}
