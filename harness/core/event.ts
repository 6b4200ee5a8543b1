/** An event as parsed from JSON: any object. Engines never mutate it. */
export type Event = Readonly<Record<string, unknown>>;

/** A JSON object (not null, not an array): the one check every loader and engine needs. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isEvent(value: unknown): value is Event {
  return isRecord(value);
}
