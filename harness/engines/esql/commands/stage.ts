import type { Runtime } from '../compile/scope.ts';
import { Scope } from '../compile/scope.ts';
import type { Column, Value } from '../types.ts';

export type Row = readonly Value[];

/** A compiled command: its output columns and a function from input rows to output rows. */
export interface Stage {
  readonly columns: readonly Column[];
  /** Lazy where it can be, so LIMIT stops an MV_EXPAND explosion early. */
  run(rows: Iterable<Row>): Iterable<Row>;
}

export function* mapRows(rows: Iterable<Row>, f: (r: Row) => Row): Iterable<Row> {
  for (const r of rows) yield f(r);
}

/** What compiling a command may read: the query text, the runtime, the indices. */
export interface PlanContext {
  readonly source: string;
  readonly rt: Runtime;
  readonly indices: IndexResolver;
}

/** A named table of typed columns, as FROM reads it. */
export interface EsqlIndex {
  readonly name: string;
  readonly columns: readonly Column[];
  readonly rows: readonly Row[];
}

export interface IndexResolver {
  /** Every known index name. */
  names(): readonly string[];
  get(name: string): EsqlIndex | undefined;
}

export const scopeOf = (columns: readonly Column[], ctx: PlanContext): Scope => new Scope(columns, ctx.source, ctx.rt);

/**
 * Append computed columns: a new column replaces any earlier column of the
 * same name (which leaves its place), as EVAL and ROW do in Elasticsearch.
 */
export function appendColumns(input: readonly Column[], added: readonly Column[]): { columns: Column[]; keep: number[] } {
  const names = new Set(added.map((c) => c.name));
  const keep: number[] = [];
  input.forEach((c, i) => {
    if (!names.has(c.name)) keep.push(i);
  });
  const lastOf = new Map<string, number>();
  added.forEach((c, i) => lastOf.set(c.name, i));
  const columns = [...keep.map((i) => input[i] as Column), ...added.filter((c, i) => lastOf.get(c.name) === i)];
  return { columns, keep };
}
