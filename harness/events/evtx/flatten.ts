import type { Event } from '../../core/event.ts';
import type { Json } from './to-json.ts';

type JsonObject = { readonly [k: string]: Json };

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Own-property assignment: a `__proto__` field name stays data, never a prototype change. */
function set(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

/** A data section's fields by name; nested elements (UserData) contribute their leaves. */
function dataFields(section: JsonObject, out: Record<string, unknown>): void {
  // Keys, not entries: no pair array per field (this runs for every field of every record).
  for (const k of Object.keys(section)) {
    if (k === '#attributes') continue;
    const v = section[k];
    if (isObject(v)) {
      if ('#text' in v) set(out, k, v['#text']);
      else dataFields(v, out);
    } else set(out, k, v);
  }
}

/**
 * The flat event Sigma rules match (the field names of SigmaHQ's Windows rules and
 * regression data), from a record's `{"Event": …}` JSON:
 *
 * - `Event.System` scalars by name: `EventID`, `Version`, `Level`, `Task`, `Opcode`,
 *   `Keywords`, `EventRecordID`, `Channel`, `Computer`;
 * - `Event.System` attributes as `<element>_<attribute>`: `Provider_Name`, `Provider_Guid`,
 *   `Provider_EventSourceName`, `TimeCreated_SystemTime`, `Execution_ProcessID`,
 *   `Execution_ThreadID`, `Security_UserID`, `Correlation_ActivityID`,
 *   `EventID_Qualifiers` (and an element's text under its own name: `EventID`);
 * - `Event.EventData` fields by name (unnamed `<Data>` as `Data`), and the leaf
 *   fields of `Event.UserData`'s element by name; these win over a System name;
 * - `Event`: the whole structure, for rules or readers that want it.
 */
export function flattenEvent(json: Readonly<Record<string, Json>>): Event {
  const out: Record<string, unknown> = {};
  const event = json['Event'];
  if (!isObject(event)) return { ...json };
  const system = event['System'];
  if (isObject(system)) {
    for (const k of Object.keys(system)) {
      const v = system[k];
      if (!isObject(v)) {
        set(out, k, v);
        continue;
      }
      if ('#text' in v) set(out, k, v['#text']);
      const attrs = v['#attributes'];
      if (isObject(attrs)) for (const a of Object.keys(attrs)) set(out, `${k}_${a}`, attrs[a]);
    }
  }
  for (const section of ['EventData', 'UserData']) {
    const s = event[section];
    if (isObject(s)) dataFields(s, out);
  }
  set(out, 'Event', event);
  return out;
}
