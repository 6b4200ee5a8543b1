import type { Expr } from './ast.ts';
import type { ExprCompiler } from './compile-expr.ts';

/**
 * Necessary conditions for a query's index (eql-set.ts), derived at compile
 * time: a disjunction of keyed leaves, at least one of which holds whenever
 * the condition (as a two-valued filter) is true. A keyed leaf on field F with
 * keys K holds when F's value is not a string or, lower-cased, is in K
 * (`ExprCompiler.keyedLeaf`).
 *
 * - a keyed leaf requires itself;
 * - `a and b` requires whatever `a` requires, or whatever `b` requires (the
 *   cheaper is kept);
 * - `a or b` requires the union of both requirements (only if both have one);
 * - `not`, functions, ranges, patterns, … require nothing we can index.
 */
export interface Requirement {
  /** Lower-cased keys per field; the condition needs one of them on some field. */
  readonly byField: ReadonlyMap<string, ReadonlySet<string>>;
}

/**
 * ECS categorization fields take a handful of values each (event.type is
 * "start" in most process events), so as index keys they select little. A
 * requirement on them is kept only when nothing else is indexable.
 */
const BROAD = new Set(['event.kind', 'event.type', 'event.outcome', 'host.os.type', 'host.os.family', 'host.os.platform']);

/** Rough cost of checking a requirement per event: fields to read, broad fields heavily, a little per key. */
export function requirementCost(r: Requirement, cheapFields: ReadonlySet<string>): number {
  let cost = 0;
  for (const [field, keys] of r.byField) cost += (cheapFields.has(field) ? 0.1 : BROAD.has(field) ? 10 : 1) + keys.size * 0.001;
  return cost;
}

function union(rs: readonly Requirement[]): Requirement {
  const byField = new Map<string, Set<string>>();
  for (const r of rs) {
    for (const [f, keys] of r.byField) {
      let s = byField.get(f);
      if (!s) byField.set(f, (s = new Set()));
      for (const k of keys) s.add(k);
    }
  }
  return { byField };
}

/** What `e` requires, or undefined when nothing indexable is necessary. */
export function requirementOf(c: ExprCompiler, e: Expr, cheapFields: ReadonlySet<string>): Requirement | undefined {
  switch (e.k) {
    case 'and': {
      let best: Requirement | undefined;
      let bestCost = Infinity;
      for (const x of e.items) {
        const r = requirementOf(c, x, cheapFields);
        if (!r) continue;
        const cost = requirementCost(r, cheapFields);
        if (cost < bestCost) [best, bestCost] = [r, cost];
      }
      return best;
    }
    case 'or': {
      const rs: Requirement[] = [];
      for (const x of e.items) {
        const r = requirementOf(c, x, cheapFields);
        if (!r) return undefined;
        rs.push(r);
      }
      return union(rs);
    }
    default: {
      const leaf = c.keyedLeaf(e);
      return leaf ? { byField: new Map([[leaf.field, new Set(leaf.keys)]]) } : undefined;
    }
  }
}
