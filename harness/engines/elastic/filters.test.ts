import { describe, expect, test } from 'vitest';
import { compileFilter } from './filters.ts';

describe('Kibana filters on query rules', () => {
  test('negated exists (the corpus shape: [rule.filters.exists] + meta.negate)', () => {
    const f = compileFilter({ exists: { field: 'user_agent.original' }, meta: { negate: true } }, 0)!;
    expect(f.test({ url: { path: '/' } })).toBe(true);
    expect(f.test({ user_agent: { original: 'curl/8' } })).toBe(false);
  });
  test('case-insensitive wildcard with ES escapes', () => {
    const f = compileFilter({ query: { wildcard: { 'file.path': { case_insensitive: true, value: 'C:\\\\Windows\\\\Temp\\\\*' } } }, meta: { negate: true } }, 0)!;
    expect(f.test({ file: { path: 'c:\\windows\\temp\\a.exe' } })).toBe(false);
    expect(f.test({ file: { path: 'C:\\Users\\a.exe' } })).toBe(true);
  });
  test('match_phrase is exact on keyword fields; disabled filters are dropped', () => {
    const f = compileFilter({ query: { match_phrase: { 'event.module': 'threatintel' } } }, 0)!;
    expect([f.test({ event: { module: 'threatintel' } }), f.test({ event: { module: 'ThreatIntel' } })]).toEqual([true, false]);
    expect(compileFilter({ query: { match_phrase: { a: 'b' } }, meta: { disabled: true } }, 0)).toBeUndefined();
  });
  test('bool of filters', () => {
    const f = compileFilter({ query: { bool: { should: [{ term: { a: 'x' } }, { term: { a: 'y' } }], must_not: [{ exists: { field: 'b' } }] } } }, 0)!;
    expect([f.test({ a: 'x' }), f.test({ a: 'z' }), f.test({ a: 'y', b: 1 })]).toEqual([true, false, false]);
  });
  test('unsupported DSL is a located error, not ignored', () => {
    expect(() => compileFilter({ query: { script: { source: 'x' } } }, 2)).toThrow(/'script' is not supported/);
  });
});
