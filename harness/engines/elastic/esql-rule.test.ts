import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { loadRules } from '../../rules/load.ts';
import { compileRuleSet } from '../registry.ts';
import type { Detector } from '../../core/detector.ts';
import type { Event } from '../../core/event.ts';
import type { Rule } from '../../core/rule.ts';
import { renderTrace } from '../../runner/render-trace.ts';
import { CrossFireIndex } from '../../runner/crossfire-index.ts';
import { buildRuleIndex } from '../../runner/rule-index.ts';
import { esqlRuleDetector } from './esql-rule.ts';

function rule(query: string, extra: Record<string, unknown> = {}): Rule {
  return { id: 'r1', title: 'T', format: 'elastic', language: 'esql', kind: 'esql', techniques: [], tactics: [], tags: [], related: [], index: [], source: { file: 'x.toml', line: 1, column: 1 }, document: 0, body: { query, from: 'now-9m', ...extra } };
}

function detector(query: string, extra: Record<string, unknown> = {}): Detector {
  const r = esqlRuleDetector(rule(query, extra));
  if (!r.ok) throw new Error(r.reason);
  return r.detector;
}

const proc = (name: string, t: string, more: Record<string, unknown> = {}): Event => ({ '@timestamp': t, process: { name }, host: { name: 'h1' }, ...more });

describe('ES|QL rule: non-aggregating', () => {
  const d = detector('FROM logs-endpoint.events.process-* METADATA _id, _index, _version | WHERE process.name == "cmd.exe" | KEEP _id, process.name');

  test('each row is an alert pointing at its event', () => {
    const evs = [proc('cmd.exe', '2024-05-01T10:00:00Z'), proc('calc.exe', '2024-05-01T10:01:00Z'), proc('cmd.exe', '2024-05-01T10:02:00Z')];
    expect(d.detect(evs)).toEqual([
      { rule: 'r1', events: [0] },
      { rule: 'r1', events: [2] },
    ]);
  });

  test('events outside [now-9m, now] are not seen; now defaults to the latest event', () => {
    const evs = [proc('cmd.exe', '2024-05-01T09:50:00Z'), proc('calc.exe', '2024-05-01T10:00:00Z')];
    expect(d.detect(evs)).toEqual([]);
    expect(d.detect(evs, { now: Date.parse('2024-05-01T09:55:00Z') })).toEqual([{ rule: 'r1', events: [0] }]);
    // An event later than the given now is not seen either.
    expect(d.detect([proc('cmd.exe', '2024-05-01T10:00:00Z')], { now: Date.parse('2024-05-01T09:59:00Z') })).toEqual([]);
  });

  test('an event without @timestamp is outside every window', () => {
    expect(d.detect([{ process: { name: 'cmd.exe' } }])).toEqual([]);
  });

  test('an event nested deeper than index.mapping.depth.limit (20) is refused by Elasticsearch: never read', () => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 18; i++) deep = { a: deep }; // x.a×18.leaf: 20 levels
    const ok = proc('cmd.exe', '2024-05-01T10:00:00Z', { x: deep });
    const refused = proc('cmd.exe', '2024-05-01T10:00:00Z', { x: { y: deep } });
    expect(d.detect([ok])).toHaveLength(1);
    expect(d.detect([refused])).toEqual([]);
    expect([d.matches(ok), d.matches(refused)]).toEqual([true, false]);
    expect(renderTrace(d.explainCase!([refused]))).toContain('event 0 not seen — Elasticsearch refuses the document');
  });

  test('_index places an event; one matching no FROM pattern is not read', () => {
    expect(d.detect([proc('cmd.exe', '2024-05-01T10:00:00Z', { _index: 'logs-windows.sysmon-default' })])).toEqual([]);
    expect(d.detect([proc('cmd.exe', '2024-05-01T10:00:00Z', { _index: 'logs-endpoint.events.process-prod' })])).toEqual([{ rule: 'r1', events: [0] }]);
  });

  test('matches runs the query over one event', () => {
    expect(d.matches(proc('cmd.exe', '2024-05-01T10:00:00Z'))).toBe(true);
    expect(d.matches(proc('calc.exe', '2024-05-01T10:00:00Z'))).toBe(false);
  });

  test('a NOW() condition: matches holds when some run that sees the event would return it', () => {
    const older = detector('FROM logs-* | WHERE process.name == "cmd.exe" AND @timestamp < NOW() - 5 minutes');
    const e = proc('cmd.exe', '2024-05-01T10:00:00Z');
    expect(older.detect([e, proc('calc.exe', '2024-05-01T10:06:00Z')])).toEqual([{ rule: 'r1', events: [0] }]);
    expect(older.matches(e)).toBe(true);
    expect(older.matches(proc('calc.exe', '2024-05-01T10:00:00Z'))).toBe(false);
  });

  test('max_signals caps the alerts', () => {
    const capped = detector('FROM logs-* | WHERE process.name == "cmd.exe"', { max_signals: 2 });
    const evs = [0, 1, 2, 3].map((i) => proc('cmd.exe', `2024-05-01T10:0${i}:00Z`));
    expect(capped.detect(evs)).toHaveLength(2);
  });
});

