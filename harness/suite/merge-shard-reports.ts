/**
 * `npx tsx harness/suite/merge-shard-reports.ts <out.json> <shard.json>...`:
 * merge the JSON reports (`--reporter=json`) of a suite run as `--shard=i/n`
 * on several machines into one report of the whole run.
 *
 * Why not `vitest --merge-reports`: it identifies tests by file and position,
 * and the rule suites run in every shard, each with its own rules
 * (rule-shard.ts), so it would merge one shard's rule-suite part file over
 * another's. Here a file's results from each shard are kept side by side and
 * the counts are recomputed.
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../core/atomic-write.ts';

interface AssertionResult {
  readonly fullName: string;
  readonly status: string;
}
interface FileResult {
  readonly name: string;
  readonly status: string;
  readonly startTime?: number;
  readonly assertionResults: readonly AssertionResult[];
}
export interface JsonReport {
  readonly success: boolean;
  readonly startTime?: number;
  readonly testResults: readonly FileResult[];
  readonly [k: string]: unknown;
}

export function mergeShardReports(reports: readonly JsonReport[]): JsonReport {
  const testResults = reports.flatMap((r) => r.testResults);
  const tests = testResults.flatMap((f) => f.assertionResults);
  const count = (status: string): number => tests.filter((t) => t.status === status).length;
  return {
    numTotalTestSuites: testResults.length,
    numPassedTestSuites: testResults.filter((f) => f.status === 'passed').length,
    numFailedTestSuites: testResults.filter((f) => f.status === 'failed').length,
    numPendingTestSuites: testResults.filter((f) => f.status !== 'passed' && f.status !== 'failed').length,
    numTotalTests: tests.length,
    numPassedTests: count('passed'),
    numFailedTests: count('failed'),
    numPendingTests: count('pending') + count('skipped'),
    numTodoTests: count('todo'),
    startTime: Math.min(...reports.map((r) => r.startTime ?? Infinity)),
    success: reports.every((r) => r.success),
    testResults,
  };
}

function readReport(file: string): JsonReport {
  const r = JSON.parse(readFileSync(file, 'utf8')) as Partial<JsonReport>;
  if (!Array.isArray(r.testResults)) throw new Error(`${file}: not a vitest JSON report (no testResults array)`);
  return r as JsonReport;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [out, ...inputs] = process.argv.slice(2);
  if (!out || inputs.length === 0 || out === '--help' || out === '-h') {
    console.error('Usage: npx tsx harness/suite/merge-shard-reports.ts <out.json> <shard-report.json>...');
    process.exit(out === '--help' || out === '-h' ? 0 : 2);
  }
  try {
    const merged = mergeShardReports(inputs.map(readReport));
    writeFileAtomic(out, `${JSON.stringify(merged)}\n`);
    console.error(`${out}: ${String(merged.numTotalTests)} tests from ${inputs.length} shard report(s), ${merged.success ? 'all passed' : 'with failures'}`);
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
}
