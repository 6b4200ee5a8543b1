import { describe, expect, test } from 'vitest';
import type { Detector } from '../core/detector.ts';
import type { Rule } from '../core/rule.ts';
import { esqlRuleDetector } from '../engines/elastic/esql-rule.ts';
import { satisfies } from '../runner/verdict.ts';
import { draftScenario, type DraftCase } from './scaffold.ts';

function detector(query: string): Detector {
  const rule: Rule = { id: 'r1', title: 'T', format: 'elastic', language: 'esql', kind: 'esql', techniques: [], tactics: [], tags: [], related: [], index: [], source: { file: 'x.toml', line: 1, column: 1 }, document: 0, body: { query, from: 'now-9m' } };
  const r = esqlRuleDetector(rule);
  if (!r.ok) throw new Error(r.reason);
  return r.detector;
}

const fires = (d: Detector, c: DraftCase): boolean => satisfies(c.expect, d.detect(c.events, { history: c.history ?? [], indicators: [] }));
const mixed = (d: Detector): DraftCase[] => draftScenario(d).cases.filter((c) => c.name.startsWith('group of'));

describe('mixed STATS groups: rows of each kind the WHERE after STATS counts', () => {
  test('two exclusive kinds of rows in one group (a metrics row and an alert row on the same process)', () => {
    const d = detector(`FROM metrics-*, alerts-* METADATA _id
      | WHERE (event.dataset == "system.process" AND cpu.pct >= 0.9) OR event.kind == "signal"
      | EVAL cpu_pids = CASE(event.dataset == "system.process", process.pid, null), alert_pids = CASE(event.kind == "signal", process.pid, null)
      | STATS spikes = COUNT_DISTINCT(cpu_pids), alerts = COUNT_DISTINCT(alert_pids) BY process.pid, host.id
      | WHERE spikes > 0 AND alerts > 0`);
    const cases = mixed(d);
    expect(cases.length).toBeGreaterThan(0);
    expect(cases.some((c) => fires(d, c))).toBe(true);
    const kinds = new Set(cases[0]!.events.map((e) => JSON.stringify([(e.event as Record<string, unknown> | undefined)?.dataset, (e.event as Record<string, unknown> | undefined)?.kind])));
    expect(kinds.size).toBe(2);
    // Without the mixed groups no single kind of row meets both counts.
    expect(draftScenario(d).cases.filter((c) => c.role === 'positive' && !c.name.startsWith('group of')).some((c) => fires(d, c))).toBe(false);
  });

  test('COUNT_DISTINCT of a CASE of literals: rows from as many branches', () => {
    const d = detector(`FROM logs-* | WHERE event.action == "GetSecretValue"
      | EVAL vendor = CASE(data_stream.dataset == "aws.cloudtrail", "aws", data_stream.dataset == "gcp.audit", "gcp", data_stream.dataset == "azure.platformlogs", "azure", "unknown")
      | WHERE vendor != "unknown"
      | STATS vendors = COUNT_DISTINCT(vendor) BY source.ip | WHERE vendors >= 2`);
    const hit = mixed(d).find((c) => fires(d, c));
    expect(hit?.events).toHaveLength(2);
  });

  test('an OR of bounds, a numeric bound on MAX and the time order of MIN / MAX (one of the two orders fires)', () => {
    const d = detector(`FROM logs-* | WHERE event.category == "authentication"
      | EVAL fail_ts = CASE(event.outcome == "failure", @timestamp, null), ok = CASE(event.outcome == "success", 1, 0), ok_ts = CASE(event.outcome == "success", @timestamp, null)
      | STATS fails = COUNT(fail_ts), oks = SUM(ok), first_fail = MIN(fail_ts), last_ok = MAX(ok_ts), users = COUNT_DISTINCT(user.name), big = MAX(bytes) BY source.ip
      | WHERE fails >= 3 AND oks >= 1 AND first_fail < last_ok AND (users >= 3 OR big > 5000)`);
    const cases = mixed(d);
    const ok = cases.filter((c) => fires(d, c));
    expect(ok.length).toBeGreaterThan(0);
    expect(ok.length).toBeLessThan(cases.length);
  });

  test('a witness keeps one value per field (ES|QL reads a multi-valued comparison as null); distinct addresses stay addresses', () => {
    const d = detector(`FROM logs-* | WHERE event.provider == "ecs" AND event.action IN ("Register", "RunTask", "StartTask")
      | EVAL reg = CASE(event.action == "Register", 1, 0), run = CASE(event.action IN ("RunTask", "StartTask"), 1, 0)
      | STATS regs = SUM(reg), runs = SUM(run), ips = COUNT_DISTINCT(source.ip) BY user.name | WHERE regs >= 1 AND runs >= 1 AND ips >= 3`);
    const hit = mixed(d).find((c) => fires(d, c));
    expect(hit).toBeDefined();
    const field = (e: Record<string, unknown>, a: string, b: string): unknown => (e[a] as Record<string, unknown> | undefined)?.[b];
    expect(hit!.events.every((e) => typeof field(e, 'event', 'action') === 'string')).toBe(true);
    const ips = new Set(hit!.events.map((e) => field(e, 'source', 'ip')).filter((x) => x !== undefined));
    expect(ips.size).toBeGreaterThanOrEqual(3);
    for (const ip of ips) expect(String(ip)).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  });
});

