import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReferenceCount } from '../engines/eql/bench-differences.ts';
import { benchData, requireShared } from './corpus.ts';
import type { RunResult } from './workloads.ts';

/**
 * `eql-eval`: the 50 single-event corpus queries × 100,000 ECS events of
 * ../shared/bench, through the engine's indexed query set. The timed run
 * includes every preparation step (compiling the queries, building the
 * index); only loading and parsing the files is outside. The counts are
 * checked against eql_rules_expected.json, allowing exactly the documented
 * Elasticsearch differences (engines/eql/bench-differences.ts).
 */
export async function eqlEvalWorkload(): Promise<() => RunResult> {
  const [{ compileEqlSet }, { checkCounts }] = await Promise.all([import('../engines/eql/index.ts'), import('../engines/eql/bench-differences.ts')]);
  const d = benchData('eql_rules');
  const refs = (JSON.parse(readFileSync(join(requireShared('bench'), 'eql_rules_expected.json'), 'utf8')) as { queries: ReferenceCount[] }).queries;
  return () => {
    const counts = compileEqlSet(d.queries).countMatches(d.events);
    const { ok, note } = checkCounts(counts, refs);
    return { units: d.queries.length * d.events.length, ok, note };
  };
}
