import type { Event } from '../../core/event.ts';
import { ObjectShapes, type ShapeHint } from './shapes.ts';
import type { Json } from './to-json.ts';

type JsonObject = { readonly [k: string]: Json };

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Flat events by key sequence: one event kind has one (a later field of a name overwrites in place). */
const SHAPES = new ObjectShapes();

/**
 * The key sequence flat events had last, by EventID (one kind of event has one): the
 * sequence is then checked, not looked up key by key. Bounded: past it, looked up.
 */
const hints = new Map<Json | undefined, ShapeHint>();
const MAX_HINTS = 1024;

function hintFor(eventId: Json | undefined): ShapeHint | undefined {
  if (typeof eventId === 'object' && eventId !== null) return undefined; // not an ID: no hint kept for it
  let hint = hints.get(eventId);
  if (hint === undefined && hints.size < MAX_HINTS) hints.set(eventId, (hint = { last: undefined, fixed: false }));
  return hint;
}

/** `<element>_<attribute>` names, made once each (a new string per record would be hashed per record). */
const attributeNames = new Map<string, Map<string, string>>();
const MAX_ATTRIBUTE_NAMES = 10_000;
let attributeNameCount = 0;

function attributeName(element: string, attribute: string): string {
  let byAttribute = attributeNames.get(element);
  let name = byAttribute?.get(attribute);
  if (name !== undefined) return name;
  name = `${element}_${attribute}`;
  if (attributeNameCount >= MAX_ATTRIBUTE_NAMES) return name;
  if (byAttribute === undefined) attributeNames.set(element, (byAttribute = new Map()));
  byAttribute.set(attribute, name);
  attributeNameCount++;
  return name;
}

/** A data section's fields by name; nested elements (UserData) contribute their leaves. */
function dataFields(section: JsonObject): void {
  const keys = Object.keys(section);
  const values = Object.values(section);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (k === '#attributes') continue;
    const v = values[i];
    if (isObject(v)) {
      if ('#text' in v) SHAPES.set(k, v['#text']);
      else dataFields(v);
    } else SHAPES.set(k, v);
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
  const event = json['Event'];
  if (!isObject(event)) return { ...json };
  SHAPES.reset();
  const start = SHAPES.begin();
  const system = event['System'];
  if (isObject(system)) {
    // Own keys and values by Object.keys and Object.values, in the same order: from V8's cache for
    // objects of one shape, no per-key ownership check and no lookup by a key that varies.
    const keys = Object.keys(system);
    const values = Object.values(system);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      const v = values[i];
      if (!isObject(v)) {
        SHAPES.set(k, v);
        continue;
      }
      if ('#text' in v) SHAPES.set(k, v['#text']);
      const attrs = v['#attributes'];
      if (isObject(attrs)) {
        const names = Object.keys(attrs);
        for (let j = 0; j < names.length; j++) SHAPES.set(attributeName(k, names[j]!), attrs[names[j]!]);
      }
    }
  }
  const eventData = event['EventData'];
  if (isObject(eventData)) dataFields(eventData);
  const userData = event['UserData'];
  if (isObject(userData)) dataFields(userData);
  SHAPES.set('Event', event);
  const eventId = isObject(system) ? system['EventID'] : undefined;
  return SHAPES.end(start, hintFor(isObject(eventId) ? eventId['#text'] : eventId));
}
