import { describe, expect, test } from 'vitest';
import { loadRuleText } from './load.ts';

const rule = `title: Test
id: 11111111-1111-4111-8111-111111111111
name: test_rule
status: test
level: high
tags: [attack.execution, attack.t1059.001]
logsource: { product: Windows, category: process_creation }
detection:
  selection:
    Image|endswith: '\\cmd.exe'
  condition: selection
`;

describe('loadRuleText (Sigma)', () => {
  test('builds the common rule model', () => {
    const r = loadRuleText('rules/a.yml', rule);
    expect(r.diagnostics).toEqual([]);
    expect(r.rules[0]).toMatchObject({
      id: '11111111-1111-4111-8111-111111111111',
      name: 'test_rule',
      format: 'sigma',
      kind: 'event',
      level: 'high',
      techniques: ['T1059.001'],
      tactics: ['execution'],
      logsource: { product: 'windows', category: 'process_creation' },
      source: { file: 'rules/a.yml', line: 1 },
    });
  });

  test('multi-document files: a correlation with its base rule, each with its start line', () => {
    const corr = `${rule}---\ntitle: Many\nid: 22222222-2222-4222-8222-222222222222\ncorrelation:\n  type: event_count\n  rules: [test_rule]\n  timespan: 5m\n  condition: { gte: 3 }\n`;
    const r = loadRuleText('rules/c.yml', corr);
    expect(r.rules.map((x) => [x.kind, x.source.line, x.document])).toEqual([['event', 1, 0], ['correlation', 13, 1]]);
  });

  test('filters are kept apart from rules', () => {
    const r = loadRuleText('rules/f.yml', 'title: F\nlogsource: {product: windows}\nfilter:\n  rules: [test_rule]\n  selection: {User: admin}\n  condition: not selection\n');
    expect(r.rules).toEqual([]);
    expect(r.filters).toHaveLength(1);
  });

  test('bad YAML, duplicate keys and missing ids are located errors', () => {
    expect(loadRuleText('rules/b.yml', 'title: [x\nid: 1\n').diagnostics[0]).toMatchObject({ code: 'yaml/syntax', span: { file: 'rules/b.yml', line: 2 } });
    expect(loadRuleText('rules/b.yml', 'title: a\ntitle: b\n').diagnostics[0]).toMatchObject({ code: 'yaml/syntax', span: { line: 2 } });
    const noId = loadRuleText('rules/b.yml', rule.replace(/^id: .*\n/m, ''));
    expect(noId.diagnostics.map((d) => d.code)).toEqual(['sigma/missing-id']);
    expect(loadRuleText('rules/b.yml', 'action: global\ntitle: x\n').diagnostics[0]?.code).toBe('sigma/legacy-action');
  });

  test('YAML 1.1 as pySigma reads it: leading-zero numbers stay strings', () => {
    const r = loadRuleText('rules/z.yml', rule.replace("Image|endswith: '\\cmd.exe'", 'Details|contains: 00000429'));
    expect(r.diagnostics).toEqual([]);
    expect((r.rules[0]?.body.detection as { selection: Record<string, unknown> }).selection['Details|contains']).toBe('00000429');
  });
});

describe('document start lines', () => {
  test('a byte-order mark before a leading --- does not hide it', () => {
    const r = loadRuleText('rules/bom.yml', `\ufeff---\n${rule}`);
    expect(r.diagnostics).toEqual([]);
    expect(r.rules[0]?.source.line).toBe(2);
  });
});
