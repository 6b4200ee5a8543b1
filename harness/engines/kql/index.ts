import { compileQuery, type CompiledQuery } from './compile-query.ts';
import type { QueryOptions } from './field-semantics.ts';
import { parseKql } from './kql-parser.ts';

/**
 * The KQL engine (Kibana Query Language, kql.md): parse with a hand-written
 * recursive-descent parser, compile once into closures.
 * @example compileKql('process.name: cmd.exe and not user.name: SYSTEM').matches(event)
 * @example queries.filter((q) => q.matchesPrepared(prepared)) // prepared = prepareEvent(event), once per event
 * @throws QuerySyntaxError (with offset) for any syntax error
 */
export function compileKql(query: string, options?: QueryOptions): CompiledQuery {
  return compileQuery(parseKql(query), options);
}

export { compileQuery, parseKql };
export { FieldIndex, type PreparedEvent } from '../common/prepared-event.ts';
export { defaultFieldIndex, prepareEvent } from './default-field-index.ts';
export { KqlQuerySet } from './query-set.ts';
export type { CompiledQuery, QueryOptions };
export type { FieldName, QueryNode, RangeOp, TermValue } from './query-ast.ts';
export type { FieldType, Semantics } from './field-semantics.ts';
