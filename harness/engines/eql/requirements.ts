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
 * "start" in most process events), so they select little: as index keys and
 * as the first test of a conjunction they come last.
 */
const BROAD = new Set(['event.kind', 'event.type', 'event.outcome', 'host.os.type', 'host.os.family', 'host.os.platform']);

/** The per-event cost of reading a field for the index (lower when shared with other queries or already read). */
export type FieldWeight = (field: string) => number;

export function isBroadField(field: string): boolean {
  return BROAD.has(field);
}

/**
 * Expected per-event cost of indexing on `r`: reading its fields, plus, for
 * the events it lets through, running the condition (guessed pass rates: a
 * literal on a broad field passes half the events, one on another field few).
 */
function requirementCost(r: Requirement, weight: FieldWeight): number {
  const CONDITION = 2;
  let read = 0;
  let miss = 1;
  for (const [field, keys] of r.byField) {
    read += weight(field);
    miss *= 1 - (isBroadField(field) ? 0.5 : Math.min(0.05 + 0.01 * keys.size, 0.3));
  }
  return read + (1 - miss) * CONDITION;
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

/** What `e` requires (the cheapest choice under `weight`), or undefined when nothing indexable is necessary. */
export function requirementOf(c: ExprCompiler, e: Expr, weight: FieldWeight): Requirement | undefined {
  switch (e.k) {
    case 'and': {
      let best: Requirement | undefined;
      let bestCost = Infinity;
      for (const x of e.items) {
        const r = requirementOf(c, x, weight);
        if (!r) continue;
        const cost = requirementCost(r, weight);
        if (cost < bestCost) [best, bestCost] = [r, cost];
      }
      return best;
    }
    case 'or': {
      const rs: Requirement[] = [];
      for (const x of e.items) {
        const r = requirementOf(c, x, weight);
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

/** Every field `e` has a keyed leaf on, outside `not` (the fields its requirement could use). */
export function keyableFields(c: ExprCompiler, e: Expr, out = new Set<string>()): Set<string> {
  if (e.k === 'and' || e.k === 'or') for (const x of e.items) keyableFields(c, x, out);
  else {
    const leaf = c.keyedLeaf(e);
    if (leaf) out.add(leaf.field);
  }
  return out;
}
