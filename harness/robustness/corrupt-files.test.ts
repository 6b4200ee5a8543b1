/**
 * Corrupted files: each a clear, located error or a correct result — never a
 * crash. Rules (YAML and TOML), scenarios and event files.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { HarnessError } from '../core/diagnostics.ts';
import { parseEvents } from '../events/read-events.ts';
import { loadRuleText, loadRules } from '../rules/load.ts';
import { loadScenarioText } from '../scenarios/load.ts';

const SIGMA = `title: Cmd
id: 11111111-1111-4111-8111-111111111111
status: test
logsource: { product: windows, category: process_creation }
detection:
  selection:
    Image|endswith: '\\cmd.exe'
  condition: selection
level: high
`;
const TOML = `[metadata]
creation_date = "2024/01/01"

[rule]
author = ["x"]
description = "d"
name = "Cmd"
risk_score = 21
rule_id = "22222222-2222-4222-8222-222222222222"
severity = "low"
type = "query"
language = "kuery"
index = ["logs-*"]
query = 'process.name : "cmd.exe"'
`;

const errorsOf = (file: string, text: string) => loadRuleText(file, text).diagnostics.filter((d) => d.severity === 'error');

describe('corrupted rule files', () => {
  test('a byte-order mark and CRLF line ends load normally', () => {
    const r = loadRuleText('rules/a.yml', `\ufeff${SIGMA.replace(/\n/g, '\r\n')}`);
    expect(r.diagnostics).toEqual([]);
    expect(r.rules[0]?.id).toBe('11111111-1111-4111-8111-111111111111');
    const t = loadRuleText('rules/a.toml', `\ufeff${TOML.replace(/\n/g, '\r\n')}`);
    expect(t.diagnostics).toEqual([]);
    expect(t.rules[0]?.id).toBe('22222222-2222-4222-8222-222222222222');
  });
  test('tabs as YAML indentation: a located syntax error', () => {
    const [d] = errorsOf('rules/t.yml', SIGMA.replace('    Image', '\tImage'));
    expect(d).toMatchObject({ code: 'yaml/syntax', span: { file: 'rules/t.yml', line: 7 } });
  });
  test('invalid UTF-8 is reported, not silently mangled', () => {
    const text = Buffer.concat([Buffer.from(SIGMA.slice(0, 20)), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(SIGMA.slice(20))]).toString('utf8');
    const [d] = errorsOf('rules/u.yml', text);
    expect(d).toMatchObject({ code: 'rules/invalid-utf8', span: { file: 'rules/u.yml', line: 2, column: 10 } });
  });
  test('duplicate keys: YAML and TOML', () => {
    expect(errorsOf('rules/d.yml', SIGMA.replace('level: high', 'level: high\nlevel: low'))[0]).toMatchObject({ code: 'yaml/syntax', span: { line: 10 } });
    expect(errorsOf('rules/d.toml', TOML.replace('severity = "low"', 'severity = "low"\nseverity = "high"'))[0]).toMatchObject({ code: 'toml/syntax', span: { line: 11 } });
  });
  test('empty files and files of comments only are errors that say so', () => {
    for (const text of ['', '   \n', '# nothing here\n']) {
      expect(errorsOf('rules/e.yml', text)[0]?.message).toMatch(/empty/);
      expect(errorsOf('rules/e.toml', text)[0]?.message).toMatch(/empty|\[rule\]/);
    }
  });
  test('duplicate rule ids across files name both files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rh-dup-'));
    mkdirSync(join(dir, 'a'));
    writeFileSync(join(dir, 'a', 'one.yml'), SIGMA);
    writeFileSync(join(dir, 'a', 'two.yml'), SIGMA);
    const set = loadRules(dir);
    const dup = set.diagnostics.find((d) => d.code === 'rules/duplicate-id');
    expect(dup?.span?.file).toMatch(/two\.yml$/);
    expect(dup?.message).toMatch(/one\.yml:1/);
  });
  test('a 10 MB value loads', () => {
    const r = loadRuleText('rules/big.yml', SIGMA.replace("'\\cmd.exe'", `'${'x'.repeat(10 * 1024 * 1024)}'`));
    expect(r.diagnostics).toEqual([]);
  });
  test('10,000 levels of nesting: an error or a result, never a stack overflow', () => {
    const deep = `${SIGMA}extra: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`;
    const r = loadRuleText('rules/deep.yml', deep);
    for (const d of r.diagnostics) expect(d.span?.file).toBe('rules/deep.yml');
  });
});

describe('corrupted scenario files', () => {
  const ok = 'rule: 11111111-1111-4111-8111-111111111111\ncases:\n  - name: a\n    expect: alert\n    events:\n      - { Image: C:\\Windows\\System32\\cmd.exe }\n';
  test('BOM and CRLF load', () => {
    const r = loadScenarioText('scenarios/a.yml', `\ufeff${ok.replace(/\n/g, '\r\n')}`);
    expect(r.diagnostics).toEqual([]);
    expect(r.scenario?.cases[0]?.events[0]).toEqual({ Image: 'C:\\Windows\\System32\\cmd.exe' });
  });
  test('typos and wrong types are located errors', () => {
    expect(loadScenarioText('scenarios/a.yml', ok.replace('expect: alert', 'expect: alerts')).diagnostics[0]).toMatchObject({ code: 'scenario/schema', span: { line: 4 } });
    expect(loadScenarioText('scenarios/a.yml', ok.replace('events:', 'event:')).diagnostics[0]).toMatchObject({ code: 'scenario/schema', span: { line: 3 } });
    expect(loadScenarioText('scenarios/a.yml', ok.replace('cases:\n', 'cases: []\nx:\n')).diagnostics.length).toBeGreaterThan(0);
    expect(loadScenarioText('scenarios/a.yml', '').diagnostics[0]?.message).toMatch(/empty|rule/);
  });
  test('10,000 levels of nesting in an event', () => {
    const text = `rule: r\ncases:\n  - name: a\n    expect: none\n    events:\n      - ${'{a: '.repeat(10_000)}1${'}'.repeat(10_000)}\n`;
    const r = loadScenarioText('scenarios/deep.yml', text);
    for (const d of r.diagnostics) expect(d.span?.file).toBe('scenarios/deep.yml');
  });
});

describe('corrupted event files', () => {
  const located = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(HarnessError);
      return (e as HarnessError).diagnostics[0]?.span;
    }
    return undefined;
  };
  test('JSON Lines: the bad line is named', () => {
    expect(located(() => parseEvents('ev.jsonl', '{"a":1}\n{"a":\n{"b":2}\n'))).toMatchObject({ file: 'ev.jsonl', line: 2 });
    expect(located(() => parseEvents('ev.jsonl', '{"a":1}\r\n[1]\r\n'))).toMatchObject({ line: 2 });
  });
  test('BOM, CRLF and 10,000 levels of nesting parse', () => {
    expect(parseEvents('ev.jsonl', '\ufeff{"a":1}\r\n{"b":2}\r\n')).toEqual([{ a: 1 }, { b: 2 }]);
    const deep = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    expect(parseEvents('ev.jsonl', deep)).toHaveLength(1);
  });
});
