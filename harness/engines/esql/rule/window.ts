import type { Event } from '../../../core/event.ts';
import { LocatedError } from '../../../core/located-error.ts';
import { fieldGetter } from '../../common/fields.ts';
import { relativeOffsetMs } from '../../elastic/date-math.ts';
import { parseDate } from '../values.ts';

/**
 * Which events one execution of an ES|QL rule sees, as Kibana's executor asks
 * Elasticsearch for them: a range filter [now + from, now] (both ends inclusive)
 * on the rule's timestamp (`timestamp_override`, falling back to `@timestamp`
 * for events without it unless `timestamp_override_fallback_disabled`). Kibana
 * sends it as the `_query` request's `filter` (build_esql_search_request.ts,
 * utils/build_events_query.ts buildTimeRangeFilter); an event without a
 * timestamp is outside every range.
 */
export interface RuleWindow {
  /** `from` as an offset from now in ms (negative); Kibana's default `now-6m`. */
  readonly fromMs: number;
  readonly fromText: string;
  /** The field the range filter reads first (`timestamp_override` or `@timestamp`). */
  readonly timestampField: string;
  readonly timestampOf: (event: Event) => number | undefined;
}

const DEFAULT_FROM = 'now-6m';
const MAX_TIME = 8.64e15;

function timeOf(get: (e: Event) => readonly unknown[]): (e: Event) => number | undefined {
  return (e) => {
    for (const v of get(e)) {
      const t = typeof v === 'number' ? v : typeof v === 'string' ? parseDate(v) : undefined;
      // Beyond JavaScript's (and Elasticsearch's millisecond) date range the value is no time at all.
      if (t !== undefined && Number.isFinite(t) && Math.abs(t) <= MAX_TIME) return t;
    }
    return undefined;
  };
}

export function ruleWindow(body: Readonly<Record<string, unknown>>): RuleWindow {
  const fromText = typeof body.from === 'string' && body.from.trim() !== '' ? body.from.trim() : DEFAULT_FROM;
  const fromMs = relativeOffsetMs(fromText);
  if (fromMs === undefined) throw new LocatedError('elastic/from', `'from' must be relative date math such as now-9m (got '${fromText}')`, ['from']);
  const override = typeof body.timestamp_override === 'string' && body.timestamp_override !== '' ? body.timestamp_override : undefined;
  const primary = timeOf(fieldGetter(override ?? '@timestamp'));
  const fallback = override && override !== '@timestamp' && body.timestamp_override_fallback_disabled !== true ? timeOf(fieldGetter('@timestamp')) : undefined;
  // The fallback applies only to events that do not populate the override field at all.
  const hasPrimary = fieldGetter(override ?? '@timestamp');
  const timestampOf = fallback ? (e: Event) => (hasPrimary(e).length > 0 ? primary(e) : fallback(e)) : primary;
  return { fromMs, fromText, timestampField: override ?? '@timestamp', timestampOf };
}

/** NOW() of a case: the given `now`, else the latest event timestamp, else undefined (no event has one). */
export function nowOf(w: RuleWindow, events: readonly Event[], now?: number): number | undefined {
  if (now !== undefined) return now;
  let last: number | undefined;
  for (const e of events) {
    const t = w.timestampOf(e);
    if (t !== undefined && (last === undefined || t > last)) last = t;
  }
  return last;
}

/** Why an event is outside the window at `now`, or undefined when the query sees it. */
export function outsideWindow(w: RuleWindow, event: Event, now: number): string | undefined {
  const t = w.timestampOf(event);
  if (t === undefined) return 'the event has no timestamp: the range filter Kibana adds leaves it out';
  if (t > now) return `the event is later than now (${isoOrNumber(now)})`;
  if (t < now + w.fromMs) return `the event is earlier than ${w.fromText} (${isoOrNumber(now + w.fromMs)})`;
  return undefined;
}

/** A time as ISO text; one outside Date's range (a hostile @timestamp) as its number rather than a RangeError. */
export function isoOrNumber(t: number): string {
  return Number.isFinite(new Date(t).getTime()) ? new Date(t).toISOString() : String(t);
}
