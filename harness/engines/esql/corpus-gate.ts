import { ecsMapping, type IndexMapping } from '../../mapping/index.ts';
import type { Command, Expr, Literal, Query } from './ast.ts';
import type { EsqlIndex } from './commands/stage.ts';
import { globRegExp } from './glob.ts';
import { indexFromEvents, type FieldTypes } from './events-index.ts';
import { mappingFieldTypes } from './index-files.ts';
import { referencedFields } from './referenced-fields.ts';

/**
 * The index a corpus rule is compiled against in the corpus gate, with no
 * events: ECS types for ECS fields; an integration field (outside ECS) takes the
 * type the query itself implies — compared with a number → long or double, with
 * true/false or used as a condition → boolean, else keyword (what a string
 * maps to dynamically). A wildcard KEEP/DROP pattern that matches no ECS field
 * gets one keyword field under it, as the integration's mapping would have.
 */
const LITERAL_TYPE: Partial<Record<Literal['kind'], string>> = { integer: 'long', double: 'double', boolean: 'boolean' };

function inferTypes(q: Query, known: (f: string) => string | undefined): Map<string, string> {
  const direct = new Map<string, string>();
  const alias = new Map<string, string>();
  const fieldOf = (e: Expr): string | undefined => (e.type === 'field' ? e.name : e.type === 'call' && e.args[0]?.type === 'field' && ['MAX', 'MIN', 'SUM', 'AVG', 'VALUES', 'MV_MIN', 'MV_MAX', 'MV_FIRST', 'MV_LAST', 'TOP', 'COALESCE'].includes(e.name) ? e.args[0].name : undefined);
  const walk = (e: Expr, asCondition: boolean): void => {
    if (asCondition && e.type === 'field') direct.set(e.name, 'boolean');
    switch (e.type) {
      case 'binary':
        for (const [a, b] of [[e.left, e.right], [e.right, e.left]] as const) {
          const t = b.type === 'literal' ? LITERAL_TYPE[b.literal.kind] : undefined;
          if (a.type === 'field' && t) direct.set(a.name, t);
        }
        walk(e.left, false);
        walk(e.right, false);
        return;
      case 'in': {
        const first = e.list[0];
        const t = first?.type === 'literal' ? LITERAL_TYPE[first.literal.kind] : undefined;
        if (e.operand.type === 'field' && t) direct.set(e.operand.name, t);
        return;
      }
      case 'and':
      case 'or':
        walk(e.left, true);
        walk(e.right, true);
        return;
      case 'not':
        walk(e.operand, true);
        return;
      case 'call':
        if (e.name === 'COALESCE') {
          const typed = e.args.flatMap((a) => (a.type === 'field' && known(a.name) !== undefined ? [known(a.name) as string] : []))[0];
          if (typed) for (const a of e.args) if (a.type === 'field' && known(a.name) === undefined) direct.set(a.name, typed);
        }
        e.args.forEach((a, i) => walk(a, e.name === 'CASE' && i % 2 === 0 && i < e.args.length - 1));
        return;
      default:
        return;
    }
  };
  const visit = (c: Command): void => {
    switch (c.command) {
      case 'where':
        walk(c.condition, true);
        return;
      case 'eval':
      case 'row':
        for (const f of c.fields) {
          const src = fieldOf(f.expr);
          if (src) alias.set(f.name, src);
          walk(f.expr, false);
        }
        return;
      case 'stats':
        for (const a of c.aggregates) {
          const src = fieldOf(a.expr);
          if (src) alias.set(a.name, src);
          walk(a.expr, false);
          if (a.filter) walk(a.filter, true);
        }
        return;
      default:
        return;
    }
  };
  q.commands.forEach(visit);
  const out = new Map<string, string>();
  for (const [name, t] of direct) {
    let root = name;
    for (let hops = 0; hops < 8 && alias.has(root); hops++) root = alias.get(root) as string;
    out.set(root, t);
  }
  return out;
}

/**
 * Field types for corpus queries run without their integration's mapping (see
 * above): `mapping` (default ECS) first, then what the queries imply, then the value's dynamic mapping.
 */
export function gateFieldTypes(queries: readonly Query[], mapping: IndexMapping = ecsMapping()): { types: FieldTypes; wanted: string[] } {
  const ecs = mappingFieldTypes(mapping);
  const known = (f: string): string | undefined => ecs.typeOf(f)?.type;
  const inferred = new Map<string, string>();
  for (const q of queries) for (const [f, t] of inferTypes(q, known)) inferred.set(f, t);
  const ecsNames = new Set(ecs.names?.() ?? []);
  const wanted = [...new Set(queries.flatMap((q) => [...referencedFields(q)]))];
  const extra = wanted.flatMap((w) => {
    if (!w.includes('*')) return ecsNames.has(w) ? [] : [w];
    const re = globRegExp(w);
    return [...ecsNames].some((n) => re.test(n)) ? [] : [w.replace(/\*/g, 'x')];
  });
  const types: FieldTypes = {
    // Mapped first; then the type the query implies (the integration's mapping would agree), then the value's dynamic type.
    typeOf: (f, s) => {
      const mapped = ecs.typeOf(f);
      if (mapped) return mapped;
      const t = inferred.get(f);
      return t ? { type: t } : (ecs.typeOf(f, s) ?? { type: 'keyword' });
    },
    names: () => [...ecsNames, ...extra],
  };
  return { types, wanted: [...wanted, ...extra] };
}

/** An empty index for one corpus query. */
export function gateIndex(q: Query, name: string): EsqlIndex {
  const { types, wanted } = gateFieldTypes([q]);
  return indexFromEvents(name, [], types, wanted);
}
