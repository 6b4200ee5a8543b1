import { anyTokenTest } from '../../kql/analysed-text.ts';
import { compileKql } from '../../kql/index.ts';
import { fuzzyKeywordTest, fuzzyTextTest, parseFuzziness, type FuzzyOptions } from './fuzzy.ts';
import type { Evaluator, Scope } from '../compile/scope.ts';
import { isNumeric, valuesOf, type EsType, type Scalar, type Value } from '../types.ts';
import { compareScalars, formatDate } from '../values.ts';
import type { CallSite, FunctionEntry } from './registry.ts';

/**
 * Full-text functions reuse the KQL engine and its analysed-text code:
 * KQL(query) runs the KQL engine over the row (columns as dotted fields, the
 * columns' types as its field types); MATCH(field, query) and `field : query`
 * match any analysed token on text fields and the exact value elsewhere;
 * with a `fuzziness` option, within that many edits (fuzzy.ts).
 */
function kqlFieldType(t: EsType): string {
  if (isNumeric(t)) return 'double';
  if (t === 'date' || t === 'date_nanos') return 'date';
  return t;
}

/** The row as an event for the KQL engine: only the columns the query names (all when it has a wildcard field). */
function rowEvent(scope: Scope, query: string): (row: readonly Value[]) => Record<string, unknown> {
  const all = /\*\s*:/.test(query);
  const cols = scope.columns.flatMap((c, i) => (all || query.includes(c.name) ? [{ c, i }] : []));
  return (row) => {
    const ev: Record<string, unknown> = {};
    for (const { c, i } of cols) {
      const v = row[i];
      if (v === null || v === undefined) continue;
      ev[c.name] = c.type === 'date' || c.type === 'date_nanos' ? (Array.isArray(v) ? (v as number[]).map(formatDate) : formatDate(v as number)) : v;
    }
    return ev;
  };
}

function constantString(site: CallSite, i: number): string {
  const a = site.args[i];
  const v = a?.constant ? a.eval([]) : undefined;
  if (typeof v !== 'string') throw site.scope.error(`argument ${i + 1} of [${site.scope.text(site.node)}] must be a constant string`, site.node);
  return v;
}

function compileKqlCall(site: CallSite): Evaluator {
  const query = constantString(site, 0);
  const fieldTypes: Record<string, string> = {};
  for (const c of site.scope.columns) fieldTypes[c.name] = kqlFieldType(c.type);
  let compiled;
  try {
    compiled = compileKql(query, { fieldTypes, now: site.scope.rt.now });
  } catch (e) {
    throw site.scope.error(`Invalid KQL query [${query}]: ${(e as Error).message}`, site.node);
  }
  const toEvent = rowEvent(site.scope, query);
  return { type: 'boolean', eval: (row) => compiled.matches(toEvent(row)) };
}

/** A literal option value of a call (`{"fuzziness": 1}`). */
function optionValue(site: CallSite, key: string): unknown {
  const e = site.node.options?.[key];
  return e?.type === 'literal' && e.literal.kind !== 'span' && e.literal.kind !== 'null' ? e.literal.value : undefined;
}

/** MATCH's fuzzy options (fuzzy.ts), when the call asks for a fuzziness above 0. */
function fuzzyOptions(site: CallSite): FuzzyOptions | undefined {
  const raw = optionValue(site, 'fuzziness');
  if (raw === undefined) return undefined;
  const fuzziness = parseFuzziness(raw);
  if (fuzziness === undefined) throw site.scope.error(`Invalid fuzziness [${String(raw)}] in [${site.scope.text(site.node)}]`, site.node);
  if (fuzziness === 0) return undefined;
  const prefix = optionValue(site, 'prefix_length');
  const operator = optionValue(site, 'operator');
  return {
    fuzziness,
    transpositions: optionValue(site, 'fuzzy_transpositions') !== false,
    prefixLength: typeof prefix === 'number' ? prefix : 0,
    all: typeof operator === 'string' && operator.toUpperCase() === 'AND',
  };
}

function compileMatch(site: CallSite): Evaluator {
  const [field, q] = site.args as [Evaluator, Evaluator];
  const arg0 = site.node.args[0];
  const fieldNode = arg0?.type === 'cast' ? arg0.operand : arg0;
  if (fieldNode?.type !== 'field') throw site.scope.error(`first argument of [${site.scope.text(site.node)}] must be a field`, site.node);
  const wanted = q.eval([]);
  if (!q.constant || wanted === null || Array.isArray(wanted)) throw site.scope.error(`second argument of [${site.scope.text(site.node)}] must be a constant single value`, site.node);
  const type = field.type;
  const fuzzy = fuzzyOptions(site);
  let test: (v: Scalar) => boolean;
  if (fuzzy && (type === 'text' || type === 'keyword')) {
    const t = type === 'text' ? fuzzyTextTest(String(wanted), fuzzy) : fuzzyKeywordTest(String(wanted), fuzzy);
    test = (v) => t(String(v));
  } else if (type === 'text') {
    const t = anyTokenTest(String(wanted));
    test = (v) => t(String(v));
  } else {
    const w = isNumeric(type) ? Number(wanted) : wanted;
    test = (v) => compareScalars(v, w as Scalar, type) === 0;
  }
  return { type: 'boolean', eval: (row) => valuesOf(field.eval(row)).some(test) };
}

export const SEARCH: readonly FunctionEntry[] = [
  { kind: 'scalar', names: ['KQL'], arity: [1, 2], foldable: false, compile: compileKqlCall },
  { kind: 'scalar', names: ['MATCH'], arity: [2, 3], foldable: false, compile: compileMatch },
];
