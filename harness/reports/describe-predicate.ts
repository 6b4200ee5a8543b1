/**
 * Predicate leaves as (field, operator, value) — the words the indicator table
 * and unlabelled branches are written in. A wildcard pattern's shape names its
 * operator (`*x*` contains, `x*` startswith, …), as Sigma's modifiers do.
 */
import { hasWildcards, literalOf, printPattern, type Pattern } from '../engines/common/pattern.ts';
import { assertNever, type Leaf, type Predicate } from '../engines/common/predicate.ts';

export interface LeafTerm {
  readonly field: string | null;
  readonly operator: string;
  readonly value: string;
  /** The value as compared (lower-cased where the leaf ignores case), for corpus counts. */
  readonly key: string;
}

function patternTerm(p: Pattern): { operator: string; value: string } {
  const literal = literalOf(p);
  if (literal !== undefined) return { operator: 'equals', value: literal };
  const inner = p.slice(p[0]?.kind === 'star' ? 1 : 0, p[p.length - 1]?.kind === 'star' ? -1 : undefined);
  const text = hasWildcards(inner) ? undefined : literalOf(inner);
  const starts = p[0]?.kind === 'star';
  const ends = p[p.length - 1]?.kind === 'star';
  if (text === undefined || p.length < 2) return { operator: 'wildcard', value: printPattern(p) };
  if (starts && ends) return { operator: 'contains', value: text };
  return starts ? { operator: 'endswith', value: text } : { operator: 'startswith', value: text };
}

export function leafTerm(leaf: Leaf): LeafTerm {
  const term = (field: string | null, operator: string, value: string, key = value): LeafTerm => ({ field, operator, value, key });
  switch (leaf.kind) {
    case 'match': {
      const t = patternTerm(leaf.pattern);
      return term(leaf.field, t.operator, t.value, leaf.mode === 'insensitive' ? t.value.toLowerCase() : t.value);
    }
    case 'regex':
      return term(leaf.field, 'regex', leaf.flags ? `/${leaf.source}/${leaf.flags}` : leaf.source);
    case 'cidr':
      return term(leaf.field, 'cidr', leaf.network);
    case 'range':
      return term(leaf.field, leaf.op, String(leaf.value));
    case 'equals':
      return term(leaf.field, 'equals', String(leaf.value));
    case 'exists':
      return term(leaf.field, 'exists', '');
    case 'null':
      return term(leaf.field, 'null', '');
    case 'fieldref':
      return term(leaf.field, `fieldref ${leaf.position}`, leaf.other);
    case 'opaque':
      return term(leaf.field, 'opaque', leaf.description);
    default:
      return assertNever(leaf);
  }
}

const MAX = 80;
const clip = (s: string): string => (s.length > MAX ? `${s.slice(0, MAX - 1)}…` : s);

/** A one-line description of a predicate node, for branches that carry no label. */
export function describePredicate(p: Predicate): string {
  switch (p.kind) {
    case 'and':
    case 'or':
      return clip(`${p.kind === 'and' ? 'all of' : 'any of'} (${p.children.map(describePredicate).join(', ')})`);
    case 'not':
      return clip(`not ${describePredicate(p.child)}`);
    case 'const':
      return String(p.value);
    default: {
      const t = leafTerm(p);
      return clip(`${t.field ?? '*'} ${t.operator}${t.value ? ` ${JSON.stringify(t.value)}` : ''}`);
    }
  }
}

/** Children of a node in evaluation order (a `not` has one). */
export function childrenOf(p: Predicate): readonly Predicate[] {
  if (p.kind === 'and' || p.kind === 'or') return p.children;
  if (p.kind === 'not') return [p.child];
  return [];
}
