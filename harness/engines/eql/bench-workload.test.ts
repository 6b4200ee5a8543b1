import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Event } from '../../core/event.ts';
import { DIFFERENCES, type ReferenceCount, checkCounts, expectedCount } from './bench-differences.ts';
import { compileEql, compileEqlSet } from './index.ts';

/**
 * The bench workload (../shared/bench, README there): 50 corpus queries over
 * 100,000 ECS events. Its expected counts come from a simpler reference
 * evaluator (everything case-insensitive, three-valued `not` and `!=`), so
 * every difference is listed with its reason (bench-differences.ts, shared
 * with the bench workload) and checked here against the reference variant
 * (or a rewritten query) that isolates that reason.
 */
const dir = resolve('..', 'shared', 'bench');
const shared = existsSync(resolve(dir, 'eql_rules_events.jsonl.gz'));
if (!shared) console.warn(`EQL bench workload test skipped: ${dir} is absent (needs ../shared beside the checkout)`);

describe.skipIf(!shared)('EQL bench workload counts (needs ../shared)', () => {
  it('matches the reference counts except for the explained differences', () => {
    const queries = (JSON.parse(readFileSync(resolve(dir, 'eql_rules_queries.json'), 'utf8')) as { query: string }[]).map((q) => q.query);
    const expected = (JSON.parse(readFileSync(resolve(dir, 'eql_rules_expected.json'), 'utf8')) as { queries: ReferenceCount[] }).queries;
    const events = gunzipSync(readFileSync(resolve(dir, 'eql_rules_events.jsonl.gz')))
      .toString('utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as Event);
    const count = (q: string): number => {
      const c = compileEql(q);
      let n = 0;
      for (const e of events) if (c.matches(e)) n++;
      return n;
    };
    const got = queries.map(count);
    const unexplained: string[] = [];
    for (const [i, n] of got.entries()) {
      const ref = expected[i]!;
      const diff = DIFFERENCES[i];
      if (!diff) {
        if (n !== ref.matches) unexplained.push(`query ${i}: got ${n}, reference ${ref.matches}`);
        continue;
      }
      expect(n, `query ${i} should differ from the reference (${diff.reason})`).not.toBe(ref.matches);
      expect(n, `query ${i}: ${diff.reason}`).toBe(expectedCount(i, ref));
      if ('variant' in diff) expect(n, `query ${i}: ${diff.reason}`).toBe(ref.matches_not_null_is_true);
      if ('rewrite' in diff) {
        expect(queries[i]).toContain(diff.rewrite[0]);
        expect(count(queries[i]!.replace(diff.rewrite[0], diff.rewrite[1])), `query ${i} rewritten: ${diff.reason}`).toBe(ref.matches);
      }
    }
    console.log(`EQL bench: ${got.length - Object.keys(DIFFERENCES).length} of ${got.length} counts equal the reference; ${Object.keys(DIFFERENCES).length} explained differences`);
    expect(unexplained).toEqual([]);
    // The workload's check agrees, and so does the indexed query set (what the bench times).
    expect(checkCounts(got, expected).ok).toBe(true);
    expect(compileEqlSet(queries).countMatches(events)).toEqual(got);
    // A count off by one anywhere fails the workload's check.
    expect(checkCounts(got.map((n, i) => (i === 5 ? n + 1 : n)), expected)).toMatchObject({ ok: false });
    expect(checkCounts(got.map((n, i) => (i === 0 ? expected[0]!.matches : n)), expected)).toMatchObject({ ok: false });
  });
});
