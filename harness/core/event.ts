/** An event as parsed from JSON: any object. Engines never mutate it. */
export type Event = Readonly<Record<string, unknown>>;

export function isEvent(value: unknown): value is Event {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
