import type { Trace } from '../../core/detector.ts';
import type { Event } from '../../core/event.ts';
import { LocatedError, type LocatedWarning } from '../../core/located-error.ts';
import type { Rule } from '../../core/rule.ts';
import type { PrefilterHandle } from '../../core/prefilter.ts';
import type { Predicate } from '../common/predicate.ts';
import { compileQuery, parseKql } from '../kql/index.ts';
import { lintQuery, type LintType } from '../kql/lint.ts';
import { ecsMapping, familyOf, type IndexMapping } from '../../mapping/index.ts';
import { parseLucene } from '../lucene/index.ts';
import { ECS_FIELD_TYPES } from './ecs-field-types.ts';
import { compileFilter, type CompiledFilter } from './filters.ts';
import { KQL_PREFILTER } from './prefilter-families.ts';

/** A rule's single-event logic: its KQL / Lucene query and its Kibana filters, ANDed. */
export interface EventQuery {
  matches(event: Event): boolean;
  explain(event: Event): Trace;
  readonly logic: Predicate;
  /** The query's entry in the KQL prefilter family (its Kibana filters are checked by `matches`). */
  readonly prefilter?: PrefilterHandle;
}

/** A compiled event query and its lint findings (kql/lint.ts), located in the rule's `query`. */
export interface LintedEventQuery {
  readonly query: EventQuery;
  readonly warnings: readonly LocatedWarning[];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Compile a query-language error into a LocatedError pointing into the rule's `query` value. */
export function queryError(e: unknown, key = 'query'): LocatedError {
  const offset = (e as { offset?: unknown }).offset;
  return new LocatedError('elastic/query-syntax', (e as Error).message, [key], typeof offset === 'number' ? { offset } : {});
}

/** The lint type of a mapped field (kql/lint.ts): what typed evaluation changes. */
export function lintTypes(mapping: IndexMapping): (name: string) => LintType | undefined {
  return (name) => {
    const f = mapping.field(name);
    if (!f) return undefined;
    const family = familyOf(f.mapping.type);
    return family === 'ip' ? 'ip' : family === 'integer' || family === 'decimal' ? 'number' : family === 'keyword' ? 'keyword' : undefined;
  };
}

/** The text query (kuery or lucene) of a non-EQL rule, with its filters, typed by `mapping` (default ECS). */
export function compileEventQuery(rule: Rule, mapping: IndexMapping = ecsMapping()): LintedEventQuery {
  const text = str(rule.body.query) ?? '';
  let base: EventQuery;
  let warnings: LocatedWarning[] = [];
  try {
    // The mapping types fields; the flat table covers integration fields ECS does not define.
    const options = { mapping, fieldTypes: ECS_FIELD_TYPES };
    if (rule.language !== 'lucene' && rule.language !== 'kuery') {
      throw new LocatedError('elastic/language', `a ${rule.kind} rule in language '${rule.language}' is not supported (kuery or lucene expected)`, ['language']);
    }
    if (rule.language === 'kuery' && text.trim() === '') base = matchAll();
    else {
      const tree = rule.language === 'lucene' ? parseLucene(text) : parseKql(text);
      const compiled = compileQuery(tree, options);
      base = { matches: (e) => compiled.matches(e), explain: (e) => compiled.explain(e), logic: compiled.logic, prefilter: KQL_PREFILTER.handle(compiled) };
      warnings = lintQuery(tree, lintTypes(mapping)).map((w) => ({ code: w.code, message: w.message, path: ['query'], offset: w.offset }));
    }
  } catch (e) {
    throw e instanceof LocatedError ? e : queryError(e);
  }
  const filters = (Array.isArray(rule.body.filters) ? rule.body.filters : []).map((f, i) => compileFilter(f, i)).filter((f): f is CompiledFilter => f !== undefined);
  if (filters.length === 0) return { query: base, warnings };
  const query: EventQuery = {
    matches: (e) => base.matches(e) && filters.every((f) => f.test(e)),
    explain: (e) => {
      const children = [base.explain(e), ...filters.map((f) => ({ label: f.label, result: f.test(e), children: [] }))];
      return { label: 'query and filters', result: children.every((c) => c.result === true), children };
    },
    logic: { kind: 'and', children: [base.logic, ...filters.map((f) => f.logic)] },
    ...(base.prefilter ? { prefilter: base.prefilter } : {}),
  };
  return { query, warnings };
}

function matchAll(): EventQuery {
  return { matches: () => true, explain: () => ({ label: '(empty query: every event)', result: true, children: [] }), logic: { kind: 'const', value: true } };
}