describe('ES|QL rule: de-duplication by _id', () => {
  const evs = [proc('cmd.exe', '2024-05-01T10:00:00Z', { tags: ['a', 'b'] })];

  test('MV_EXPAND rows of one document are one alert per expanded value while the field is kept', () => {
    const d = detector('FROM logs-* METADATA _id | MV_EXPAND tags | KEEP _id, tags');
    expect(d.detect(evs)).toEqual([
      { rule: 'r1', events: [0] },
      { rule: 'r1', events: [0] },
    ]);
  });

  test('Kibana injects METADATA _id (and _id into KEEP): identical rows of one document are one alert', () => {
    const d = detector('FROM logs-* | MV_EXPAND tags | KEEP process.name');
    expect(d.detect(evs)).toEqual([{ rule: 'r1', events: [0] }]);
  });

  test('after DROP _id (or DISSECT / GROK before a KEEP) the result has no _id: every row is its own alert', () => {
    expect(detector('FROM logs-* | MV_EXPAND tags | DROP _id | KEEP process.name').detect(evs)).toHaveLength(2);
    expect(detector('FROM logs-* | MV_EXPAND tags | DISSECT process.name "%{base}.%{ext}" | KEEP process.name').detect(evs)).toHaveLength(2);
    expect(detector('FROM logs-* | MV_EXPAND tags | DISSECT process.name "%{base}.%{ext}" | KEEP process.name, _id').detect(evs)).toHaveLength(1);
  });

  test('an aggregating query reads one page of max_signals + 1 rows; at most max_signals alerts', () => {
    const d = detector('FROM logs-* | STATS n = COUNT(*) BY process.name', { max_signals: 2 });
    const many = ['a', 'b', 'c', 'd'].map((n) => proc(n, '2024-05-01T10:00:00Z'));
    expect(d.detect(many)).toHaveLength(2);
  });

  test('rows with the same _id and identical content collapse into one alert', () => {
    const d = detector('FROM logs-* METADATA _id | MV_EXPAND tags | KEEP _id, process.name');
    expect(d.detect(evs)).toEqual([{ rule: 'r1', events: [0] }]);
  });
});

