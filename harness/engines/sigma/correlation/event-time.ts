import type { Event } from '../../../core/event.ts';
import { fieldGetter } from '../../common/fields.ts';
import { parseTimestamp } from '../../common/time.ts';

/**
 * Where event time is read from when no `timestampFields` option is given:
 * ECS `@timestamp` first, then the usual Windows / Sysmon / generic names.
 * A configured list replaces this one (the user knows their data; falling
 * back to a field they did not name could silently pick the wrong clock).
 */
export const DEFAULT_TIMESTAMP_FIELDS: readonly string[] = [
  '@timestamp',
  'UtcTime',
  'TimeCreated',
  'TimeCreated.SystemTime',
  'Event.System.TimeCreated.SystemTime',
  'EventTime',
  'timestamp',
  'event.created',
];

export type EventTime = (event: Event) => number | undefined;

/**
 * Compile the time reader once: the first field (in list order) holding a
 * value that parseTimestamp understands gives the time in ms since epoch.
 * @example eventTimeReader(['ts'])({ ts: '2024-01-01T00:00:00Z' }) // 1704067200000
 */
export function eventTimeReader(fields: readonly string[]): EventTime {
  const getters = fields.map(fieldGetter);
  return (event) => {
    for (const get of getters) {
      for (const v of get(event)) {
        const t = parseTimestamp(v);
        if (t !== undefined) return t;
      }
    }
    return undefined;
  };
}
