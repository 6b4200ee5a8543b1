import type { Alert, Detector } from '../../core/detector.ts';
import type { Event } from '../../core/event.ts';
import { isRecord } from '../../core/event.ts';
import { LocatedError } from '../../core/located-error.ts';
import type { Rule } from '../../core/rule.ts';
import { fieldGetter } from '../common/fields.ts';
import { parseTimestamp } from '../common/time.ts';
import { relativeOffsetMs } from './date-math.ts';
import type { EventQuery } from './event-query.ts';
import { termCombinations } from './group-key.ts';

/**
 * new_terms rules. A case gives `history` (earlier events) and `events` (the
 * rule execution). "now" is the latest `@timestamp` among `events`; history
 * events older than `now + history_window_start` are outside the window (those
 * without a time are inside). A term combination of the `new_terms` fields is
 * new when no history event matching the query carries it; one alert per new
 * combination, on the first event that carries it.
 */

function spec(body: Readonly<Record<string, unknown>>): { fields: string[]; windowMs: number } {
  const nt = body.new_terms;
  if (!isRecord(nt)) throw new LocatedError('elastic/new-terms', 'a new_terms rule needs a [rule.new_terms] table', ['new_terms']);
  const fields = Array.isArray(nt.value) ? nt.value.filter((v): v is string => typeof v === 'string') : [];
  if (fields.length === 0) throw new LocatedError('elastic/new-terms', 'new_terms.value must list the fields whose values are tracked', ['new_terms']);
  const hws = Array.isArray(nt.history_window_start) ? nt.history_window_start.find(isRecord) : undefined;
  const expr = typeof hws?.value === 'string' ? hws.value : typeof body.history_window_start === 'string' ? body.history_window_start : undefined;
  const off = expr === undefined ? undefined : relativeOffsetMs(expr);
  if (off === undefined) throw new LocatedError('elastic/new-terms', `history_window_start '${expr}' is not relative date math like now-14d`, ['new_terms']);
  return { fields, windowMs: -off };
}

export function newTermsDetector(rule: Rule, q: EventQuery, timestampField = '@timestamp'): Detector {
  const { fields, windowMs } = spec(rule.body);
  const combos = termCombinations(fields);
  const time = fieldGetter(timestampField);
  const timeOf = (e: Event) => parseTimestamp(time(e)[0]);
  return {
    rule,
    detect(events, context) {
      const times = events.map(timeOf).filter((t): t is number => t !== undefined);
      const now = times.length ? Math.max(...times) : undefined;
      const seen = new Set<string>();
      for (const h of context?.history ?? []) {
        const t = timeOf(h);
        if (now !== undefined && t !== undefined && t < now - windowMs) continue;
        if (q.matches(h)) for (const c of combos(h)) seen.add(c);
      }
      const alerts: Alert[] = [];
      events.forEach((e, i) => {
        if (!q.matches(e)) return;
        for (const c of combos(e)) {
          if (seen.has(c)) continue;
          seen.add(c);
          alerts.push({ rule: rule.id, events: [i] });
        }
      });
      return alerts;
    },
    matches: (e) => q.matches(e),
    ...(q.prefilter ? { prefilter: q.prefilter } : {}),
    explain: (e) => q.explain(e),
    constraints: () => ({ logic: q.logic, aggregate: { type: 'new_terms', steps: [], groupBy: fields, windowMs } }),
  };
}
