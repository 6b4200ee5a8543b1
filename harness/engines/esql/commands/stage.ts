import type { Runtime } from '../compile/scope.ts';
import { Scope } from '../compile/scope.ts';
import type { Column, Value } from '../types.ts';

export type Row = readonly Value[];

/** Where a stage pushes its rows; `push` returns false when no more rows are wanted (LIMIT reached). */
export interface Sink {
  push(row: Row): boolean;
  end(): void;
}

/**
 * A compiled command: its output columns and a push-based operator. Rows flow
 * one at a time (so LIMIT stops an MV_EXPAND explosion early and nothing is
 * materialised but SORT and STATS input); a source (FROM, ROW) produces rows.
 */
export interface Stage {
  readonly columns: readonly Column[];
  open(next: Sink): Sink;
  produce?(into: Sink): void;
}

/** A stage that maps each row to one row. */
export function mapStage(columns: readonly Column[], f: (r: Row) => Row): Stage {
  return { columns, open: (next) => ({ push: (r) => next.push(f(r)), end: () => next.end() }) };
}

/** A source stage over a row producer (`emit` returns false to stop). */
export function sourceStage(columns: readonly Column[], rows: (emit: (r: Row) => boolean) => void): Stage {
  return {
    columns,
    open: (next) => next,
    produce: (into) => {
      rows((r) => into.push(r));
      into.end();
    },
  };
}

/** A stage that needs all its input before it emits (SORT, STATS). */
export function blockingStage(columns: readonly Column[], finish: (rows: Row[]) => Iterable<Row>): Stage {
  return {
    columns,
    open: (next) => {
      const rows: Row[] = [];
      return {
        push: (r) => (rows.push(r), true),
        end: () => {
          for (const r of finish(rows)) if (!next.push(r)) break;
          next.end();
        },
      };
    },
  };
}

/** One stage run to the end on its input rows (a source, `first`, produces its own); its output table. */
export function runStage(stage: Stage, input: readonly Row[], first: boolean): Row[] {
  const out: Row[] = [];
  const collect: Sink = { push: (r) => (out.push(r), true), end: () => undefined };
  if (first && stage.produce) stage.produce(collect);
  else {
    const sink = stage.open(collect);
    for (const r of input) if (!sink.push(r)) break;
    sink.end();
  }
  return out;
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
  /**
   * Set when `columns` are already in the order FROM lists them; rows may then
   * be shorter than `columns` (the missing trailing values are null) and FROM
   * passes them on without copying.
   */
  readonly ordered?: boolean;
  /** Row i's original document as JSON (METADATA _source), when the index has them. */
  source?(i: number): string;
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
