import type { Event } from '../../core/event.ts';
import { FieldIndex, type PreparedEvent } from '../common/prepared-event.ts';

/** The index every KQL/Lucene query compiled without an explicit `fieldIndex` option registers its fields in. */
export const defaultFieldIndex = new FieldIndex();

/**
 * Prepare an event for `matchesPrepared` of queries compiled on the default index.
 * @example const pe = prepareEvent(event); queries.filter((q) => q.matchesPrepared(pe))
 */
export function prepareEvent(event: Event): PreparedEvent {
  return defaultFieldIndex.prepare(event);
}
