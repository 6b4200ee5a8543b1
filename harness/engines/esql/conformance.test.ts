import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkResult } from './csv-spec/check.ts';
import { indexFromCsv, withConstantKeywords } from './csv-spec/data-csv.ts';
import { outOfScope } from './csv-spec/scope.ts';
import { parseSpecFile, type SpecTest } from './csv-spec/spec-file.ts';
import { compileEsql, indexResolver, type EsqlIndex } from './index.ts';

/**
 * Elasticsearch's ES|QL csv-spec suite (12 files, 447 tests; copied with
 * their data into ./conformance, Elastic License 2.0 — see its README).
 * Out-of-scope tests follow the rule in csv-spec/scope.ts and are counted
 * and listed; every in-scope test must pass except the KNOWN_FAILURES below.
 */
const dir = join(import.meta.dirname, 'conformance');

function loadIndices(): EsqlIndex[] {
  const datasets = JSON.parse(readFileSync(join(dir, 'data', 'datasets.json'), 'utf8')) as Record<string, { data: string; mapping: string }>;
  return Object.entries(datasets).map(([name, d]) =>
    withConstantKeywords(indexFromCsv(name, readFileSync(join(dir, 'data', d.data), 'utf8')), JSON.parse(readFileSync(join(dir, 'data', d.mapping), 'utf8'))),
  );
}

/** In-scope tests this engine does not pass yet, each with the reason (asserted exact). */
const KNOWN_FAILURES: Record<string, string> = {
  'boolean.csv-spec convertFromUnsignedLong': 'unsigned_long values above 2^53 need 64-bit integers; the engine holds numbers as doubles',
  'string.csv-spec convertFromUnsignedLong': 'unsigned_long values above 2^53 need 64-bit integers; the engine holds numbers as doubles',
  'conditional.csv-spec nullValue': "the planner's 'Expression [1 + null] always evaluates to NULL.' warning (warn_null_misuse) is not implemented",
  'mv_expand.csv-spec expandAfterSort1': "Elasticsearch's top-N sort is not stable: rows tied on the key (two nulls) come back in an order a stable sort does not reproduce",
  'stats_count_distinct.csv-spec countDistinctOfIpPrecision#[skip:-8.12.99,reason:expression spaces are maintained since 8.13]':
    'COUNT_DISTINCT with precision 5 is a HyperLogLog++ estimate (9 for 8 distinct IPs); the engine counts exactly',
  'string.csv-spec convertFromFloats': 'this older file expects scaled_float 2.03 as 2.0300000000000002; the newer files (fix_precision_of_scaled_float_fields) expect 2.03, which the engine gives',
};

const NOW = Date.parse('2024-06-01T00:00:00Z');

function runTest(t: SpecTest, indices: ReturnType<typeof indexResolver>): string[] {
  try {
    const r = compileEsql(t.query).run(indices, { now: NOW });
    return checkResult(t, r);
  } catch (e) {
    return [`error: ${(e as Error).message}`];
  }
}

describe('ES|QL conformance: Elasticsearch csv-spec files', () => {
  const files = readdirSync(join(dir, 'spec')).filter((f) => f.endsWith('.csv-spec')).sort();
  const tests = files.flatMap((f) => parseSpecFile(f, readFileSync(join(dir, 'spec', f), 'utf8')));
  const indices = indexResolver(loadIndices());

  it('runs every in-scope test; ≥ 95 % pass and the in-scope share is ≥ 70 %', () => {
    const skipped: string[] = [];
    const failed: Record<string, string> = {};
    let inScope = 0;
    for (const t of tests) {
      const why = outOfScope(t);
      if (why !== undefined) {
        skipped.push(`${t.file}:${t.line} ${t.name} — ${why}`);
        continue;
      }
      inScope++;
      const problems = runTest(t, indices);
      if (problems.length > 0) failed[`${t.file} ${t.name}`] = problems.join('; ');
    }
    const passed = inScope - Object.keys(failed).length;
    console.log(
      `ES|QL csv-spec: ${tests.length} tests, ${inScope} in scope (${((100 * inScope) / tests.length).toFixed(1)} %), ` +
        `${passed} pass (${((100 * passed) / inScope).toFixed(1)} % of in scope); out of scope (${skipped.length}):\n  ${skipped.join('\n  ')}`,
    );
    if (Object.keys(failed).length) console.log(`failing:\n  ${Object.entries(failed).map(([k, v]) => `${k}: ${v}`).join('\n  ')}`);
    expect(tests.length).toBe(447);
    expect(inScope / tests.length).toBeGreaterThanOrEqual(0.7);
    expect(passed / inScope).toBeGreaterThanOrEqual(0.95);
    expect(Object.keys(failed).sort()).toEqual(Object.keys(KNOWN_FAILURES).sort());
  });
});
