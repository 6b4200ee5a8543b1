/**
 * ES|QL data types as the `_query` API reports them, and the value model of
 * the engine. Narrow numeric and text field types of a mapping widen on read
 * (short/byte → integer, float/half_float/scaled_float → double), as in
 * Elasticsearch.
 */
export type EsType =
  | 'null'
  | 'boolean'
  | 'integer'
  | 'long'
  | 'unsigned_long'
  | 'double'
  | 'keyword'
  | 'text'
  | 'ip'
  | 'version'
  | 'date'
  | 'date_nanos'
  | 'geo_point'
  | 'cartesian_point'
  | 'time_duration'
  | 'date_period'
  | 'unsupported';

/** A single value: dates are epoch milliseconds, IPs canonical text, geo points 'POINT (x y)'. */
export type Scalar = boolean | number | string;
/** A field value: null, one value, or a multi-value (an array of ≥ 2 scalars). */
export type Value = Scalar | readonly Scalar[] | null;

export interface Column {
  readonly name: string;
  readonly type: EsType;
}

/** Rows are arrays parallel to the columns. */
export interface Table {
  readonly columns: readonly Column[];
  readonly rows: readonly (readonly Value[])[];
}

const WIDEN: Record<string, EsType> = {
  byte: 'integer',
  short: 'integer',
  integer: 'integer',
  i: 'integer',
  int: 'integer',
  long: 'long',
  l: 'long',
  unsigned_long: 'unsigned_long',
  ul: 'unsigned_long',
  double: 'double',
  d: 'double',
  float: 'double',
  half_float: 'double',
  scaled_float: 'double',
  keyword: 'keyword',
  k: 'keyword',
  s: 'keyword',
  string: 'keyword',
  wildcard: 'keyword',
  constant_keyword: 'keyword',
  match_only_text: 'text',
  text: 'text',
  boolean: 'boolean',
  bool: 'boolean',
  date: 'date',
  datetime: 'date',
  dt: 'date',
  date_nanos: 'date_nanos',
  ip: 'ip',
  version: 'version',
  v: 'version',
  geo_point: 'geo_point',
  cartesian_point: 'cartesian_point',
  null: 'null',
  time_duration: 'time_duration',
  date_period: 'date_period',
};

/** An Elasticsearch field type (mapping or csv-spec header spelling) as ES|QL reads it. */
export function esTypeOf(mappingType: string): EsType {
  return WIDEN[mappingType.trim().toLowerCase()] ?? 'unsupported';
}

export const isNumeric = (t: EsType): boolean => t === 'integer' || t === 'long' || t === 'double' || t === 'unsigned_long';
export const isString = (t: EsType): boolean => t === 'keyword' || t === 'text';

/** The values of a field value as a list (null → none). */
export function valuesOf(v: Value): readonly Scalar[] {
  if (v === null) return [];
  return Array.isArray(v) ? (v as readonly Scalar[]) : [v as Scalar];
}

/** A list of values as a field value: none → null, one → scalar. */
export function fromValues(vs: readonly Scalar[]): Value {
  if (vs.length === 0) return null;
  return vs.length === 1 ? (vs[0] as Scalar) : vs;
}

export const isMulti = (v: Value): v is readonly Scalar[] => Array.isArray(v);
