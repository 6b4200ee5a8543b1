import { describe, expect, test } from 'vitest';
import type { Detector } from '../core/detector.ts';
import { testRule } from '../core/rule-fixture.ts';
import { esqlConstraints } from '../engines/esql/constraints/query-constraints.ts';
import { parseEsql } from '../engines/esql/parse/parser.ts';
import { fieldGetter } from '../engines/common/fields.ts';
import { caseNearMisses, planFor } from './case-variants.ts';
import { modelOptionsFor } from './model/evaluate.ts';
import { modelAlertCount, parseThreshold } from './model/threshold.ts';
import { draftScenario } from './scaffold.ts';

/** An ES|QL rule as the generator sees it: its rule and constraints (the engine is not needed here). */
function esqlRule(query: string): Pick<Detector, 'rule' | 'constraints'> {
  const rule = testRule({ format: 'elastic', language: 'esql', kind: 'esql', body: { query, type: 'esql' } });
  const c = esqlConstraints(parseEsql(query));
  return { rule, constraints: () => c };
}

const STATS = esqlRule('FROM logs-* | WHERE event.action == "logon-failed" AND user.name IS NOT NULL | STATS n = COUNT(*), users = COUNT_DISTINCT(user.name) BY source.ip | WHERE n >= 4 AND users >= 3');
const model = modelOptionsFor(STATS.rule);

describe('ES|QL in the generator', () => {
  test('the condition model reads bounds and keeps opaque parts apart', () => {
    expect(parseThreshold('count >= 4 and cardinality(user.name) <= 1 and opaque(x > 1 and y)')).toEqual({
      bounds: [{ subject: { kind: 'count' }, op: '>=', n: 4 }, { subject: { kind: 'cardinality', field: 'user.name' }, op: '<=', n: 1 }],
      alternatives: [],
      buckets: [],
      opaque: ['opaque(x > 1 and y)'],
    });
  });

  test('a fixed DATE_TRUNC key groups by time bucket; an OR of bounds needs one of them', () => {
    const r = esqlRule('FROM logs-* | EVAL w = DATE_TRUNC(1 minute, @timestamp) | WHERE event.action == "x" | STATS n = COUNT(*), h = COUNT_DISTINCT(host.name) BY w, user.name | WHERE (n >= 3 OR h >= 2)');
    const c = r.constraints();
    expect(c.aggregate?.condition).toBe('count >= 1 and (count >= 3 or cardinality(host.name) >= 2) and bucket(@timestamp, 60000)');
    const ev = (t: string, host: string) => ({ '@timestamp': t, event: { action: 'x' }, user: { name: 'u' }, host: { name: host } });
    const m = modelOptionsFor(r.rule);
    expect(modelAlertCount(c, [ev('2024-05-01T10:00:10Z', 'a'), ev('2024-05-01T10:00:50Z', 'b')], m)).toBe(1);
    expect(modelAlertCount(c, [ev('2024-05-01T10:00:50Z', 'a'), ev('2024-05-01T10:01:10Z', 'b')], m)).toBe(0);
    const d = draftScenario(r);
    expect(d.cases[0]!.events).toHaveLength(3);
    expect(modelAlertCount(c, d.cases[0]!.events, m)).toBe(1);
  });

  test('SUM(CASE(c, 1, 0)) >= n counts the rows meeting c (countif over an aggregate step)', () => {
    const r = esqlRule('FROM logs-* | EVAL bad = CASE(event.outcome == "failure", 1, 0) | STATS fails = SUM(bad), n = COUNT(*) BY user.name | WHERE fails >= 3');
    const c = r.constraints();
    expect(c.aggregate?.condition).toBe('count >= 1 and countif(0) >= 3');
    expect(c.aggregate?.steps[0]?.logic).toMatchObject({ kind: 'match', field: 'event.outcome' });
    const d = draftScenario(r);
    const m = modelOptionsFor(r.rule);
    expect(d.cases[0]!.events).toHaveLength(3);
    expect(modelAlertCount(c, d.cases[0]!.events, m)).toBe(1);
    const short = d.cases.find((x) => x.name === 'near miss: countif(0) >= 3');
    expect(short?.events).toHaveLength(2);
    expect(modelAlertCount(c, short!.events, m)).toBe(0);
  });

  test('scaffold drafts one group meeting every bound, and near misses the model says stay silent', () => {
    const d = draftScenario(STATS);
    const positive = d.cases.find((c) => c.role === 'positive')!;
    expect(positive.events).toHaveLength(4);
    expect(new Set(positive.events.map((e) => fieldGetter('user.name')(e)[0])).size).toBe(3);
    expect(new Set(positive.events.map((e) => fieldGetter('source.ip')(e)[0])).size).toBe(1);
    expect(positive.events.every((e) => fieldGetter('@timestamp')(e).length === 1)).toBe(true);
    expect(modelAlertCount(STATS.constraints(), positive.events, model)).toBe(1);
    const negatives = d.cases.filter((c) => c.role === 'negative');
    expect(negatives.map((c) => c.name)).toEqual(expect.arrayContaining(['near miss: count >= 4', 'near miss: cardinality(user.name) >= 3', 'near miss: by source.ip']));
    for (const n of negatives) expect(modelAlertCount(STATS.constraints(), n.events, model), n.name).toBe(0);
    // One short: 3 events; key split: two source.ip values.
    expect(negatives.find((c) => c.name === 'near miss: count >= 4')!.events).toHaveLength(3);
    expect(new Set(negatives.find((c) => c.name === 'near miss: by source.ip')!.events.map((e) => fieldGetter('source.ip')(e)[0])).size).toBe(2);
  });

  test("a case's near misses break one WHERE constraint in every event of the group", () => {
    const positive = draftScenario(STATS).cases[0]!;
    const nms = caseNearMisses(STATS, { events: positive.events, expect: { kind: 'alert' } });
    const where = nms.filter((n) => n.constraint.includes('event.action'));
    expect(where.length).toBeGreaterThan(0);
    for (const n of nms) {
      expect(n.expect).toEqual({ kind: 'none' });
      expect(modelAlertCount(STATS.constraints(), n.events, model)).toBe(0);
    }
  });

  test('single-event ES|QL rules: opaque clauses are assumed and named; no extra-element variants (multi-values compare as null)', () => {
    const r = esqlRule('FROM logs-* | WHERE process.name == "cmd.exe" AND LENGTH(process.command_line) > 10 AND a + b > 1');
    const d = draftScenario(r);
    expect(d.notes.join(' ')).toContain('a + b > 1');
    expect(d.cases.some((c) => c.role === 'positive')).toBe(true);
    const plan = planFor(r, { name: 'p', events: d.cases[0]!.events, expect: { kind: 'alert' }, alsoFires: [], tags: [], history: [], indicators: [], line: 1 });
    expect(plan.kinds).not.toContain('extra-element');
  });
});
