import { type Pattern, printPattern, text as textToken } from '../../common/pattern.ts';
import type { Predicate } from '../../common/predicate.ts';
import { analyse, splitPatternOnSpace } from '../analysed-text.ts';
import { parseDateBound } from '../date-value.ts';
import type { Semantics } from '../field-semantics.ts';
import type { FieldName, TermValue } from '../query-ast.ts';
import { looksLikeIp, parseNetworkLenient, termTest } from '../value-tests.ts';
import { LeafSpec, fieldLeaf } from './field-leaf.ts';
import { type Ctx, Node } from './node.ts';

/** Term leaves (`field: value`) and what they ask of a field, as predicate leaves. */

// ---- term, exists, nested ----

export function compileTerm(field: FieldName | null, value: TermValue, label: string, ctx: Ctx): Node {
  return fieldLeaf(
    field,
    label,
    ctx,
    new LeafSpec(
      value.kind === 'pattern' ? 2 : looksLikeIp(value.text) && parseNetworkLenient(value.text) ? 3 : 1,
      (sem, typing) => termTest(value, sem, ctx.now, typing),
      () => (value.kind === 'pattern' ? `a value matching "${printPattern(value.pattern)}"` : JSON.stringify(value.text)),
      (f, sem) => termLogic(f, value, sem, ctx),
      value,
    ),
  );
}

/** What a term asks of its field, as predicate leaves the generator can satisfy (witness values). */
export function termLogic(field: string, value: TermValue, sem: Semantics, ctx: Ctx): Predicate {
  const pattern: Pattern = value.kind === 'pattern' ? value.pattern : [textToken(value.text)];
  switch (sem) {
    case 'caseless':
      return { kind: 'match', field, pattern, mode: 'insensitive' };
    case 'text': {
      const parts = value.kind === 'pattern' ? splitPatternOnSpace(value.pattern) : value.phrase ? (analyse(value.text).length ? [[textToken(analyse(value.text).join(' '))]] : []) : analyse(value.text).map((t) => [textToken(t)]);
      const leaves: Predicate[] = parts.map((p) => ({ kind: 'match', field, pattern: p, mode: 'insensitive' }));
      return leaves.length === 0 ? { kind: 'const', value: false } : leaves.length === 1 ? leaves[0]! : { kind: 'or', children: leaves };
    }
    case 'date': {
      const lo = value.kind === 'literal' ? isoBound(value.text, false, ctx.now) : undefined;
      const hi = value.kind === 'literal' ? isoBound(value.text, true, ctx.now) : undefined;
      if (lo === undefined || hi === undefined) return { kind: 'const', value: false };
      return { kind: 'and', children: [{ kind: 'range', field, op: 'gte', value: lo }, { kind: 'range', field, op: 'lte', value: hi }] };
    }
    default:
      if (value.kind === 'literal' && value.text.includes('/') && parseNetworkLenient(value.text)) return { kind: 'cidr', field, network: value.text };
      return { kind: 'match', field, pattern, mode: 'sensitive' };
  }
}

export function isoBound(text: string, roundUp: boolean, now: number): string | undefined {
  const t = parseDateBound(text, roundUp, now);
  return t === undefined ? undefined : new Date(t).toISOString();
}
