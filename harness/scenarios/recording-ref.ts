import { dirname, isAbsolute, join } from 'node:path';
import { HarnessError } from '../core/diagnostics.ts';
import { isRecord, type Event } from '../core/event.ts';
import { streamEvents } from '../events/read-events.ts';

/**
 * A case's `events` may name a recording instead of listing events:
 *
 *     events:
 *       - $recording: ../../recordings/lab.evtx   # relative to the scenario file
 *         record_ids: [571146]                    # optional: EventRecordID values to take
 *         positions: [0, 3]                       # optional: 0-based positions in the file
 *
 * The entry stands for those events of the recording (all of them when neither
 * selection is given), in file order: an .evtx read natively, JSON Lines or JSON.
 */
export const RECORDING_KEY = '$recording';

export interface RecordingRef {
  readonly path: string;
  readonly recordIds?: readonly (number | string)[];
  readonly positions?: readonly number[];
}

export function recordingRef(item: unknown): RecordingRef | string | undefined {
  if (!isRecord(item) || !(RECORDING_KEY in item)) return undefined;
  const path = item[RECORDING_KEY];
  if (typeof path !== 'string' || path === '') return `${RECORDING_KEY} must be the path of a recording file`;
  const extra = Object.keys(item).filter((k) => k !== RECORDING_KEY && k !== 'record_ids' && k !== 'positions');
  if (extra.length) return `a ${RECORDING_KEY} entry takes only record_ids and positions, not ${extra.join(', ')}`;
  const ids = item['record_ids'];
  const positions = item['positions'];
  if (ids !== undefined && (!Array.isArray(ids) || !ids.every((x) => typeof x === 'number' || typeof x === 'string'))) return 'record_ids must be a list of EventRecordID values';
  if (positions !== undefined && (!Array.isArray(positions) || !positions.every((x) => Number.isInteger(x) && (x as number) >= 0))) return 'positions must be a list of 0-based event positions';
  return { path, ...(ids ? { recordIds: ids as (number | string)[] } : {}), ...(positions ? { positions: positions as number[] } : {}) };
}

/** The events a reference stands for; a selection that finds nothing is an error naming what is missing. */
export function recordingEvents(ref: RecordingRef, scenarioFile: string): Event[] {
  const file = isAbsolute(ref.path) ? ref.path : join(dirname(scenarioFile), ref.path);
  const ids = ref.recordIds ? new Set(ref.recordIds.map(String)) : undefined;
  const positions = ref.positions ? new Set(ref.positions) : undefined;
  const out: Event[] = [];
  const found = new Set<string>();
  const damage: string[] = [];
  let i = 0;
  try {
    for (const ev of streamEvents(file, { onProblem: (_f, p) => damage.push(`offset ${p.offset}: ${p.message}`) })) {
      const position = i++;
      const id = ev['EventRecordID'];
      const byId = ids !== undefined && (typeof id === 'number' || typeof id === 'string') && ids.has(String(id));
      const byPosition = positions?.has(position) ?? false;
      if ((ids === undefined && positions === undefined) || byId || byPosition) out.push(ev);
      if (byId) found.add(String(id));
      if (byPosition) found.add(`#${position}`);
    }
  } catch (e) {
    if (!(e instanceof HarnessError)) throw e;
    const where = (d: HarnessError['diagnostics'][number]) => (d.span ? `${d.span.file}:${d.span.line}: ` : '');
    throw new HarnessError(e.diagnostics.map((d) => ({ ...d, message: `recording ${where(d)}${d.message}`, span: { file: scenarioFile, line: 1, column: 1 } })));
  }
  // Without a selection the case stands for every event: a skipped damaged record would change it unseen.
  if (damage.length && ids === undefined && positions === undefined) {
    throw new HarnessError([{ code: 'scenario/recording', severity: 'error', message: `${file} is damaged (${damage.length} record${damage.length === 1 ? '' : 's'} skipped; first at ${damage[0]}): select the records the case uses with record_ids or positions`, span: { file: scenarioFile, line: 1, column: 1 } }]);
  }
  const missing = [...(ids ?? [])].filter((x) => !found.has(x)).map((x) => `EventRecordID ${x}`).concat([...(positions ?? [])].filter((p) => !found.has(`#${p}`)).map((p) => `position ${p}`));
  if (missing.length) throw new HarnessError([{ code: 'scenario/recording', severity: 'error', message: `${file} has no ${missing.join(', ')}`, span: { file: scenarioFile, line: 1, column: 1 } }]);
  if (out.length === 0) throw new HarnessError([{ code: 'scenario/recording', severity: 'error', message: `${file} holds no events`, span: { file: scenarioFile, line: 1, column: 1 } }]);
  return out;
}
