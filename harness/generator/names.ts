import type { Predicate } from '../engines/common/predicate.ts';
import { describePredicate } from '../reports/describe-predicate.ts';

/**
 * A short name for a predicate node in the rule's own words: its label (a
 * Sigma selection, a Kibana filter); an and / or of labelled nodes as
 * `a or b`; else the generic one-line description.
 */
export function nameOf(p: Predicate, max = 160): string {
  const clip = (s: string) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
  if (p.label !== undefined) return p.label;
  if (p.kind === 'not') return clip(`not ${bracket(p.child, max)}`);
  if ((p.kind === 'and' || p.kind === 'or') && p.children.length > 0 && p.children.every((c) => c.label !== undefined || c.kind === 'not')) {
    return clip(p.children.map((c) => bracket(c, max)).join(` ${p.kind} `));
  }
  return describePredicate(p);
}

function bracket(p: Predicate, max: number): string {
  const n = nameOf(p, max);
  return p.label === undefined && (p.kind === 'and' || p.kind === 'or') && / (and|or) /.test(n) ? `(${n})` : n;
}