describe('ES|QL rule: aggregating (STATS)', () => {
  const d = detector('FROM logs-* | WHERE event.outcome == "failure" | STATS failures = COUNT(*), ips = COUNT_DISTINCT(source.ip) BY user.name | WHERE failures >= 3');
  const fail = (user: string, ip: string, t: string, outcome = 'failure'): Event => ({ '@timestamp': t, event: { outcome }, user: { name: user }, source: { ip } });
  const evs = [fail('bob', '10.0.0.1', '2024-05-01T10:00:00Z'), fail('alice', '10.0.0.1', '2024-05-01T10:00:10Z'), fail('bob', '10.0.0.2', '2024-05-01T10:00:20Z'), fail('bob', '10.0.0.3', '2024-05-01T10:00:30Z'), fail('bob', '10.0.0.4', '2024-05-01T10:00:40Z', 'success')];

  test('each result row is an alert listing the events of its group', () => {
    expect(d.detect(evs)).toEqual([{ rule: 'r1', events: [0, 2, 3] }]);
  });

  test('one short of the threshold: no alert', () => {
    expect(d.detect(evs.slice(0, 3))).toEqual([]);
  });

  test('matches keeps the events that pass the stages before the first STATS', () => {
    expect(d.matches(evs[0] as Event)).toBe(true);
    expect(d.matches(evs[4] as Event)).toBe(false);
  });

  test('constraints: WHERE conjuncts before STATS as leaves, BY keys and the threshold after it', () => {
    const c = d.constraints();
    expect(c.logic).toMatchObject({ kind: 'match', field: 'event.outcome', mode: 'sensitive' });
    expect(c.aggregate).toMatchObject({ type: 'threshold', groupBy: ['user.name'], condition: 'count >= 3' });
  });

  test('explainCase shows each stage and which conjunct dropped a row', () => {
    const text = renderTrace(d.explainCase!(evs.slice(0, 3)), '', 12);
    expect(text).toContain('window now-9m');
    expect(text).toContain('WHERE event.outcome == "failure" → 3 rows');
    expect(text).toMatch(/STATS .* → 2 rows/);
    expect(text).toMatch(/dropped row 0 \(events 0, 2\) — failures >= 3 is false/);
  });
});

