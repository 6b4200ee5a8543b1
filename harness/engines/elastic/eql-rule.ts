import type { Detector } from '../../core/detector.ts';
import type { Rule } from '../../core/rule.ts';
import { compileEql, type EqlOptions } from '../eql/index.ts';
import { lintEqlTypes } from '../eql/type-lint.ts';
import { queryError } from './event-query.ts';
import { ecsMapping, type IndexMapping } from '../../mapping/index.ts';
import { EQL_PREFILTER } from './prefilter-families.ts';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * EQL rules, with the rule's own field settings as the EQL search API gets
 * them: `event_category_override`, `timestamp_field`, `tiebreaker_field`, and
 * `max_signals` as the result size.
 */
export function eqlOptionsOf(rule: Rule, mapping: IndexMapping = ecsMapping()): EqlOptions {
  const b = rule.body;
  const size = typeof b.max_signals === 'number' ? b.max_signals : 100;
  return {
    eventCategoryField: str(b.event_category_override) ?? 'event.category',
    timestampField: str(b.timestamp_field) ?? '@timestamp',
    ...(str(b.tiebreaker_field) ? { tiebreakerField: str(b.tiebreaker_field)! } : {}),
    size,
    mapping,
  };
}

export function eqlRuleDetector(rule: Rule, mapping?: IndexMapping): Detector {
  let q;
  const text = typeof rule.body.query === 'string' ? rule.body.query : '';
  const options = eqlOptionsOf(rule, mapping);
  try {
    q = compileEql(text, options);
  } catch (e) {
    throw queryError(e);
  }
  const query = q;
  const warnings = lintEqlTypes(query.ast, options.mapping!).map((w) => ({ code: w.code, message: w.message, path: ['query'], offset: w.offset }));
  return {
    ...(warnings.length ? { warnings } : {}),
    rule,
    detect: (events) => query.run(events).map((r) => ({ rule: rule.id, events: [...r.events] })),
    matches: (e) => query.matches(e),
    retains: (e) => query.retains(e),
    explain: (e) => query.explain(e),
    constraints: () => query.constraints(),
    prefilter: EQL_PREFILTER.handle({ query: text, eventCategoryField: options.eventCategoryField ?? 'event.category', ...(options.mapping ? { mapping: options.mapping } : {}) }),
  };
}
