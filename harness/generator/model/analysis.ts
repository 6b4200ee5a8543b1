import type { Constraints } from '../../core/detector.ts';
import type { Leaf, Predicate } from '../../engines/common/predicate.ts';

/**
 * What a constraint tree says about fields, for deciding which transformations
 * are safe: which fields the logic reads, which it reads under a negation, and
 * whether some leaf reads the whole event (keyword search, an opaque leaf
 * without a field) so that no field can be called irrelevant.
 */
export interface LeafUse {
  readonly leaf: Leaf;
  /** Under an odd number of `not`s. */
  readonly negated: boolean;
}

export function leafUses(p: Predicate, negated = false, out: LeafUse[] = []): LeafUse[] {
  switch (p.kind) {
    case 'and':
    case 'or':
      for (const c of p.children) leafUses(c, negated, out);
      return out;
    case 'not':
      return leafUses(p.child, !negated, out);
    case 'const':
      return out;
    default:
      out.push({ leaf: p, negated });
      return out;
  }
}

/** Every predicate a rule's constraints hold: the single-event logic and each aggregate step's, recursively. */
export function allPredicates(c: Constraints): Predicate[] {
  const out: Predicate[] = [c.logic];
  for (const s of c.aggregate?.steps ?? []) out.push(...allPredicates(s));
  return out;
}

export interface FieldFacts {
  /** Fields any leaf reads (both sides of a fieldref). */
  readonly mentioned: ReadonlySet<string>;
  /** Fields read by a leaf under a negation. */
  readonly negated: ReadonlySet<string>;
  /** Fields read by an opaque leaf or a fieldref: the model cannot judge changes to them. */
  readonly opaque: ReadonlySet<string>;
  /** Leaves per field. */
  readonly byField: ReadonlyMap<string, readonly LeafUse[]>;
  /** Some leaf reads every value of the event (keyword / free-text search). */
  readonly readsWholeEvent: boolean;
  /** Some opaque leaf has no field: nothing about the event can be called irrelevant. */
  readonly opaqueWholeEvent: boolean;
}

export function fieldFacts(predicates: readonly Predicate[]): FieldFacts {
  const mentioned = new Set<string>();
  const negated = new Set<string>();
  const opaque = new Set<string>();
  const byField = new Map<string, LeafUse[]>();
  let readsWholeEvent = false;
  let opaqueWholeEvent = false;
  for (const p of predicates) {
    for (const use of leafUses(p)) {
      const l = use.leaf;
      const fields = l.kind === 'fieldref' ? [l.field, l.other] : l.field === null ? [] : [l.field];
      if (l.kind === 'opaque' && l.field === null) opaqueWholeEvent = true;
      if ((l.kind === 'match' || l.kind === 'regex') && l.field === null) readsWholeEvent = true;
      for (const f of fields) {
        mentioned.add(f);
        if (use.negated) negated.add(f);
        if (l.kind === 'opaque' || l.kind === 'fieldref') opaque.add(f);
        byField.set(f, [...(byField.get(f) ?? []), use]);
      }
    }
  }
  return { mentioned, negated, opaque, byField, readsWholeEvent, opaqueWholeEvent };
}

/**
 * Fields a transformation must leave alone: the mentioned ones, plus the
 * parents of `.text` / `.caseless` sub-fields (KQL reads the parent's value
 * through them), plus extra names (timestamps, group keys).
 */
export function protectedFields(facts: FieldFacts, extra: Iterable<string> = []): Set<string> {
  const out = new Set<string>([...facts.mentioned, ...extra]);
  for (const f of facts.mentioned) {
    const m = /^(.+)\.(text|caseless|keyword)$/.exec(f);
    if (m) out.add(m[1]!);
  }
  return out;
}

/** `a.b` touches `a.b`, `a` (its parent object) and `a.b.c` (inside it). */
export function touches(path: string, field: string): boolean {
  return path === field || path.startsWith(`${field}.`) || field.startsWith(`${path}.`);
}

export function touchesAny(path: string, fields: Iterable<string>): boolean {
  for (const f of fields) if (touches(path, f)) return true;
  return false;
}

/** Field names an aggregate condition names (`cardinality(user.name) >= 3`, `value_count(x)`). */
export function conditionFields(condition: string | undefined): string[] {
  if (!condition) return [];
  const out: string[] = [];
  for (const m of condition.matchAll(/\b(?:cardinality|distinct|sum|avg|percentile\d*|value_count|median)\(([^)]*)\)/g)) out.push(...m[1]!.split(',').map((f) => f.trim()).filter(Boolean));
  for (const m of condition.matchAll(/\bfield\s*[:=]\s*['"]?([A-Za-z_@][\w.@-]*)/g)) out.push(m[1]!);
  return out;
}

/** Group keys and condition fields of every aggregate level, and the fields the rule reads outside its tree. */
export function aggregateFields(c: Constraints): string[] {
  const a = c.aggregate;
  if (!a) return [...(c.reads ?? [])];
  // A step's own join keys (`[…] by process.executable`) must keep their value as much as the shared ones.
  return [...(c.reads ?? []), ...a.groupBy, ...conditionFields(a.condition), ...a.steps.flatMap((s) => [...(s.keys ?? []), ...aggregateFields(s)])];
}
