import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { main } from './main.ts';
import { captureIo, tempRule } from './testing.ts';


const { dir, file: ruleFile } = tempRule('rh-cli-', 'cmd.yml', `title: Cmd From Office
id: 00000000-0000-4000-8000-000000000001
logsource: { product: windows, category: process_creation }
detection:
  selection:
    ParentImage|endswith: '\\winword.exe'
    Image|endswith: '\\cmd.exe'
  condition: selection
`);
const events = [
  { ParentImage: 'C:\\Program Files\\Microsoft Office\\WINWORD.EXE', Image: 'C:\\Windows\\System32\\cmd.exe' },
  { ParentImage: 'C:\\Windows\\explorer.exe', Image: 'C:\\Windows\\System32\\cmd.exe' },
  { ParentImage: 'C:\\Program Files\\Microsoft Office\\winword.exe', Image: 'C:\\Windows\\System32\\CMD.exe' },
];
const jsonl = join(dir, 'events.jsonl');
writeFileSync(jsonl, events.map((e) => JSON.stringify(e)).join('\n'));
const array = join(dir, 'events.json');
writeFileSync(array, JSON.stringify(events));

describe('rule-harness match (design.md contract)', () => {
  test.each([jsonl, array])('--format json prints one object per alert per line (%s)', async (file) => {
    const c = captureIo();
    expect(await main(['match', '--rules', ruleFile, '--events', file, '--format', 'json'], c.io)).toBe(0);
    expect(c.out.map((l) => JSON.parse(l) as unknown)).toEqual([
      { rule: '00000000-0000-4000-8000-000000000001', title: 'Cmd From Office', events: [0] },
      { rule: '00000000-0000-4000-8000-000000000001', title: 'Cmd From Office', events: [2] },
    ]);
  });

  test('the default format is readable', async () => {
    const c = captureIo();
    expect(await main(['match', '--rules', dir, '--events', jsonl], c.io)).toBe(0);
    expect(c.out.join('\n')).toContain('Cmd From Office [00000000-0000-4000-8000-000000000001]: 2 alerts');
  });

  test('a bare KQL and EQL query', async () => {
    const c = captureIo();
    const ev = join(dir, 'ecs.jsonl');
    writeFileSync(ev, [{ event: { category: 'process' }, process: { name: 'cmd.exe' }, '@timestamp': '2024-01-01T00:00:00Z' }, { event: { category: 'process' }, process: { name: 'bash' }, '@timestamp': '2024-01-01T00:00:01Z' }].map((e) => JSON.stringify(e)).join('\n'));
    expect(await main(['match', '--language', 'kuery', '--query', 'process.name : "cmd.exe"', '--events', ev, '--format', 'json'], c.io)).toBe(0);
    expect(await main(['match', '--language', 'eql', '--query', 'process where process.name == "bash"', '--events', ev, '--format', 'json'], c.io)).toBe(0);
    expect(c.out.map((l) => (JSON.parse(l) as { events: number[] }).events)).toEqual([[0], [1]]);
  });

  test('--size cuts EQL results (default 10, as the EQL search API) and says so on stderr', async () => {
    const ev = join(dir, 'many.jsonl');
    writeFileSync(ev, Array.from({ length: 12 }, (_, i) => JSON.stringify({ event: { category: 'process' }, '@timestamp': i })).join('\n'));
    const c = captureIo();
    expect(await main(['match', '--language', 'eql', '--query', 'process where true', '--events', ev, '--format', 'json'], c.io)).toBe(0);
    expect(c.out).toHaveLength(10);
    expect(c.err.join('\n')).toMatch(/more than 10 results were found; 10 shown/);
    const d = captureIo();
    expect(await main(['match', '--language', 'eql', '--query', 'process where true | tail 5', '--events', ev, '--format', 'json', '--size', '3'], d.io)).toBe(0);
    expect(d.out.map((l) => (JSON.parse(l) as { events: number[] }).events[0])).toEqual([9, 10, 11]);
    const e = captureIo();
    expect(await main(['match', '--language', 'eql', '--query', 'process where true', '--events', ev, '--size', '20'], e.io)).toBe(0);
    expect(e.err).toEqual([]);
    expect(await main(['match', '--language', 'eql', '--query', 'process where true', '--events', ev, '--size', 'x'], captureIo().io)).toBe(2);
  });

  test('--mapping types a bare query over ECS; a bad mapping file is named', async () => {
    const ev = join(dir, 'typed.jsonl');
    writeFileSync(ev, [{ okta: { risk: '7' } }, { okta: { risk: 'x7' } }, { process: { pid: '12' } }].map((e) => JSON.stringify(e)).join('\n'));
    const mapFile = join(dir, 'okta.json');
    writeFileSync(mapFile, JSON.stringify({ template: { mappings: { properties: { okta: { properties: { risk: { type: 'long' } } } } } } }));
    const c = captureIo();
    expect(await main(['match', '--language', 'kuery', '--query', 'okta.risk >= 5 or process.pid: 12', '--events', ev, '--format', 'json', '--mapping', mapFile], c.io)).toBe(0);
    expect(c.out.map((l) => (JSON.parse(l) as { events: number[] }).events)).toEqual([[0], [2]]);
    const bad = join(dir, 'bad-mapping.json');
    writeFileSync(bad, '{"properties": {"a": {"type": "alias"}}}');
    const d = captureIo();
    expect(await main(['match', '--language', 'kuery', '--query', 'a: 1', '--events', ev, '--mapping', bad], d.io)).toBe(2);
    expect(d.err.join('\n')).toMatch(/bad-mapping\.json:1:\d+: error: alias 'a' has no "path"/);
  });

  test('--mapping types the fields of Elastic rules too', async () => {
    const rules = join(dir, 'elastic-rules');
    mkdirSync(rules, { recursive: true });
    writeFileSync(join(rules, 'risk.toml'), ['[metadata]', 'creation_date = "2024/01/01"', '', '[rule]', 'author = ["x"]', 'description = "d"', 'language = "kuery"', 'name = "risky"', 'risk_score = 21', 'rule_id = "66666666-6666-4666-8666-666666666666"', 'severity = "low"', 'type = "query"', "query = 'okta.risk >= 5'", ''].join('\n'));
    const ev = join(dir, 'risk.jsonl');
    writeFileSync(ev, [{ okta: { risk: '7' } }, { okta: { risk: 'x7' } }].map((e) => JSON.stringify(e)).join('\n'));
    const mapFile = join(dir, 'risk-mapping.json');
    writeFileSync(mapFile, JSON.stringify({ properties: { okta: { properties: { risk: { type: 'long' } } } } }));
    const untyped = captureIo();
    expect(await main(['match', '--rules', rules, '--events', ev, '--format', 'json'], untyped.io)).toBe(0);
    // Unmapped, the strings compare as keywords: "x7" >= "5" by code point.
    expect(untyped.out.map((l) => (JSON.parse(l) as { events: number[] }).events)).toEqual([[0], [1]]);
    const typed = captureIo();
    expect(await main(['match', '--rules', rules, '--events', ev, '--format', 'json', '--mapping', mapFile], typed.io)).toBe(0);
    expect(typed.out.map((l) => (JSON.parse(l) as { events: number[] }).events)).toEqual([[0]]);
  });

  test('bad input exits 2 naming file and line', async () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"a": 1}\n{oops}\n');
    const c = captureIo();
    expect(await main(['match', '--rules', ruleFile, '--events', bad], c.io)).toBe(2);
    expect(c.err.join('\n')).toMatch(/bad\.jsonl:2:1: error: invalid JSON Lines/);
    const q = captureIo();
    expect(await main(['match', '--language', 'eql', '--query', 'process where (', '--events', jsonl], q.io)).toBe(2);
    expect(q.err.join('\n')).toMatch(/^--query:1:\d+: error: /);
  });

  test('a rule with an unknown modifier is reported with its location, exit 2', async () => {
    const badRule = join(dir, 'bad-rule', 'x.yml');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'bad-rule'), { recursive: true });
    writeFileSync(badRule, 'title: X\nid: 00000000-0000-4000-8000-000000000002\nlogsource: {product: windows}\ndetection:\n  sel:\n    Image|containz: x\n  condition: sel\n');
    const c = captureIo();
    expect(await main(['match', '--rules', badRule, '--events', jsonl], c.io)).toBe(2);
    expect(c.err.join('\n')).toMatch(/x\.yml:6:5: error: .*containz.*did you mean 'contains'/);
  });
});

