import { describe, expect, test } from 'vitest';
import type { Detector } from '../core/detector.ts';
import { testRule } from '../core/rule-fixture.ts';
import { esqlRuleDetector } from '../engines/elastic/esql-rule.ts';
import { parseEsql } from '../engines/esql/parse/parser.ts';
import { fieldGetter } from '../engines/common/fields.ts';
import { mixedPlan } from './esql-computed-key-group.ts';
import { draftScenario } from './scaffold.ts';

function detector(query: string): Detector {
  const r = esqlRuleDetector(testRule({ format: 'elastic', language: 'esql', kind: 'esql', body: { query, type: 'esql', from: 'now-9m' } }));
  if (!r.ok) throw new Error(r.reason);
  return r.detector;
}

/** Two kinds of events joined on a host name each carries in its own field, in its own case. */
const JOIN = `FROM logs-* | WHERE (event.module == "cloud" AND event.action == "run-command") OR (event.category == "process" AND process.name == "powershell.exe")
| EVAL h = COALESCE(TO_LOWER(host.name), TO_LOWER(cloud.resource.name))
| EVAL is_cloud = CASE(event.module == "cloud", 1, null), is_proc = CASE(event.category == "process", 1, null)
| EVAL t_cloud = CASE(event.module == "cloud", @timestamp, null), t_proc = CASE(event.category == "process", @timestamp, null)
| STATS clouds = COUNT(is_cloud), procs = COUNT(is_proc), first_cloud = MIN(t_cloud), first_proc = MIN(t_proc) BY h
| WHERE clouds >= 1 AND procs >= 1 AND first_cloud < first_proc`;

describe('mixed groups for computed STATS keys', () => {
  test('a plan only for a single STATS with a computed key', () => {
    expect(mixedPlan(parseEsql(JOIN))?.keys).toEqual([{ field: 'host.name', fold: 'lower', also: ['cloud.resource.name'] }]);
    expect(mixedPlan(parseEsql('FROM x | STATS n = COUNT(*) BY host.name | WHERE n > 1'))).toBeUndefined();
    expect(mixedPlan(parseEsql('FROM x | EVAL k = REPLACE(a, "/x", "") | STATS n = COUNT(*) BY k'))?.keys).toEqual([{ field: 'a', rewritten: true }]);
  });

  test('one event per branch, sharing the key through its source field, in the order the MIN timestamps ask for', () => {
    const d = detector(JOIN);
    const positive = draftScenario(d).cases.find((c) => c.role === 'positive')!;
    expect(positive.events).toHaveLength(2);
    expect(positive.events.map((e) => fieldGetter('event.module')(e)[0] ?? fieldGetter('event.category')(e)[0])).toEqual(['cloud', 'process']);
    const hosts = positive.events.map((e) => fieldGetter('host.name')(e)[0]);
    expect(hosts[0]).toBe(hosts[1]);
    expect(d.detect(positive.events)).toHaveLength(1);
    const misses = draftScenario(d).cases.filter((c) => c.role === 'negative');
    expect(misses.map((c) => c.name)).toEqual(['near miss: without the branch 1 event(s)', 'near miss: without the branch 2 event(s)']);
    for (const m of misses) expect(d.detect(m.events)).toEqual([]);
  });

  test('distinct values the WHERE allows for a counted field', () => {
    const q = `FROM logs-* | WHERE event.action IN ("stop", "start", "modify") | EVAL k = TO_LOWER(instance.id)
| STATS actions = COUNT_DISTINCT(event.action) BY k | WHERE actions == 3`;
    const d = detector(q);
    const positive = draftScenario(d).cases.find((c) => c.role === 'positive')!;
    expect(new Set(positive.events.map((e) => fieldGetter('event.action')(e)[0]))).toEqual(new Set(['stop', 'start', 'modify']));
    expect(d.detect(positive.events)).toHaveLength(1);
  });

  test('a computed key read as not null after its EVAL gets its source field set in every event', () => {
    const q = `FROM logs-* | WHERE event.action == "download" | EVAL sid = COALESCE(app.session_id, session.id, null) | WHERE sid IS NOT NULL
| STATS files = COUNT_DISTINCT(file.name) BY sid, user.id | WHERE files >= 3`;
    const d = detector(q);
    const positive = draftScenario(d).cases.find((c) => c.role === 'positive')!;
    const sids = positive.events.map((e) => fieldGetter('app.session_id')(e)[0]);
    expect(sids.every((s) => s !== undefined && s === sids[0])).toBe(true);
    expect(d.detect(positive.events)).toHaveLength(1);
  });

  test('kinds of events that carry the key in different fields (COALESCE of CASEs) share one value; a counted field an event lacks gets a distinct one', () => {
    const q = `FROM logs-* | WHERE (event.module == "endpoint" AND event.kind == "alert") OR (data_stream.dataset == "fw" AND event.action == "deny")
| EVAL a = CASE(data_stream.dataset == "fw", source.ip, null), b = CASE(event.module == "endpoint", host.ip, null)
| EVAL ip = COALESCE(a, b) | WHERE ip IS NOT NULL
| STATS modules = COUNT_DISTINCT(event.module), actions = COUNT_DISTINCT(event.action) BY ip | WHERE modules >= 2 AND actions >= 1`;
    const d = detector(q);
    const positive = draftScenario(d).cases.find((c) => c.role === 'positive')!;
    expect(new Set(positive.events.map((e) => fieldGetter('event.module')(e)[0])).size).toBe(2);
    expect(d.detect(positive.events)).toHaveLength(1);
  });
});
