import { QuerySyntaxError } from '../../common/query-syntax-error.ts';
import type { Span } from '../ast.ts';
import type { Column, EsType, Value } from '../types.ts';
import type { Warnings } from '../warnings.ts';

/** A compiled expression: its ES|QL type and a closure over a row. */
export interface Evaluator {
  readonly type: EsType;
  readonly eval: (row: readonly Value[]) => Value;
  /** Set when the value does not depend on the row (a literal, or built from literals only). */
  readonly constant?: boolean;
}

/** What evaluation reads besides the row: the warning sink and the clock. */
export interface Runtime {
  readonly warnings: Warnings;
  /** NOW(), epoch millis; injected (CLI --now, scenario time), never read from the wall clock here. */
  readonly now: number;
}

/** Columns in scope for one command, plus the query text for errors. */
export class Scope {
  private readonly byName = new Map<string, number>();
  constructor(
    readonly columns: readonly Column[],
    readonly source: string,
    readonly rt: Runtime,
  ) {
    columns.forEach((c, i) => this.byName.set(c.name, i));
  }
  indexOf(name: string): number {
    return this.byName.get(name) ?? -1;
  }
  /** A located verification error, as Elasticsearch reports it ("Unknown column [x]"). */
  error(message: string, span: Span): QuerySyntaxError {
    return new QuerySyntaxError(message, this.source, span.start);
  }
  text(span: Span): string {
    return this.source.slice(span.start, span.end);
  }
}

export const constantOf = (type: EsType, value: Value): Evaluator => ({ type, eval: () => value, constant: true });
