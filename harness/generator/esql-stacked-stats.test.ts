import { describe, expect, test } from 'vitest';
import type { Detector } from '../core/detector.ts';
import { testRule } from '../core/rule-fixture.ts';
import { esqlRuleDetector } from '../engines/elastic/esql-rule.ts';
import { parseEsql } from '../engines/esql/parse/parser.ts';
import { fieldGetter } from '../engines/common/fields.ts';
import { smallestShape, stackedOf } from './esql-stacked-stats.ts';
import { draftScenario } from './scaffold.ts';

function detector(query: string): Detector {
  const r = esqlRuleDetector(testRule({ format: 'elastic', language: 'esql', kind: 'esql', body: { query, type: 'esql', from: 'now-9m' } }));
  if (!r.ok) throw new Error(r.reason);
  return r.detector;
}

const SPRAY = `FROM logs-auth-* | WHERE event.outcome == "failure" AND user.name IS NOT NULL
| STATS tries = COUNT(*) BY source.ip, user.name
| STATS users = COUNT(*), total = SUM(tries), most = MAX(tries), few = SUM(CASE(tries <= 2, 1, 0)) BY source.ip
| EVAL pct = few * 100.0 / users
| WHERE users >= 4 AND total >= 6 AND most <= 2 AND most >= 2 AND pct >= 75.0`;

const ctx = { dialect: 'ecs' as const, timeField: '@timestamp' };
const hit = { '@timestamp': '2024-05-01T10:00:00.000Z', event: { outcome: 'failure' }, user: { name: 'ann' }, source: { ip: '10.0.0.1' } };

describe('stacked STATS', () => {
  test('the inner keys are the first STATS keys the second does not group by', () => {
    const s = stackedOf(parseEsql(SPRAY));
    expect(s?.inner).toEqual([{ key: 'user.name', source: { field: 'user.name' } }]);
    expect(stackedOf(parseEsql('FROM x | STATS n = COUNT(*) BY a | WHERE n > 2'))).toBeUndefined();
  });

  test('the smallest shape meets both stages: 4 users of exactly 2 tries (6 users of 1 try would be fewer events, but not 2 each)', () => {
    expect(smallestShape(ctx, stackedOf(parseEsql(SPRAY))!, hit)).toEqual({ groups: 4, perGroup: 2, spanMs: 0 });
  });

  test('scaffold drafts a positive the engine fires on, and near misses it stays silent on', () => {
    const d = detector(SPRAY);
    const draft = draftScenario(d);
    const positive = draft.cases.find((c) => c.role === 'positive')!;
    expect(new Set(positive.events.map((e) => fieldGetter('user.name')(e)[0])).size).toBe(4);
    expect(new Set(positive.events.map((e) => fieldGetter('source.ip')(e)[0])).size).toBe(1);
    expect(d.detect(positive.events)).toHaveLength(1);
    const misses = draft.cases.filter((c) => c.role === 'negative');
    expect(misses.map((c) => c.name)).toContain('near miss: one group fewer (user.name)');
    for (const m of misses) expect(d.detect(m.events)).toEqual([]);
  });

  test('INLINE STATS keeps every row: a later STATS counts the rows of groups the WHERE between keeps', () => {
    const q = `FROM logs-alerts-* | WHERE event.kind == "alert"
| INLINE STATS hosts = COUNT_DISTINCT(host.id) BY rule.name
| WHERE hosts == 1
| STATS rules = COUNT_DISTINCT(rule.name) BY host.id
| WHERE rules >= 3`;
    const d = detector(q);
    const positive = draftScenario(d).cases.find((c) => c.role === 'positive')!;
    expect(positive.events).toHaveLength(3);
    expect(d.detect(positive.events)).toHaveLength(1);
  });

  test('a key worked back through COALESCE(TO_LOWER(…)) is set on its source field, in lower case', () => {
    const q = `FROM logs-* | EVAL h = COALESCE(TO_LOWER(host.name), TO_LOWER(host.hostname))
| STATS n = COUNT(*) BY h, user.name | STATS hosts = COUNT(*) BY user.name | WHERE hosts >= 2`;
    const d = detector(q);
    const positive = draftScenario(d).cases.find((c) => c.role === 'positive')!;
    const hosts = positive.events.map((e) => String(fieldGetter('host.name')(e)[0]));
    expect(new Set(hosts).size).toBe(2);
    expect(hosts.slice(1).every((h) => h === h.toLowerCase())).toBe(true);
    expect(d.detect(positive.events)).toHaveLength(1);
  });

  test('a DATE_DIFF bound over the groups spreads the events over one more unit than it asks for, inside the look-back', () => {
    const q = `FROM logs-auth-* | WHERE event.outcome == "failure"
| STATS tries = COUNT(*), first = MIN(@timestamp), last = MAX(@timestamp) BY source.ip, user.name
| STATS users = COUNT(*), start = MIN(first), stop = MAX(last) BY source.ip
| EVAL minutes = DATE_DIFF("minute", start, stop)
| WHERE users >= 2 AND minutes >= 5`;
    const s = stackedOf(parseEsql(q))!;
    expect(smallestShape(ctx, s, hit, 540_000)).toEqual({ groups: 2, perGroup: 1, spanMs: 360_000 });
    expect(smallestShape(ctx, s, hit, 300_000)).toBeUndefined();
    const d = detector(q);
    const draft = draftScenario(d);
    const positive = draft.cases.find((c) => c.role === 'positive')!;
    expect(d.detect(positive.events)).toHaveLength(1);
    const quick = draft.cases.find((c) => c.name === 'near miss: the events within one second')!;
    expect(d.detect(quick.events)).toEqual([]);
  });
});
