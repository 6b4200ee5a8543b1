/**
 * Indicators, as on the catalog page the seed rule came from: every
 * (field, operator, values) a rule matches, with a corpus column — how many
 * other loaded rules look for the same combination. Common values (a
 * `powershell.exe` image) show up with large counts; a rule's unique
 * indicators with zero.
 */
import type { Predicate } from '../engines/common/predicate.ts';
import { childrenOf, leafTerm, type LeafTerm } from './describe-predicate.ts';
import type { Indicator } from './model.ts';

export interface IndicatorLeaf extends LeafTerm {
  readonly negated: boolean;
}

/** Every leaf of a rule's logic (and of its aggregate steps), with whether a `not` encloses it. */
export function indicatorLeaves(logic: Predicate): IndicatorLeaf[] {
  const out: IndicatorLeaf[] = [];
  const walk = (p: Predicate, negated: boolean): void => {
    if (p.kind === 'not') return walk(p.child, !negated);
    if (p.kind === 'and' || p.kind === 'or') return childrenOf(p).forEach((c) => walk(c, negated));
    if (p.kind === 'const') return;
    out.push({ ...leafTerm(p), negated });
  };
  walk(logic, false);
  return out;
}

const comboKey = (l: { field: string | null; operator: string; key: string }): string => `${(l.field ?? '*').toLowerCase()}\u0000${l.operator}\u0000${l.key}`;

/** (field, operator, value) → the rules that match it. */
export type CorpusIndex = ReadonlyMap<string, ReadonlySet<string>>;

export function buildCorpusIndex(leavesByRule: ReadonlyMap<string, readonly IndicatorLeaf[]>): CorpusIndex {
  const index = new Map<string, Set<string>>();
  for (const [rule, leaves] of leavesByRule) {
    for (const l of leaves) {
      const k = comboKey(l);
      const set = index.get(k) ?? new Set<string>();
      set.add(rule);
      index.set(k, set);
    }
  }
  return index;
}

const others = (set: ReadonlySet<string> | undefined, self: string): number => (set ? set.size - (set.has(self) ? 1 : 0) : 0);

/**
 * A rule's indicator table: leaves grouped by (field, operator, negated), values in rule order.
 * @example indicatorTable('r1', indicatorLeaves(logic), buildCorpusIndex(allLeaves))
 */
export function indicatorTable(rule: string, leaves: readonly IndicatorLeaf[], corpus: CorpusIndex): Indicator[] {
  const groups = new Map<string, { field: string | null; operator: string; negated: boolean; leaves: IndicatorLeaf[] }>();
  for (const l of leaves) {
    const g = `${l.field ?? '*'}\u0000${l.operator}\u0000${l.negated}`;
    const group = groups.get(g) ?? { field: l.field, operator: l.operator, negated: l.negated, leaves: [] };
    if (!group.leaves.some((x) => x.key === l.key)) group.leaves.push(l);
    groups.set(g, group);
  }
  return [...groups.values()].map((g) => {
    const sharing = new Set<string>();
    for (const l of g.leaves) for (const r of corpus.get(comboKey(l)) ?? []) if (r !== rule) sharing.add(r);
    return {
      field: g.field,
      operator: g.operator,
      negated: g.negated,
      values: g.leaves.map((l) => ({ value: l.value, corpus: others(corpus.get(comboKey(l)), rule) })),
      corpus: sharing.size,
    };
  });
}
