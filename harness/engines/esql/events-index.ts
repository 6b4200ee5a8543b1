import type { Event } from '../../core/event.ts';
import { isRecord } from '../../core/event.ts';
import type { EsqlIndex, Row } from './commands/stage.ts';
import { docValues, storedNumber } from './csv-spec/data-csv.ts';
import { globRegExp } from './glob.ts';
import { esTypeOf, type Column, type EsType, type Scalar, type Value } from './types.ts';
import { formatDouble, parseDate, parseIp } from './values.ts';

/**
 * Field types of an index: the Elasticsearch mapping type of a field, given
 * one of its values (for a dynamic mapping), or undefined when unmapped. The
 * mapping layer (harness/mapping: ECS by default, `--mapping` files) plugs in
 * here; so does a plain table.
 */
export interface FieldTypes {
  typeOf(field: string, sample?: unknown): { readonly type: string; readonly scalingFactor?: number; readonly value?: unknown } | undefined;
  /** Every field the mapping defines (for the names a query asks for that no event has). */
  names?(): Iterable<string>;
}

/** Leaf values of an event by dotted path: nested objects and literal dotted keys alike; arrays are multi-values. */
function flatten(v: unknown, prefix: string, out: Map<string, unknown[]>): void {
  if (Array.isArray(v)) {
    for (const x of v) flatten(x, prefix, out);
    return;
  }
  if (isRecord(v)) {
    for (const [k, x] of Object.entries(v)) flatten(x, prefix ? `${prefix}.${k}` : k, out);
    return;
  }
  if (v === null || v === undefined || prefix === '') return;
  const list = out.get(prefix);
  if (list) list.push(v);
  else out.set(prefix, [v]);
}

/** A JSON leaf as a keyword / text column holds it (numbers in Elasticsearch's text form). */
export function keywordText(v: unknown): string {
  return typeof v === 'number' ? (Number.isInteger(v) ? String(v) : formatDouble(v)) : String(v);
}

/** One JSON value as a value of an ES|QL type; undefined when it does not convert (Elasticsearch would reject or ignore it). */
function convert(v: unknown, type: EsType, mappingType: string, scaling?: number): Scalar | undefined {
  switch (type) {
    case 'keyword':
    case 'text':
    case 'version':
      return keywordText(v);
    case 'integer':
    case 'long':
    case 'unsigned_long':
    case 'double': {
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : typeof v === 'boolean' ? Number(v) : NaN;
      if (Number.isNaN(n)) return undefined;
      return storedNumber(mappingType, type === 'double' ? n : Math.trunc(n), scaling);
    }
    case 'boolean':
      return typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : undefined;
    case 'date':
    case 'date_nanos':
      return typeof v === 'number' ? v : parseDate(String(v));
    case 'ip':
      return parseIp(String(v));
    default:
      return String(v);
  }
}

/** How one field's JSON values become a column's value. */
export interface FieldPlan {
  readonly column: Column;
  /** The field's leaf values in one event (undefined: the event lacks it). */
  value(raw: readonly unknown[] | undefined): Value;
}

/**
 * The column of field `name` as `types` (given one of its values, for a
 * dynamic mapping) types it, else the JSON type; undefined for an object or
 * nested field, which is no column.
 */
export function fieldPlan(name: string, types: FieldTypes, sample?: unknown): FieldPlan | undefined {
  const t = types.typeOf(name, sample);
  const mappingType = t?.type ?? (typeof sample === 'number' ? (Number.isInteger(sample) ? 'long' : 'double') : typeof sample === 'boolean' ? 'boolean' : 'keyword');
  if (mappingType === 'object' || mappingType === 'nested') return undefined;
  const type = esTypeOf(mappingType);
  const scaling = t?.scalingFactor;
  const constant = mappingType === 'constant_keyword' && t?.value !== undefined && t.value !== null ? String(t.value) : null;
  return {
    column: { name, type },
    value(raw) {
      if (raw === undefined) return constant;
      const vs = raw.map((x) => convert(x, type, mappingType, scaling)).filter((x): x is Scalar => x !== undefined);
      return docValues(vs.length === 0 ? null : vs.length === 1 ? (vs[0] as Scalar) : vs, type);
    },
  };
}

/** Leaf values of an event by dotted path (see flatten). */
export function eventLeaves(e: unknown): Map<string, unknown[]> {
  const m = new Map<string, unknown[]>();
  flatten(e, '', m);
  return m;
}

/**
 * JSON events as an ES|QL index. Columns are the fields the events hold (in
 * name order), then the mapped fields in `alsoFields` that no event has (they
 * exist, as nulls, in a mapped index; listed after the others, so rows stay
 * as narrow as the events). Types come from `types`, else the JSON type
 * (string → keyword, whole number → long, fraction → double).
 */
export function indexFromEvents(name: string, events: readonly Event[], types: FieldTypes, alsoFields: Iterable<string> = []): EsqlIndex {
  const flat = events.map(eventLeaves);
  const present = new Set<string>();
  for (const m of flat) for (const k of m.keys()) present.add(k);
  const absent = new Set<string>();
  const mapped = new Set(types.names ? types.names() : []);
  for (const f of alsoFields) {
    if (present.has(f)) continue;
    if (mapped.has(f)) absent.add(f);
    else if (f.includes('*')) {
      const re = globRegExp(f);
      for (const m of mapped) if (re.test(m) && !present.has(m)) absent.add(m);
    }
  }
  const columns: Column[] = [];
  const plans: FieldPlan[] = [];
  const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  for (const n of [...[...present].sort(byName), ...[...absent].sort(byName)]) {
    const plan = fieldPlan(n, types, flat.find((m) => m.has(n))?.get(n)?.[0]);
    if (!plan) continue;
    columns.push(plan.column);
    plans.push(plan);
  }
  // Rows hold the present fields; the absent ones (after them) read as null.
  const width = columns.filter((c) => present.has(c.name)).length;
  const rows: Row[] = flat.map((m) => columns.slice(0, width).map((c, i): Value => (plans[i] as FieldPlan).value(m.get(c.name))));
  return { name, columns, rows, ordered: true, source: (i) => JSON.stringify(events[i]) };
}
