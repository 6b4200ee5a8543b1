import type { Alert, Detector } from '../../core/detector.ts';
import type { Rule } from '../../core/rule.ts';
import type { EventQuery } from './event-query.ts';

/** A query rule (kuery / lucene): one alert per matching event. */
export function eventRuleDetector(rule: Rule, q: EventQuery): Detector {
  return {
    rule,
    detect: (events) => events.flatMap((e, i): Alert[] => (q.matches(e) ? [{ rule: rule.id, events: [i] }] : [])),
    matches: (e) => q.matches(e),
    ...(q.prefilter ? { prefilter: q.prefilter } : {}),
    explain: (e) => q.explain(e),
    constraints: () => ({ logic: q.logic }),
  };
}
