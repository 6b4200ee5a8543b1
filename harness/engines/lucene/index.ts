import { compileQuery, type CompiledQuery, type QueryOptions } from '../kql/index.ts';
import { parseLucene } from './lucene-parser.ts';

/**
 * The Lucene query-string engine (rules with `language = "lucene"`): its own
 * parser, the KQL engine's compiler and field-value semantics (kql.md §9).
 * @example compileLucene('process.name:(cmd.exe OR powershell.exe) AND NOT user.name:SYSTEM').matches(event)
 * @throws QuerySyntaxError (with offset) for any syntax error
 */
export function compileLucene(query: string, options?: QueryOptions): CompiledQuery {
  return compileQuery(parseLucene(query), options);
}

export { parseLucene };
