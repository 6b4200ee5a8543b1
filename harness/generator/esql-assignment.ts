/**
 * Candidate edits of an event's source fields (esql-want.ts): field → value,
 * REMOVE (event-edit.ts) to take the field away. Lists are capped: the caller
 * tries each one against the engine.
 */
export type Assignment = ReadonlyMap<string, unknown>;

export const MAX_CANDIDATES = 24;

/** Every merge of one candidate of each list that does not set a field two ways. */
export function combine(a: readonly Assignment[], b: readonly Assignment[]): Assignment[] {
  const out: Assignment[] = [];
  for (const x of a.slice(0, 6))
    for (const y of b.slice(0, 6)) {
      if ([...y].some(([f, v]) => x.has(f) && x.get(f) !== v)) continue;
      out.push(new Map([...x, ...y]));
    }
  return out.slice(0, MAX_CANDIDATES);
}
