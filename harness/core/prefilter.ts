import type { Event } from './event.ts';

/**
 * How a many-rule index (runner/rule-index.ts) prefilters rules of any engine:
 * an engine that can index its queries together (EQL event categories and
 * required literals, KQL's (field, literal) anchors, …) defines a *family*;
 * each of its detectors carries a handle into it. The index groups detectors
 * by family, asks each family once for an index over its members, and per
 * event evaluates only the candidates that index names — a superset of the
 * members whose `matches(event)` holds; the detector's own `matches` still
 * decides. A family of a new engine (ES|QL) joins by giving its detectors a
 * handle; the runner needs no change.
 */
export interface PrefilterHandle {
  readonly family: PrefilterFamily;
}

export interface PrefilterFamily {
  /** For messages and benchmarks. */
  readonly name: string;
  /** An index over these members' entries (all handles of this family). */
  build(members: readonly PrefilterHandle[]): EventCandidates;
}

export interface EventCandidates {
  /** Positions (in the members given to `build`) of the members that may match the event, ascending. */
  candidates(event: Event): readonly number[];
}

/**
 * A family whose entries are typed values of its engine (a query text with its
 * options, a compiled query); `handle` makes a detector's handle for one.
 * @example const EQL = entryFamily<string>('eql', (queries) => ({ candidates: (e) => … }));
 */
export function entryFamily<E>(name: string, index: (entries: readonly E[]) => EventCandidates): { family: PrefilterFamily; handle(entry: E): PrefilterHandle } {
  const entries = new WeakMap<PrefilterHandle, E>();
  const family: PrefilterFamily = {
    name,
    build(members) {
      return index(
        members.map((m) => {
          const e = entries.get(m);
          if (e === undefined) throw new Error(`prefilter family ${name}: a member handle was not made by this family`);
          return e;
        }),
      );
    },
  };
  return {
    family,
    handle(entry) {
      const h: PrefilterHandle = { family };
      entries.set(h, entry);
      return h;
    },
  };
}