describe('mixed STATS groups: distinct values that need their own kind of row', () => {
  test('COUNT_DISTINCT(action) == 3 where one action is allowed only with another condition', () => {
    const d = detector(`FROM logs-* | WHERE event.provider == "ec2" AND (event.action IN ("Stop", "Start") OR (event.action == "Modify" AND params LIKE "*userData=*"))
      | STATS n = COUNT_DISTINCT(event.action) BY user.name | WHERE n == 3`);
    const hit = mixed(d).find((c) => fires(d, c));
    expect(hit?.events).toHaveLength(3);
    const modify = hit!.events.find((e) => (e.event as Record<string, unknown>).action === 'Modify');
    expect(String(modify?.params)).toContain('userData=');
  });
});

describe('mixed STATS groups: larger groups', () => {
  test('a plain count above the single-kind cap (500 rows) still gets a group, up to 1,000 rows', () => {
    const d = detector('FROM logs-* | WHERE event.action == "Invoke" | STATS n = COUNT(*) BY user.name | WHERE n > 600');
    const draft = draftScenario(d);
    expect(draft.unsupported).toBeUndefined();
    const hit = mixed(d).find((c) => fires(d, c));
    expect(hit?.events).toHaveLength(601);
    expect(mixed(detector('FROM logs-* | STATS n = COUNT(*) BY user.name | WHERE n > 1000'))).toEqual([]);
  });
});

describe('mixed STATS groups: a kind of row picks its branch of the WHERE', () => {
  test('the value a kind of row names decides the branch it is searched in (a success row meets the success branch)', () => {
    const d = detector(`FROM logs-* | WHERE source.ip IS NOT NULL AND ((event.action == "login-failure" AND event.code IN ("30", "32")) OR (event.action == "login-success" AND event.code IN ("235", "236")))
      | EVAL f = CASE(event.action == "login-failure", 1, 0), s = CASE(event.action == "login-success", 1, 0)
      | STATS fails = SUM(f), oks = SUM(s) BY source.ip | WHERE fails >= 2 AND oks >= 1`);
    const hit = mixed(d).find((c) => fires(d, c));
    const ok = hit?.events.find((e) => (e.event as Record<string, unknown>).action === 'login-success');
    expect(['235', '236']).toContain((ok?.event as Record<string, unknown> | undefined)?.code);
  });
});

describe('mixed STATS groups: kinds of rows kept apart', () => {
  test('a row of one counted kind is not also of the other (MAX of one kind before MIN of the other)', () => {
    const d = detector(`FROM logs-* | WHERE kibana.alert.rule.rule_id == "r1" OR okta.outcome.result == "SUCCESS"
      | EVAL atk = CASE(kibana.alert.rule.rule_id == "r1", 1, 0), ok = CASE(okta.outcome.result == "SUCCESS", 1, 0),
             atk_ts = CASE(kibana.alert.rule.rule_id == "r1", @timestamp, null), ok_ts = CASE(okta.outcome.result == "SUCCESS", @timestamp, null)
      | STATS a = SUM(atk), o = SUM(ok), last_atk = MAX(atk_ts), first_ok = MIN(ok_ts) BY user.name
      | WHERE a > 0 AND o > 0 AND last_atk < first_ok`);
    const hit = mixed(d).find((c) => fires(d, c));
    expect(hit).toBeDefined();
    const both = hit!.events.filter((e) => JSON.stringify(e).includes('"r1"') && JSON.stringify(e).includes('"SUCCESS"'));
    expect(both).toEqual([]);
  });
});