describe('ES|QL rule: compile', () => {
  test('COMPLETION is not evaluable, with its reason', () => {
    const r = esqlRuleDetector(rule('FROM logs-* | COMPLETION answer = "is this bad?" WITH { "inference_id": "x" }'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain('COMPLETION');
  });

  test('a Lucene intersection in RLIKE is not evaluable', () => {
    const r = esqlRuleDetector(rule('FROM logs-* | WHERE process.command_line RLIKE ".*a.*&.*b.*"'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain("'&'");
  });

  test('a type error is a located rule error', () => {
    expect(() => esqlRuleDetector(rule('FROM logs-* | WHERE process.name + 1 > 2'))).toThrow(/query|process\.name/);
  });

  test('a non-aggregating result without _id is a lint warning (Kibana warns on every run)', () => {
    expect(detector('FROM logs-* | DROP _id').warnings?.map((w) => w.code)).toEqual(['esql/no-id']);
    expect(detector('FROM logs-* | KEEP process.name').warnings).toBeUndefined();
    expect(detector('FROM logs-* | STATS n = COUNT(*)').warnings).toBeUndefined();
  });

  test('a query must start with FROM', () => {
    expect(() => esqlRuleDetector(rule('ROW a = 1'))).toThrow(/starts with FROM/);
  });
});

describe('ES|QL rule: prefilter family and cross-fire', () => {
  const anchored = detector('FROM logs-* | WHERE process.name IN ("cmd.exe", "pwsh.exe") AND host.name != "dc1"');
  const counted = detector('FROM logs-* | WHERE event.action == "git.clone" | STATS n = COUNT(*) BY user.name | WHERE n >= 2');
  const unanchored = detector('FROM logs-* | EVAL p = TO_LOWER(process.name) | WHERE p == "cmd.exe"');
  const events: Event[] = [
    proc('cmd.exe', '2024-05-01T10:00:00Z'),
    proc('CMD.EXE', '2024-05-01T10:00:00Z'),
    proc('pwsh.exe', '2024-05-01T10:00:00Z', { host: { name: 'dc1' } }),
    { '@timestamp': '2024-05-01T10:00:00Z', event: { action: 'git.clone' }, user: { name: 'bob' } },
    { '@timestamp': '2024-05-01T10:00:00Z', event: { action: 'git.push' }, user: { name: 'bob' } },
    { '@timestamp': '2024-05-01T10:00:00Z', process: { name: 4 } },
  ];

  test('the rule index names exactly the rules whose matches() holds, and skips anchored ones', () => {
    const ds = [anchored, counted, unanchored];
    const index = buildRuleIndex(ds);
    for (const e of events) expect(index.matching(e).map((d) => ds.indexOf(d)), JSON.stringify(e)).toEqual(ds.flatMap((d, i) => (d.matches(e) ? [i] : [])));
    expect(index.candidateCount(events[4] as Event)).toBe(1);
  });

  test('matches agrees with detect on each event alone (non-aggregating)', () => {
    for (const e of events) expect(anchored.matches(e), JSON.stringify(e)).toBe(anchored.detect([e]).length > 0);
  });

  test('the cross-fire pass finds an ES|QL rule alerting on another rule\'s events', () => {
    const owner = { ...anchored.rule, id: 'owner' };
    const cross = new CrossFireIndex([anchored, counted]);
    const clones = [events[3] as Event, { ...(events[3] as Event), '@timestamp': '2024-05-01T10:01:00Z' }];
    expect(cross.firing(owner, clones, {}).map((f) => [f.detector, f.alerts])).toEqual([[counted, [{ rule: 'r1', events: [0, 1] }]]]);
    expect(cross.firing(owner, [events[4] as Event], {})).toEqual([]);
  });
});

describe('ES|QL rule: field types from elastic.mappings, selected by the FROM patterns', () => {
  test('a mapping for logs-okta* types the field the query reads (a date compared with NOW())', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rh-esql-map-'));
    writeFileSync(join(dir, 'okta.json'), JSON.stringify({ properties: { okta: { properties: { seen: { type: 'date' } } } } }));
    writeFileSync(
      join(dir, 'rule.toml'),
      `[rule]\nrule_id = "okta-seen"\nname = "Okta seen within the hour"\ntype = "esql"\nlanguage = "esql"\nquery = '''\nFROM logs-okta.system-* METADATA _id\n| WHERE okta.seen > NOW() - 1 hour\n'''\n`,
    );
    const set = loadRules(join(dir, 'rule.toml'));
    expect(set.rules[0]?.index).toEqual(['logs-okta.system-*']);
    const typed = compileRuleSet(set, { sigma: { placeholders: {} }, elastic: { mappings: [{ pattern: 'logs-okta*', files: [join(dir, 'okta.json')] }] } });
    const d = typed.detectors.get('okta-seen')!;
    expect(d.detect([{ '@timestamp': '2024-05-01T10:00:00Z', okta: { seen: '2024-05-01T09:30:00Z' } }, { '@timestamp': '2024-05-01T10:00:00Z', okta: { seen: '2024-05-01T08:00:00Z' } }])).toEqual([{ rule: 'okta-seen', events: [0] }]);
    // Without the mapping the field is a keyword, and a keyword compared with a date is a type error: a located rule error.
    const untyped = compileRuleSet(set, { sigma: { placeholders: {} } });
    expect(untyped.detectors.has('okta-seen')).toBe(false);
    expect(untyped.diagnostics.map((x) => x.message).join('\n')).toMatch(/\[keyword\].*\[date\]/);
  });
});

describe('ES|QL rule: any JSON events', () => {
  const rules = [
    detector('FROM logs-* METADATA _id | WHERE process.name == "cmd.exe" OR event.outcome LIKE "fail*" | KEEP _id, process.*'),
    detector('FROM logs-*, other-* | MV_EXPAND process.args | STATS n = COUNT(*), u = COUNT_DISTINCT(user.name) BY host.name | WHERE n > 1'),
    detector('FROM logs-* | EVAL t = DATE_TRUNC(1 minute, @timestamp) | STATS c = COUNT(*) BY t, process.name | SORT c DESC | LIMIT 3'),
  ];
  const value = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('cmd.exe', 'failure', '2024-05-01T10:00:00Z', '10.0.0.1', ['a', 'b']));
  const key = fc.constantFrom('@timestamp', 'process', 'process.name', 'process.args', 'event', 'event.outcome', 'user', 'user.name', 'host', 'host.name', '_index', '_id');
  const event = fc.dictionary(key, value, { maxKeys: 6 });

  test('detect, matches and explainCase never throw; alerts point at events of the case', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 6 }), fc.option(fc.integer({ min: 0, max: 2e12 }), { nil: undefined }), (events, now) => {
        for (const d of rules) {
          const ctx = now === undefined ? {} : { now };
          for (const a of d.detect(events, ctx)) for (const i of a.events) expect(i).toBeLessThan(events.length);
          for (const e of events) d.matches(e);
          d.explainCase!(events, ctx);
        }
      }),
      { numRuns: 150, seed: 15 },
    );
  });
});
