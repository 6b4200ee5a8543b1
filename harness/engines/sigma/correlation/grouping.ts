import { scalarText } from '../../common/fields.ts';
import type { CorrelationSpec, Measure } from './spec.ts';
import { fieldReader, type FieldReader, type Subject } from './occurrence.ts';

/**
 * Group keys and aggregated values of an occurrence, per referenced rule,
 * with `aliases` applied (Sigma correlation spec, "Field Name Aliases"): for
 * an occurrence of rule R, alias A reads the field `aliases[A][R]`; a field
 * that is no alias, or an alias without an entry for R, is read by its own name.
 * The condition `field` goes through the same resolution, so it may be an alias too.
 *
 * Missing group-by field (sigma.md §9 Decision): the occurrence joins no group
 * and is ignored, as `stats … by` / a terms aggregation drops it. A null or an
 * object value counts as missing. A multi-valued (array) field puts the
 * occurrence in one group per value (per combination for several fields).
 */
export type FieldResolver = (rulePos: number, field: string) => string;

/** `refKeys[pos]`: every name an alias mapping may use for that rule (reference as written, rule name, id). */
export function aliasResolver(spec: CorrelationSpec, refKeys: readonly (readonly string[])[]): FieldResolver {
  return (pos, field) => {
    const mapping = spec.aliases.get(field);
    if (!mapping) return field;
    for (const k of refKeys[pos] ?? []) {
      const f = mapping.get(k);
      if (f !== undefined) return f;
    }
    return field;
  };
}

/** Every combination of the readers' values, as tuples of text; none when a reader finds nothing. */
function combinations(readers: readonly FieldReader[], s: Subject): string[][] {
  let combos: string[][] = [[]];
  for (const read of readers) {
    const raw = read(s);
    // Fast path: one scalar value, the usual case.
    const one = raw.length === 1 ? scalarText(raw[0]) : undefined;
    if (one !== undefined) {
      for (const c of combos) c.push(one);
      continue;
    }
    const values = [...new Set(raw.map(scalarText).filter((v): v is string => v !== undefined))];
    if (values.length === 0) return [];
    combos = combos.flatMap((c) => values.map((v) => [...c, v]));
  }
  return combos;
}

export interface GroupKey {
  /** Identity of the group. */
  readonly id: string;
  /** The group-by values, in `group-by` order. */
  readonly values: readonly string[];
}

/** Compile once: per rule position, the group keys of a subject. */
export function compileGroupKeys(groupBy: readonly string[], resolve: FieldResolver, ruleCount: number): (pos: number, s: Subject) => GroupKey[] {
  const readers = Array.from({ length: ruleCount }, (_, pos) => groupBy.map((g) => fieldReader(resolve(pos, g))));
  return (pos, s) => combinations(readers[pos] ?? [], s).map((values) => ({ id: JSON.stringify(values), values }));
}

const NUMERIC = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Numbers, and decimal strings (Sigma cross-types numbers and strings); anything else is ignored. */
export function numericValue(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && NUMERIC.test(v.trim())) return Number(v.trim());
  return undefined;
}

export type ValueOf = (s: Subject, rules: readonly number[]) => readonly (string | number)[];

/**
 * Compile once: the values an occurrence contributes to the measure. Rules that
 * resolve to the same field(s) are read once, so an event matched by two rules
 * is not counted twice.
 */
export function compileValues(measure: Measure, resolve: FieldResolver, ruleCount: number): ValueOf {
  const fields = measure.type === 'value_count' ? measure.fields : 'field' in measure ? [measure.field] : [];
  if (fields.length === 0) return () => [];
  const perRule = Array.from({ length: ruleCount }, (_, pos) => {
    const names = fields.map((f) => resolve(pos, f));
    return { sig: JSON.stringify(names), readers: names.map(fieldReader) };
  });
  const distinct = measure.type === 'value_count';
  return (s, rules) => {
    const out: (string | number)[] = [];
    const done = new Set<string>();
    for (const pos of rules) {
      const r = perRule[pos];
      if (!r || done.has(r.sig)) continue;
      done.add(r.sig);
      if (distinct) for (const tuple of combinations(r.readers, s)) out.push(JSON.stringify(tuple));
      else for (const v of r.readers[0]!(s)) {
        const n = numericValue(v);
        if (n !== undefined) out.push(n);
      }
    }
    return out;
  };
}
