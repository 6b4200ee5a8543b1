import type { Constraints } from '../../../core/detector.ts';
import { and, type Predicate } from '../../common/predicate.ts';
import type { Expr, Query } from '../ast.ts';
import { referencedFields } from '../referenced-fields.ts';
import { beforeFirstStats, isAggregating } from './provenance.ts';

/**
 * The seam for the ES|QL generator: a rule's logic as data. For now each
 * WHERE conjunct before the first STATS is an opaque leaf (its text, and its
 * field when it reads one), and a STATS query names its BY keys and the
 * commands after it as the aggregate condition. Every other field the query
 * reads, the event's `_index` and the window's timestamp are opaque leaves
 * too, so no variant changes them as "irrelevant". Nothing is claimed that
 * the generator could turn into a wrong variant; the ES|QL constraint builder
 * replaces this module.
 */
function conjuncts(e: Expr): Expr[] {
  return e.type === 'and' ? [...conjuncts(e.left), ...conjuncts(e.right)] : [e];
}

function leaf(q: Query, e: Expr): Predicate {
  const fields = [...referencedFields({ source: q.source, commands: [{ command: 'where', condition: e, start: e.start, end: e.end }] })];
  return { kind: 'opaque', field: fields.length === 1 ? (fields[0] as string) : null, description: q.source.slice(e.start, e.end) };
}

/** Columns the query makes itself (EVAL, STATS, RENAME): not event fields. */
function definedNames(q: Query): Set<string> {
  const out = new Set<string>();
  for (const c of q.commands) {
    if (c.command === 'eval') for (const f of c.fields) out.add(f.name);
    if (c.command === 'stats') for (const f of c.aggregates) out.add(f.name);
    if (c.command === 'rename') for (const r of c.renames) out.add(r.to.pattern);
  }
  return out;
}

const opaque = (field: string, description: string): Predicate => ({ kind: 'opaque', field, description });

export function esqlConstraints(q: Query, timestampField = '@timestamp'): Constraints {
  const prefix = beforeFirstStats(q);
  const conditions = prefix.commands.flatMap((c) => (c.command === 'where' ? conjuncts(c.condition).map((e) => leaf(q, e)) : []));
  const named = new Set(conditions.flatMap((l) => (l.kind === 'opaque' && l.field !== null ? [l.field] : [])));
  const from = q.commands[0];
  const defined = definedNames(q);
  const reads = [...referencedFields(q)].filter((f) => !f.includes('*') && !f.startsWith('_') && !named.has(f) && !defined.has(f) && f !== timestampField);
  const leaves = [
    ...conditions,
    opaque(timestampField, 'inside the rule window [now + from, now]'),
    opaque('_index', `an index FROM reads (${from?.command === 'from' ? from.indices.join(', ') : ''})`),
    ...reads.map((f) => opaque(f, 'read by the query')),
  ];
  const logic: Predicate = leaves.length === 0 ? { kind: 'const', value: true } : leaves.length === 1 ? (leaves[0] as Predicate) : and(leaves);
  if (!isAggregating(q)) return { logic };
  const at = prefix.commands.length;
  const stats = q.commands[at];
  const groupBy = stats?.command === 'stats' ? stats.groups.map((g) => g.name) : [];
  const after = q.commands.slice(at + 1).map((c) => q.source.slice(c.start, c.end).trim());
  return { logic, aggregate: { type: 'esql-stats', steps: [], groupBy, ...(after.length ? { condition: after.join(' | ') } : {}) } };
}
