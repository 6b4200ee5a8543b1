import type { Query } from './ast.ts';
import type { EsqlIndex, IndexResolver, Row, Sink, Stage } from './commands/stage.ts';
import { NotEvaluableError } from './commands/completion.ts';
import { parseEsql } from './parse/parser.ts';
import { compilePlan, DEFAULT_LIMIT } from './plan.ts';
import type { Column } from './types.ts';
import { Warnings } from './warnings.ts';

/**
 * The ES|QL engine: parse (recursive descent, located errors), compile each
 * command against its input columns into closures, run over in-memory indices.
 * @example compileEsql('FROM logs-* | WHERE process.name == "cmd.exe" | KEEP host.name').run(indices, { now })
 */
export interface EsqlResult {
  readonly columns: readonly Column[];
  readonly rows: readonly Row[];
  readonly warnings: readonly string[];
}

export interface RunOptions {
  /** NOW() in epoch millis: the caller's clock (CLI --now, a scenario's time). */
  readonly now: number;
}

export interface EsqlQuery {
  readonly ast: Query;
  /** Why the query cannot run offline (e.g. COMPLETION), empty when it can. */
  readonly notEvaluable: readonly string[];
  run(indices: IndexResolver, options: RunOptions): EsqlResult;
}

export function compileEsql(source: string): EsqlQuery {
  return compileEsqlAst(parseEsql(source));
}

/** A parsed (possibly rewritten) query; its spans point into `ast.source`. */
export function compileEsqlAst(ast: Query): EsqlQuery {
  const source = ast.source;
  const notEvaluable = ast.commands.flatMap((c) => (c.command === 'completion' ? ['COMPLETION calls an inference endpoint (an LLM) and cannot be evaluated offline'] : []));
  const hasLimit = ast.commands.some((c) => c.command === 'limit');
  return {
    ast,
    notEvaluable,
    run(indices, options) {
      const warnings = new Warnings(source);
      const stages = compilePlan(ast, { source, rt: { warnings, now: options.now }, indices });
      const out: Row[] = [];
      let sink: Sink = { push: (r) => (out.push(r), hasLimit || out.length < DEFAULT_LIMIT), end: () => undefined };
      for (let i = stages.length - 1; i >= 1; i--) sink = (stages[i] as Stage).open(sink);
      const first = stages[0];
      if (first?.produce === undefined) throw new Error('an ES|QL query starts with a source command');
      first.produce(sink);
      const columns = stages.at(-1)?.columns ?? [];
      const rows = out.map((r) => (r.length === columns.length && !r.includes(undefined as unknown as null) ? r : columns.map((_, i) => r[i] ?? null)));
      return { columns, rows, warnings: warnings.list() };
    },
  };
}

/** Indices held in memory, by name. */
export function indexResolver(indices: readonly EsqlIndex[]): IndexResolver {
  const byName = new Map(indices.map((i) => [i.name, i]));
  return { names: () => [...byName.keys()], get: (n) => byName.get(n) };
}

export { NotEvaluableError, parseEsql };
export type { EsqlIndex, IndexResolver, Row };
export type { Column, EsType, Value } from './types.ts';
