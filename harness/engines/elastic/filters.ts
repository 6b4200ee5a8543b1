import type { Event } from '../../core/event.ts';
import { isRecord } from '../../core/event.ts';
import { LocatedError } from '../../core/located-error.ts';
import { fieldGetter, scalarText } from '../common/fields.ts';
import { compilePattern } from '../common/pattern-matcher.ts';
import type { Predicate } from '../common/predicate.ts';
import { parseEsWildcard } from './es-wildcard.ts';

/**
 * Kibana filters attached to query rules (`[[rule.filters]]`): the
 * Elasticsearch query DSL shapes the Elastic corpus uses — `exists`,
 * `match_phrase`, `wildcard` (with `case_insensitive`), `term`, and `bool` of
 * those — with `meta.negate` and `meta.disabled`. `match_phrase` is taken as
 * exact equality, which is what it does on the keyword fields these filters
 * target. Anything else is rejected with a located error, never ignored.
 */
export interface CompiledFilter {
  readonly test: (event: Event) => boolean;
  readonly logic: Predicate;
  readonly label: string;
}


function onlyEntry(v: unknown, what: string, path: (string | number)[]): [string, unknown] {
  if (!isRecord(v) || Object.keys(v).length !== 1) throw new LocatedError('elastic/filter', `${what} must name exactly one field`, path);
  return Object.entries(v)[0]!;
}

function compileDsl(q: Record<string, unknown>, path: (string | number)[]): Omit<CompiledFilter, 'label'> {
  const [kind, spec] = onlyEntry(q, 'a filter query', path);
  switch (kind) {
    case 'exists': {
      const field = isRecord(spec) && typeof spec.field === 'string' ? spec.field : undefined;
      if (!field) throw new LocatedError('elastic/filter', 'exists needs a field', [...path, 'exists']);
      const get = fieldGetter(field);
      return { test: (e) => get(e).some((v) => v !== null), logic: { kind: 'exists', field } };
    }
    case 'match_phrase':
    case 'term': {
      const [field, raw] = onlyEntry(spec, kind, [...path, kind]);
      const value = isRecord(raw) ? (raw.query ?? raw.value) : raw;
      const want = scalarText(value);
      if (want === undefined) throw new LocatedError('elastic/filter', `${kind} on ${field} needs a scalar value`, [...path, kind]);
      const get = fieldGetter(field);
      return { test: (e) => get(e).some((v) => scalarText(v) === want), logic: { kind: 'match', field, pattern: [{ kind: 'text', text: want }], mode: 'sensitive' } };
    }
    case 'wildcard': {
      const [field, raw] = onlyEntry(spec, 'wildcard', [...path, 'wildcard']);
      const value = isRecord(raw) ? raw.value ?? raw.wildcard : raw;
      if (typeof value !== 'string') throw new LocatedError('elastic/filter', `wildcard on ${field} needs a string value`, [...path, 'wildcard']);
      const mode = isRecord(raw) && raw.case_insensitive === true ? 'insensitive' : 'sensitive';
      const pattern = parseEsWildcard(value);
      const m = compilePattern(pattern, mode);
      const get = fieldGetter(field);
      return { test: (e) => get(e).some((v) => typeof v === 'string' && m(v)), logic: { kind: 'match', field, pattern, mode } };
    }
    case 'bool': {
      if (!isRecord(spec)) throw new LocatedError('elastic/filter', 'bool must be a mapping', [...path, 'bool']);
      const part = (k: string) => (Array.isArray(spec[k]) ? spec[k] : spec[k] === undefined ? [] : [spec[k]]).map((x: unknown, i: number) => {
        if (!isRecord(x)) throw new LocatedError('elastic/filter', `bool.${k} entries must be queries`, [...path, 'bool', k, i]);
        return compileDsl(x, [...path, 'bool', k, i]);
      });
      const must = [...part('must'), ...part('filter')];
      const should = part('should');
      const mustNot = part('must_not');
      return {
        test: (e) => must.every((f) => f.test(e)) && !mustNot.some((f) => f.test(e)) && (should.length === 0 || should.some((f) => f.test(e))),
        logic: { kind: 'and', children: [...must.map((f) => f.logic), ...mustNot.map((f) => ({ kind: 'not' as const, child: f.logic })), ...(should.length ? [{ kind: 'or' as const, children: should.map((f) => f.logic) }] : [])] },
      };
    }
    default:
      throw new LocatedError('elastic/filter', `filter query '${kind}' is not supported (supported: exists, match_phrase, term, wildcard, bool)`, [...path, kind]);
  }
}

/** Compile one `[[rule.filters]]` entry; `undefined` when the filter is disabled. */
export function compileFilter(filter: unknown, index: number, key = 'filters'): CompiledFilter | undefined {
  const path = [key, index];
  if (!isRecord(filter)) throw new LocatedError('elastic/filter', 'a filter must be a table', path);
  const meta = isRecord(filter.meta) ? filter.meta : {};
  if (meta.disabled === true) return undefined;
  const query = isRecord(filter.query) ? filter.query : isRecord(filter.exists) ? { exists: filter.exists } : undefined;
  if (!query) throw new LocatedError('elastic/filter', 'a filter needs a query (or exists) table', path);
  const inner = compileDsl(query, [...path, 'query']);
  const negate = meta.negate === true;
  const label = `filter ${negate ? 'NOT ' : ''}${JSON.stringify(query)}`;
  return negate ? { test: (e) => !inner.test(e), logic: { kind: 'not', child: inner.logic, label }, label } : { ...inner, logic: { ...inner.logic, label }, label };
}
