/**
 * A syntax or semantic error inside a query text (EQL, KQL, Lucene, a Sigma
 * condition). `offset` is 0-based into the query; `line`/`column` are 1-based.
 * Rule loaders add the offset to the query's own position in the rule file;
 * the bare-query CLI reports line/column directly.
 */
export class QuerySyntaxError extends Error {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
  constructor(message: string, query: string, offset: number) {
    const clamped = Math.max(0, Math.min(offset, query.length));
    const before = query.slice(0, clamped).split('\n');
    const line = before.length;
    const column = (before.at(-1)?.length ?? 0) + 1;
    super(`${message} (at line ${line}, column ${column})`);
    this.name = 'QuerySyntaxError';
    this.offset = clamped;
    this.line = line;
    this.column = column;
  }
}
