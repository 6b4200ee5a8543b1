import type { Event } from '../core/event.ts';
import { fieldGetter } from '../engines/common/fields.ts';
import { text } from '../engines/common/pattern.ts';
import { and, leavesOf, type Predicate } from '../engines/common/predicate.ts';
import { assumeOpaque } from './esql-draft.ts';
import { setField } from './event-edit.ts';
import { evaluate } from './model/evaluate.ts';
import { realisticValue, seededFaker } from './realistic.ts';
import type { Ctx } from './scaffold.ts';

/**
 * Rows for the mixed STATS groups of esql-needs-group.ts: `want` rows with
 * distinct values of a field, and witnesses cleaned of multi-valued fields.
 * Every row still meets the rule's WHERE clauses in the generator's model.
 */
type Witness = (p: Predicate, fixed?: Fixed) => Event | undefined;

const styleOf = (c: Ctx): 'nested' | 'dotted' => (c.dialect === 'ecs' ? 'nested' : 'dotted');

/** A field whose value a witness must take. */
export interface Fixed {
  readonly field: string;
  readonly value: string;
}

/** The values a predicate's top-level conjuncts name exactly (`f == "v"`): a row of that kind has them. */
export function equalitiesOf(p: Predicate): Fixed[] {
  if (p.kind === 'and') return p.children.flatMap(equalitiesOf);
  if (p.kind !== 'match' || p.field === null || p.mode !== 'sensitive' || p.pattern.length !== 1 || p.pattern[0]!.kind !== 'text') return [];
  return [{ field: p.field, value: p.pattern[0]!.text }];
}

/**
 * The logic with every leaf on the fixed field decided by its value, so the
 * generator takes the branch that value allows (`action IN (a, b) OR (action == c
 * AND …)` with action = c keeps the second branch) instead of adding a value.
 */
export function conditioned(c: Ctx, logic: Predicate, fixed: Fixed): Predicate {
  const probe = setField({}, fixed.field, fixed.value, styleOf(c));
  const go = (p: Predicate): Predicate => {
    switch (p.kind) {
      case 'and':
      case 'or':
        return { ...p, children: p.children.map(go) };
      case 'not':
        return { ...p, child: go(p.child) };
      case 'const':
        return p;
      default: {
        if (p.field !== fixed.field || !probe) return p;
        const t = evaluate(p, probe, c.model);
        return t === 'T' || t === 'F' ? { kind: 'const', value: t === 'T' } : p;
      }
    }
  };
  return go(logic);
}

/**
 * `want` rows meeting `where`, each with its own value of `field`: the witness
 * with its own value, then with the literals the clauses name for the field,
 * then with numbers counting up (addresses stay addresses) or a suffixed value;
 * a literal the witness cannot take gets a row of its own kind (`action ==
 * "Modify" AND params LIKE "*userData=*"` next to `action == "Stop"`).
 */
export function distinctRows(c: Ctx, w: Event, field: string, want: number, where: Predicate, witness: Witness): Event[] {
  const logic = and([c.constraints.logic, assumeOpaque(where)]);
  const own = fieldGetter(field)(w)[0];
  const base = typeof own === 'string' || typeof own === 'number' ? own : realisticValue(seededFaker(c.seed + 13), field, c.dialect);
  const literals = [...new Set(leavesOf(logic).flatMap((l) => (l.kind === 'match' && l.field === field && l.pattern.every((t) => t.kind === 'text') ? [l.pattern.map((t) => (t.kind === 'text' ? t.text : '')).join('')] : [])))];
  const next = (i: number): string | number => (typeof base === 'number' ? base + i : IPV4.test(base) ? nthAddress(base, i) : `${base}-${i}`);
  const rows: Event[] = [];
  const seen = new Set<string>();
  const take = (e: Event | undefined, v: unknown): void => {
    if (rows.length >= want || !e || seen.has(String(v)) || evaluate(logic, e, c.model) !== 'T') return;
    rows.push(e);
    seen.add(String(v));
  };
  for (const v of [base, ...literals, ...Array.from({ length: want * 2 }, (_, i) => next(i + 1))]) take(setField(w, field, v, styleOf(c)), v);
  // Each search costs a synthesis: a few more than the rows still missing.
  for (const v of literals.filter((x) => !seen.has(x)).slice(0, 2 * (want - rows.length))) take(witness(and([where, { kind: 'match', field, pattern: [text(v)], mode: 'sensitive' }]), { field, value: v }), v);
  for (let i = want * 2 + 1; rows.length < want; i++) rows.push(setField(w, field, next(i), styleOf(c)) ?? w);
  return rows;
}

const IPV4 = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/** The i-th address after an IPv4 address (an `ip` field reads a suffixed text as null). */
export function nthAddress(base: string, i: number): string {
  const n = base.split('.').reduce((acc, x) => acc * 256 + Number(x), 0);
  const m = (n + i) % 2 ** 32;
  return [24, 16, 8, 0].map((s) => Math.floor(m / 2 ** s) % 256).join('.');
}

/**
 * The witness with each multi-valued field reduced to one of its values that keeps
 * `logic` true: the generator's model reads `f == a AND f IN (b, …)` as met by
 * `[a, b]`, while ES|QL compares a multi-valued field as null.
 */
export function singleValued(c: Ctx, event: Event, logic: Predicate): Event {
  let out = event;
  for (const [field, values] of arrayFields(event)) {
    for (const v of values) {
      const probe = setField(out, field, v, styleOf(c));
      if (probe && evaluate(logic, probe, c.model) === 'T') {
        out = probe;
        break;
      }
    }
  }
  return out;
}

function arrayFields(node: unknown, prefix = '', out: [string, unknown[]][] = []): [string, unknown[]][] {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return out;
  for (const [k, v] of Object.entries(node)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (Array.isArray(v)) {
      if (v.length > 1 && v.every((x) => x === null || typeof x !== 'object')) out.push([path, v]);
    } else arrayFields(v, path, out);
  }
  return out;
}
