import { QuerySyntaxError } from '../../engines/common/query-syntax-error.ts';
import { compileEsql, indexResolver, NotEvaluableError } from '../../engines/esql/index.ts';
import { resultCsv, resultJson, resultText } from '../../engines/esql/format-result.ts';
import { loadIndexFile } from '../../engines/esql/index-files.ts';
import { referencedFields } from '../../engines/esql/referenced-fields.ts';
import { parseIsoInstant } from '../../mapping/date-format.ts';
import { ecsMapping, loadMappingFile, type IndexMapping } from '../../mapping/index.ts';
import { EXIT, UsageError, type Command } from '../command.ts';

const usage = `Usage:
  rule-harness query --language esql --query '<text>' --index <name>=<file> [--index …]
                     [--mapping <name>=<mapping.json> …] [--now <ISO time>] [--format json|csv|text]

Evaluate an ES|QL query offline over named indices. An index file is JSON Lines,
a JSON array of events, or an Elasticsearch csv-spec data CSV (name:type headers).
Event fields are typed by the index's --mapping (over ECS), else ECS, else the
JSON type; csv-spec headers carry their own types. FROM patterns (logs-*,
-excluded) match the --index names.

  --now      the time NOW() returns (default: the current time)
  --format   json: exactly the _query API response body {"columns": […], "values": […]}
                   plus "warnings" when there are any
             csv:  a header line and one line per row
             text: (default) an aligned table, then the warnings

Exit codes: 0 success, 2 bad input (a query error names line and column).`;

function str(v: string | boolean | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** `name=value` pairs of a repeatable option. */
function pairs(argv: readonly string[], option: string): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    let v: string | undefined;
    if (a === `--${option}`) v = argv[++i];
    else if (a.startsWith(`--${option}=`)) v = a.slice(option.length + 3);
    else continue;
    const eq = v?.indexOf('=') ?? -1;
    if (v === undefined || eq <= 0) throw new UsageError(`--${option} takes <name>=<file>, got '${v ?? ''}'\n\n${usage}`);
    out.push([v.slice(0, eq), v.slice(eq + 1)]);
  }
  return out;
}

export const queryCommand: Command = {
  name: 'query',
  summary: 'evaluate an ES|QL query over named event files (output as the _query API gives it)',
  usage,
  options: {
    language: { type: 'string', default: 'esql' },
    query: { type: 'string' },
    index: { type: 'string', multiple: true },
    mapping: { type: 'string', multiple: true },
    now: { type: 'string' },
    format: { type: 'string', default: 'text' },
  },
  run({ values, argv }, io) {
    const language = str(values.language) ?? 'esql';
    if (language !== 'esql') throw new UsageError(`--language must be esql, not '${language}' (EQL/KQL/Lucene: rule-harness match)\n\n${usage}`);
    const format = str(values.format) ?? 'text';
    if (format !== 'json' && format !== 'csv' && format !== 'text') throw new UsageError(`--format must be json, csv or text, not '${format}'\n\n${usage}`);
    const text = str(values.query);
    if (text === undefined) throw new UsageError(`--query is required\n\n${usage}`);
    const nowText = str(values.now);
    // Read as Elasticsearch reads dates: a time without a zone is UTC, not the machine's local time.
    const now = nowText === undefined ? Date.now() : parseIsoInstant(nowText);
    if (now === undefined) throw new UsageError(`--now must be an ISO time, not '${nowText ?? ''}'`);
    const indexArgs = pairs(argv, 'index');
    const mappings = new Map<string, IndexMapping>(pairs(argv, 'mapping').map(([n, f]) => [n, loadMappingFile(f).over(ecsMapping())]));
    for (const n of mappings.keys()) if (!indexArgs.some(([i]) => i === n)) throw new UsageError(`--mapping ${n}=… names no --index`);
    let query;
    try {
      query = compileEsql(text);
    } catch (e) {
      if (e instanceof QuerySyntaxError) {
        io.err(`query: ${e.message}`);
        return EXIT.badInput;
      }
      throw e;
    }
    const wanted = referencedFields(query.ast);
    const indices = indexResolver(indexArgs.map(([name, file]) => loadIndexFile(name, file, mappings.get(name), wanted)));
    let result;
    try {
      result = query.run(indices, { now });
    } catch (e) {
      if (e instanceof QuerySyntaxError) {
        io.err(`query: ${e.message}`);
        return EXIT.badInput;
      }
      if (e instanceof NotEvaluableError) {
        io.err(`query: not evaluable offline: ${e.message}`);
        return EXIT.badInput;
      }
      throw e;
    }
    io.out(format === 'json' ? resultJson(result) : format === 'csv' ? resultCsv(result) : resultText(result));
    return EXIT.ok;
  },
};
