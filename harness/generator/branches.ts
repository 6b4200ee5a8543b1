import type { Predicate } from '../engines/common/predicate.ts';
import { nameOf } from './names.ts';

/**
 * The top-level branches of a rule's logic: the alternatives of the `or`s met
 * on the way down through `and`s from the root, before entering a labelled
 * node (a Sigma selection, a Kibana filter: an `or` inside one is a value
 * list, not a branch of the rule). Every alternative appears in at least one
 * branch; alternatives of different `or`s are paired up (not multiplied), so
 * the count stays the largest alternative count, capped.
 */
export interface Branch {
  readonly predicate: Predicate;
  /** What the branch is, in the rule's own words where it has labels. */
  readonly label: string;
}

const MAX_BRANCHES = 24;

function labelOf(p: Predicate): string {
  return nameOf(p);
}

function expand(p: Predicate, root: boolean): Branch[] {
  const inside = p.label !== undefined && !(root && /^condition/i.test(p.label));
  if (p.kind === 'or' && !inside) {
    const out = p.children.flatMap((c) => expand(c, false));
    return out.slice(0, MAX_BRANCHES);
  }
  if (p.kind === 'and' && !inside) {
    const parts = p.children.map((c) => expand(c, false));
    const n = Math.min(MAX_BRANCHES, Math.max(1, ...parts.map((x) => x.length)));
    const out: Branch[] = [];
    for (let i = 0; i < n; i++) {
      const chosen = parts.map((alts) => alts[i % alts.length]!);
      const alternatives = chosen.filter((b, j) => parts[j]!.length > 1).map((b) => b.label);
      out.push({
        predicate: { kind: 'and', children: chosen.map((b) => b.predicate) },
        label: alternatives.length ? alternatives.join(' + ') : labelOf(p),
      });
    }
    return out;
  }
  return [{ predicate: p, label: labelOf(p) }];
}

export function topBranches(logic: Predicate): Branch[] {
  return expand(logic, true);
}
