import type { Constraints } from '../../../core/detector.ts';
import { and, type Predicate } from '../../common/predicate.ts';
import type { Expr, Query } from '../ast.ts';
import { referencedFields } from '../referenced-fields.ts';
import { beforeFirstStats, isAggregating } from './provenance.ts';

/**
 * The seam for the ES|QL generator: a rule's logic as data. For now each
 * WHERE conjunct before the first STATS is an opaque leaf (its text, and its
 * field when it reads one), and a STATS query names its BY keys and the
 * commands after it as the aggregate condition. Nothing is claimed that the
 * generator could turn into a wrong variant; the ES|QL constraint builder
 * replaces this module.
 */
function conjuncts(e: Expr): Expr[] {
  return e.type === 'and' ? [...conjuncts(e.left), ...conjuncts(e.right)] : [e];
}

function leaf(q: Query, e: Expr): Predicate {
  const fields = [...referencedFields({ source: q.source, commands: [{ command: 'where', condition: e, start: e.start, end: e.end }] })];
  return { kind: 'opaque', field: fields.length === 1 ? (fields[0] as string) : null, description: q.source.slice(e.start, e.end) };
}

export function esqlConstraints(q: Query): Constraints {
  const prefix = beforeFirstStats(q);
  const leaves = prefix.commands.flatMap((c) => (c.command === 'where' ? conjuncts(c.condition).map((e) => leaf(q, e)) : []));
  const logic: Predicate = leaves.length === 0 ? { kind: 'const', value: true } : leaves.length === 1 ? (leaves[0] as Predicate) : and(leaves);
  if (!isAggregating(q)) return { logic };
  const at = prefix.commands.length;
  const stats = q.commands[at];
  const groupBy = stats?.command === 'stats' ? stats.groups.map((g) => g.name) : [];
  const after = q.commands.slice(at + 1).map((c) => q.source.slice(c.start, c.end).trim());
  return { logic, aggregate: { type: 'esql-stats', steps: [], groupBy, ...(after.length ? { condition: after.join(' | ') } : {}) } };
}