describe('rule-harness help and usage', () => {
  test.each(['match', 'explain', 'lint'])('%s --help prints usage and exits 0', async (cmd) => {
    const c = captureIo();
    expect(await main([cmd, '--help'], c.io)).toBe(0);
    expect(c.out.join('\n')).toMatch(/^Usage:/);
  });
  test('unknown commands and options exit 2 with help', async () => {
    const c = captureIo();
    expect(await main(['frobnicate'], c.io)).toBe(2);
    expect(c.err.join('\n')).toMatch(/unknown command 'frobnicate'/);
    expect(await main(['match', '--nope'], c.io)).toBe(2);
  });
  test('test --worker-heap takes whole megabytes (at least 128); a bad value exits 2 before anything runs', async () => {
    for (const bad of [['--worker-heap', 'lots'], ['--worker-heap=64'], ['--worker-heap']]) {
      const c = captureIo();
      expect(await main(['test', ...bad], c.io), bad.join(' ')).toBe(2);
      expect(c.err.join('\n')).toMatch(/--worker-heap takes a whole number of megabytes, at least 128/);
    }
  });
  test('explain prints a trace per event', async () => {
    const c = captureIo();
    expect(await main(['explain', ruleFile, jsonl], c.io)).toBe(0);
    const text = c.out.join('\n');
    expect(text).toContain('event 1:');
    expect(text).toMatch(/✗/);
    expect(text).toMatch(/✓/);
  });
  test('explain runs an ES|QL rule once over the file: the window, then the table after each stage (--now moves it)', async () => {
    const { file: esqlRule } = tempRule('rh-cli-esql-', 'esql.toml', `[metadata]
creation_date = "2024/01/01"
[rule]
rule_id = "00000000-0000-4000-8000-0000000000e5"
name = "Cmd via ES|QL"
type = "esql"
language = "esql"
from = "now-9m"
query = '''
FROM logs-endpoint.events.process-* METADATA _id
| WHERE process.name == "cmd.exe" AND process.parent.name == "winword.exe"
'''
`);
    const file = join(dir, 'esql-events.json');
    writeFileSync(file, JSON.stringify([
      { '@timestamp': '2024-05-01T10:00:00Z', process: { name: 'cmd.exe', parent: { name: 'winword.exe' } } },
      { '@timestamp': '2024-05-01T10:01:00Z', process: { name: 'cmd.exe', parent: { name: 'explorer.exe' } } },
    ]));
    const c = captureIo();
    expect(await main(['explain', esqlRule, file], c.io)).toBe(0);
    const text = c.out.join('\n');
    expect(text).toContain('ES|QL rule: 1 alert');
    expect(text).toContain('2 of 2 event(s)');
    expect(text).toContain('dropped row 1 (event 1) — process.parent.name == "winword.exe" is false');
    const later = captureIo();
    expect(await main(['explain', esqlRule, file, '--now', '2024-05-01T10:09:30Z'], later.io)).toBe(0);
    expect(later.out.join('\n')).toContain('event 0 not seen — the event is earlier than now-9m');
    expect(await main(['explain', esqlRule, file, '--now', 'soon'], later.io)).toBe(2);
  });
});
