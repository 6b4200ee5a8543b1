import { describe, expect, test } from 'vitest';
import { testRule } from '../core/rule-fixture.ts';
import type { Rule } from '../core/rule.ts';
import { elasticMutants, queryMutants, stringSpans } from './elastic-mutants.ts';
import { sigmaMutants } from './sigma-mutants.ts';

const rule = (body: Record<string, unknown>, over: Partial<Rule> = {}): Rule => testRule({ title: 't', source: { file: 'rules/x.yml', line: 1, column: 1 }, body, ...over });

describe('sigma mutants', () => {
  const r = rule({
    detection: {
      selection: { 'Image|endswith': ['\\cmd.exe', '\\powershell.exe'], 'CommandLine|contains': ' -enc ' },
      filter: { ParentImage: 'C:\\Windows\\explorer.exe' },
      condition: 'selection and not filter',
    },
  });
  const ms = sigmaMutants(r);
  const descriptions = ms.map((m) => m.description);

  test('every operator of the issue appears', () => {
    expect(new Set(ms.map((m) => m.operator))).toEqual(new Set(['swap-match-position', 'toggle-case', 'drop-value', 'drop-field', 'flip-bool', 'remove-not', 'drop-clause']));
  });
  test('match positions swap among contains / startswith / endswith / exact', () => {
    expect(descriptions).toContain('selection.Image|endswith → Image|contains');
    expect(descriptions).toContain('selection.Image|endswith → Image');
    expect(descriptions).toContain('filter.ParentImage → ParentImage|startswith');
  });
  test('condition mutants rewrite the condition only', () => {
    const notRemoved = ms.find((m) => m.operator === 'remove-not')!;
    expect((notRemoved.rule.body.detection as Record<string, unknown>).condition).toBe('selection and filter');
    expect(descriptions).toContain("condition: 'filter' → always false");
  });
  test('the original rule body is never modified', () => {
    expect((r.body.detection as Record<string, Record<string, unknown>>).selection!['Image|endswith']).toEqual(['\\cmd.exe', '\\powershell.exe']);
  });
  test('correlations: window, threshold and group-by', () => {
    const c = sigmaMutants(rule({ correlation: { type: 'event_count', rules: ['a'], 'group-by': ['User'], timespan: '10m', condition: { gte: 5 } } }, { kind: 'correlation' }));
    expect(c.map((m) => m.description)).toEqual(['timespan 10m → 5m', 'timespan 10m → 20m', 'condition gte: 5 → 4', 'condition gte: 5 → 6', 'group-by: drop User']);
  });
});

describe('query mutants', () => {
  test('string literals are never mutated', () => {
    const q = 'process where process.name == "a and b" and not process.args : "x"';
    expect(stringSpans(q).map(([a, b]) => q.slice(a, b))).toEqual(['"a and b"', '"x"']);
    const texts = queryMutants(q, 'eql').map((m) => m.query);
    expect(texts).toContain('process where process.name == "a and b" or not process.args : "x"');
    expect(texts).toContain('process where process.name == "a and b" and process.args : "x"');
    expect(texts).toContain('process where process.name : "a and b" and not process.args : "x"');
    expect(texts.every((t) => t.includes('"a and b"'))).toBe(true);
  });
  test('list values drop one at a time', () => {
    const texts = queryMutants('process where process.name in ("a.exe", "b.exe", "c.exe")', 'eql').map((m) => m.query);
    expect(texts).toContain('process where process.name in ("b.exe", "c.exe")');
    expect(texts).toContain('process where process.name in ("a.exe", "c.exe")');
    expect(texts).toContain('process where process.name in ("a.exe", "b.exe")');
  });
  test('sequences: steps swap, join keys drop, maxspan shifts', () => {
    const q = 'sequence by host.id with maxspan=30s [process where true] [network where true]';
    const texts = queryMutants(q, 'eql').map((m) => m.query);
    expect(texts).toContain('sequence by host.id with maxspan=30s [network where true] [process where true]');
    expect(texts).toContain('sequence with maxspan=30s [process where true] [network where true]');
    expect(texts).toContain('sequence by host.id with maxspan=15s [process where true] [network where true]');
  });
  test('threshold rules shift the threshold', () => {
    const ms = elasticMutants(rule({ query: 'event.action:x', threshold: { field: ['user.name'], value: 10 } }, { format: 'elastic', language: 'kuery', kind: 'threshold' }));
    expect(ms.map((m) => m.description)).toEqual(expect.arrayContaining(['threshold.value 10 → 9', 'threshold.value 10 → 11', 'threshold.field: drop user.name']));
  });
});

describe('equivalent mutants are not generated', () => {
  test('a value covered by another value of the same OR-list', async () => {
    const { subsumedByAnother } = await import('./sigma-mutants.ts');
    expect(subsumedByAnother(['abc', 'ab'], 0, 'contains', false, false)).toBe(true);
    expect(subsumedByAnother(['abc', 'ab'], 1, 'contains', false, false)).toBe(false);
    expect(subsumedByAnother(['IEX', 'iex'], 1, undefined, false, false)).toBe(true);
    expect(subsumedByAnother(['IEX', 'iex'], 1, undefined, true, false)).toBe(false);
    expect(subsumedByAnother(['\\cmd.exe', '.exe'], 0, 'endswith', false, false)).toBe(true);
    expect(subsumedByAnother(['a*c', 'a'], 0, 'contains', false, false)).toBe(false);
    // |all: the shorter value is implied by the longer one
    expect(subsumedByAnother(['ab', 'abc'], 0, 'contains', false, true)).toBe(true);
  });
  test('1 of / all of over a single identifier', () => {
    const r = rule({ detection: { selection: { a: 'x' }, filter_main_x: { b: 'y' }, condition: 'selection and not 1 of filter_main_*' } });
    expect(sigmaMutants(r).filter((m) => m.operator === 'quantifier')).toEqual([]);
  });
});

describe('maxspan halving', () => {
  test('an odd span halves into the next smaller unit, so the mutant differs', async () => {
    const { halveSpan } = await import('./elastic-mutants.ts');
    expect(halveSpan(1, 'm')).toBe('30s');
    expect(halveSpan(30, 's')).toBe('15s');
    expect(halveSpan(1, 's')).toBe('500ms');
    expect(halveSpan(3, 'h')).toBe('90m');
    const texts = queryMutants('sequence by host.id with maxspan=1m [process where true] [file where true]', 'eql').map((m) => m.query);
    expect(texts).toContain('sequence by host.id with maxspan=30s [process where true] [file where true]');
  });
});
