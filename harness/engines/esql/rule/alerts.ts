import type { Row } from '../commands/stage.ts';
import type { Column, Value } from '../types.ts';
import { valuesOf } from '../types.ts';
import { EVENTS_COLUMN } from './provenance.ts';

/**
 * What Kibana's ES|QL rule executor makes of the result table
 * (x-pack/solutions/security/plugins/security_solution/server/lib/detection_engine/rule_types/esql/:
 * esql.ts, wrap_esql_alerts.ts, utils/generate_alert_id.ts, utils/get_mv_expand_usage.ts,
 * utils/get_transformed_query.ts): every row is a candidate alert whose id is
 * - non-aggregating query whose result holds `_id` (Kibana injects `METADATA _id`,
 *   provenance.ts resultHasId): hash(_id, _version, _index, rule) plus, when the query
 *   uses MV_EXPAND, the expanded fields' values (all of them in the result) or else the
 *   whole row;
 * - otherwise (aggregating, or `_id` dropped): hash(execution, query, rule, row number) — unique per row.
 * Alerts are de-duplicated by id (lodash uniqBy) and at most `max_signals` are written.
 * The harness's `_id` already names the index, and `_version` is 1 for every document.
 */
export interface AlertShape {
  readonly aggregating: boolean;
  /** The result Kibana reads holds `_id` (provenance.ts resultHasId). */
  readonly keyedById: boolean;
  readonly expanded: readonly string[];
  readonly maxSignals: number;
}

export interface TableAlert {
  /** Positions of the case events behind the row; undefined when the query lost track of them. */
  readonly events: readonly number[] | undefined;
  readonly row: number;
}

function key(shape: AlertShape, columns: readonly Column[], row: Row, idAt: number, rowNo: number): string {
  if (shape.aggregating || !shape.keyedById || idAt < 0 || row[idAt] === null) return `row:${rowNo}`;
  const id = String(row[idAt]);
  if (shape.expanded.length === 0) return `id:${id}`;
  const at = shape.expanded.map((f) => columns.findIndex((c) => c.name === f));
  const extra: Value[] = at.every((i) => i >= 0) ? at.map((i) => row[i] ?? null) : [...row];
  return `id:${id}:${JSON.stringify(extra)}`;
}

/** The alerts of a traced result table; `eventOf` maps a METADATA `_id` back to its case event. */
export function tableAlerts(shape: AlertShape, columns: readonly Column[], rows: readonly Row[], eventOf: (id: string) => number | undefined): TableAlert[] {
  const idAt = columns.findIndex((c) => c.name === '_id');
  const groupAt = columns.findIndex((c) => c.name === EVENTS_COLUMN);
  const carrierAt = shape.aggregating ? groupAt : idAt;
  const seen = new Set<string>();
  const out: TableAlert[] = [];
  rows.forEach((row, rowNo) => {
    if (out.length >= shape.maxSignals) return;
    const k = key(shape, columns, row, idAt, rowNo);
    if (seen.has(k)) return;
    seen.add(k);
    const ids = carrierAt < 0 ? undefined : valuesOf(row[carrierAt] ?? null).map((v) => eventOf(String(v)));
    const events = ids === undefined || ids.some((e) => e === undefined) ? undefined : [...new Set(ids as number[])].sort((a, b) => a - b);
    out.push({ events, row: rowNo });
  });
  return out;
}
