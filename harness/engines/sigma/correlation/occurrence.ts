import type { Event } from '../../../core/event.ts';
import { fieldGetter } from '../../common/fields.ts';

/**
 * What a correlation counts: one matched event of a base rule, or one alert of
 * a referenced correlation (a chain, sigma.md §9: "the inner correlation's
 * alerts act as events for the outer one, with timestamp = last contributing
 * event, and group-by fields copied from the inner group key").
 */
export type Subject =
  | { readonly kind: 'event'; readonly event: Event }
  /** An inner correlation's alert: only its group key fields are visible (as a SIEM's result row). */
  | { readonly kind: 'group'; readonly key: ReadonlyMap<string, string> };

export interface Occurrence {
  readonly time: number;
  /** Tie-break for equal times: the (last) event index, so input order decides. */
  readonly order: number;
  /** Event indices this occurrence stands for (one for an event, all contributors for a chained alert). */
  readonly indices: readonly number[];
  readonly subject: Subject;
  /** Positions in the correlation's `rules` list that produced it. */
  readonly rules: readonly number[];
}

/** Read a field of a subject: event fields via fieldGetter; a chained alert exposes its group key only. */
export type FieldReader = (s: Subject) => readonly unknown[];

export function fieldReader(name: string): FieldReader {
  const get = fieldGetter(name);
  return (s) => {
    if (s.kind === 'event') return get(s.event);
    const v = s.key.get(name);
    return v === undefined ? [] : [v];
  };
}

/** Sort stably by time, then by event order (events are given in time order; this makes it robust). */
export function sortOccurrences(occ: Occurrence[]): Occurrence[] {
  return occ.sort((a, b) => a.time - b.time || a.order - b.order);
}
