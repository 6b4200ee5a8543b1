import type { Alert, Detector } from '../../core/detector.ts';
import type { Event } from '../../core/event.ts';
import { isRecord } from '../../core/event.ts';
import { LocatedError } from '../../core/located-error.ts';
import type { Rule } from '../../core/rule.ts';
import { fieldGetter, scalarText } from '../common/fields.ts';
import type { EventQuery } from './event-query.ts';

/**
 * threat_match (indicator match) rules. A case's `indicators` are the
 * documents the rule's threat query returns (the scenario author states
 * them, so `threat_query` / `threat_filters` are not re-evaluated). An event
 * matching the rule's query alerts when some `threat_mapping` group has all
 * its entries equal: the event's `field` against the indicator's `value`
 * field (any element of multi-valued fields; exact, as on keyword/ip fields).
 */
interface Entry {
  readonly event: (e: Event) => readonly unknown[];
  readonly indicator: (e: Event) => readonly unknown[];
}


function mapping(body: Readonly<Record<string, unknown>>): Entry[][] {
  const groups = Array.isArray(body.threat_mapping) ? body.threat_mapping.filter(isRecord) : [];
  if (groups.length === 0) throw new LocatedError('elastic/threat-match', 'a threat_match rule needs [[rule.threat_mapping]] entries', ['threat_mapping']);
  return groups.map((g, i) => {
    const entries = Array.isArray(g.entries) ? g.entries.filter(isRecord) : [];
    if (entries.length === 0) throw new LocatedError('elastic/threat-match', `threat_mapping group ${i} has no entries`, ['threat_mapping']);
    return entries.map((en) => {
      if (typeof en.field !== 'string' || typeof en.value !== 'string') throw new LocatedError('elastic/threat-match', 'threat_mapping entries need field and value', ['threat_mapping']);
      return { event: fieldGetter(en.field), indicator: fieldGetter(en.value) };
    });
  });
}

const texts = (vs: readonly unknown[]) => new Set(vs.map(scalarText).filter((v): v is string => v !== undefined));

export function threatMatchDetector(rule: Rule, q: EventQuery): Detector {
  const groups = mapping(rule.body);
  const entryHolds = (en: Entry, e: Event, ind: Event) => {
    const want = texts(en.indicator(ind));
    return [...texts(en.event(e))].some((v) => want.has(v));
  };
  return {
    rule,
    detect(events, context) {
      const indicators = context?.indicators ?? [];
      return events.flatMap((e, i): Alert[] =>
        q.matches(e) && indicators.some((ind) => groups.some((g) => g.every((en) => entryHolds(en, e, ind)))) ? [{ rule: rule.id, events: [i] }] : [],
      );
    },
    matches: (e) => q.matches(e),
    ...(q.prefilter ? { prefilter: q.prefilter } : {}),
    explain: (e) => q.explain(e),
    constraints: () => ({ logic: q.logic, aggregate: { type: 'threat_match', steps: [], groupBy: [] } }),
  };
}
