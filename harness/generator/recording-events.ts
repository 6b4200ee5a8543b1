import type { Event } from '../core/event.ts';
import { isRecord } from '../core/event.ts';
import { locate, type Location } from './event-edit.ts';

/** Fields that say where and when a recorded event came from; kept in every drafted case. */
export const IDENTIFYING_FIELDS = ['EventID', 'Channel', 'Provider_Name', 'Computer', 'EventRecordID', 'TimeCreated_SystemTime', '@timestamp', 'event.code', 'host.name'];

const put = (o: Record<string, unknown>, k: string, v: unknown): void => {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
};

/** Copy the value at `loc` from `event` into `out`, creating objects on the way; an array is copied whole. */
function copyAt(out: Record<string, unknown>, event: Event, loc: Location): void {
  let src: unknown = event;
  let dst = out;
  for (let i = 0; i < loc.length; i++) {
    const k = loc[i]!;
    if (typeof k === 'number' || !isRecord(src)) return;
    const v = src[k];
    const last = i === loc.length - 1 || typeof loc[i + 1] === 'number';
    if (last) {
      put(dst, k, v);
      return;
    }
    if (!isRecord(dst[k])) put(dst, k, {});
    dst = dst[k] as Record<string, unknown>;
    src = v;
  }
}

/**
 * A recorded event trimmed to `fields` (the rule's own and the identifying ones), in
 * the event's own layout (nested or dotted keys); the full `Event` structure of an
 * EVTX record is dropped, as a scenario reads the flat fields.
 */
export function trimEvent(event: Event, fields: Iterable<string>): Event {
  const out: Record<string, unknown> = {};
  for (const f of fields) for (const loc of locate(event, f)) copyAt(out, event, loc);
  return out;
}

/** The event without the nested EVTX structure (when no field list can be trusted, e.g. keyword rules). */
export function withoutStructure(event: Event): Event {
  if (!('Event' in event) || !isRecord(event['Event'])) return event;
  const { Event: _structure, ...flat } = event;
  return flat;
}

/** Where a recorded event came from, for the case's comment. */
export function origin(recording: string, position: number, event: Event): string {
  const id = event['EventRecordID'];
  return `${recording}, event ${position}${typeof id === 'number' || typeof id === 'string' ? ` (EventRecordID ${id})` : ''}`;
}

/** A short readable name for a recorded case. */
export function recordedName(prefix: string, position: number, event: Event): string {
  const id = event['EventID'];
  return `${prefix} event ${position}${typeof id === 'number' || typeof id === 'string' ? ` (EventID ${id})` : ''}`;
}
