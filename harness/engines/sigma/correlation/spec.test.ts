import { describe, expect, it } from 'vitest';
import { LocatedError } from '../../../core/located-error.ts';
import { parseRuleExpr } from './extended-condition.ts';
import { parseCorrelationSpec } from './spec.ts';
import { parseTimespan } from './timespan.ts';
import { Registry, fakeRule } from './test-fixtures.ts';

const base = { type: 'event_count', rules: ['a'], 'group-by': ['User'], timespan: '5m', condition: { gte: 3 } };

function errorOf(f: () => unknown): LocatedError {
  try {
    f();
  } catch (e) {
    if (e instanceof LocatedError) return e;
    throw e;
  }
  throw new Error('expected a LocatedError');
}

describe('timespan', () => {
  it.each([
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1d', 86_400_000],
    ['90m', 5_400_000],
    ['2w', 1_209_600_000],
    ['1M', 2_629_746_000],
  ])('%s → %d ms', (spec, ms) => {
    expect(parseTimespan(spec)).toEqual({ ok: true, ms });
  });
  it.each(['5', '5x', '0m', '1H', 'm5', '1.5h', ' 5m', '-1m', ''])('rejects %j', (spec) => {
    expect(parseTimespan(spec).ok).toBe(false);
  });
  it('rejects a number (YAML `timespan: 5`)', () => {
    expect(parseTimespan(5).ok).toBe(false);
  });
});

describe('correlation section errors', () => {
  const spec = (c: Record<string, unknown>) => () => parseCorrelationSpec({ correlation: c });
  it.each([
    ['unknown type', { ...base, type: 'event_counter' }, ['correlation', 'type']],
    ['invalid timespan', { ...base, timespan: '5 minutes' }, ['correlation', 'timespan']],
    ['missing timespan', { ...base, timespan: undefined }, ['correlation']],
    ['missing condition', { ...base, condition: undefined }, ['correlation']],
    ['condition with no operator', { ...base, condition: { field: 'x' } }, ['correlation', 'condition']],
    ['non-numeric operand', { ...base, condition: { gte: 'many' } }, ['correlation', 'condition', 'gte']],
    ['unknown condition key', { ...base, condition: { gte: 1, above: 2 } }, ['correlation', 'condition', 'above']],
    ['value_count without field', { ...base, type: 'value_count' }, ['correlation', 'condition']],
    ['value_sum with a field list', { ...base, type: 'value_sum', condition: { gt: 1, field: ['a', 'b'] } }, ['correlation', 'condition', 'field']],
    ['bad percentile', { ...base, type: 'value_percentile', condition: { gt: 1, field: 'x', percentile: 101 } }, ['correlation', 'condition', 'percentile']],
    ['generate not boolean', { ...base, generate: 'yes' }, ['correlation', 'generate']],
    ['missing rules', { ...base, rules: undefined }, ['correlation']],
    ['duplicate rule', { ...base, rules: ['a', 'a'] }, ['correlation', 'rules', 1]],
    ['string condition on event_count', { ...base, condition: 'a and b' }, ['correlation', 'condition']],
    ['missing type', { ...base, type: undefined }, ['correlation']],
  ])('%s', (_name, c, path) => {
    const e = errorOf(spec(c));
    expect(e.code).toBe('sigma/correlation');
    expect(e.path).toEqual(path);
  });
  it('rejects a correlation that is not a mapping', () => {
    expect(errorOf(() => parseCorrelationSpec({ correlation: 'x' })).path).toEqual(['correlation']);
  });
});

describe('correlation section defaults', () => {
  it('generate defaults to false; group-by may be a single string or absent', () => {
    expect(parseCorrelationSpec({ correlation: base }).generate).toBe(false);
    expect(parseCorrelationSpec({ correlation: { ...base, 'group-by': 'User' } }).groupBy).toEqual(['User']);
    expect(parseCorrelationSpec({ correlation: { ...base, 'group-by': undefined } }).groupBy).toEqual([]);
  });
  it('temporal without condition needs every rule', () => {
    const s = parseCorrelationSpec({ correlation: { type: 'temporal', rules: ['a', 'b', 'c'], timespan: '1m' } });
    expect(s.thresholds).toEqual([{ op: 'gte', value: 3 }]);
  });
  it('several operators are kept (ANDed)', () => {
    const s = parseCorrelationSpec({ correlation: { ...base, condition: { gt: 100, lte: 200 } } });
    expect(s.thresholds).toEqual([
      { op: 'gt', value: 100 },
      { op: 'lte', value: 200 },
    ]);
  });
  it('value_percentile without percentile uses the median; value_median too', () => {
    const p = parseCorrelationSpec({ correlation: { ...base, type: 'value_percentile', condition: { lte: 1, field: 'Image' } } });
    expect(p.measure).toEqual({ type: 'value_percentile', field: 'Image', percentile: 50 });
    const m = parseCorrelationSpec({ correlation: { ...base, type: 'value_median', condition: { lte: 1, field: 'x' } } });
    expect(m.measure).toEqual({ type: 'value_percentile', field: 'x', percentile: 50 });
  });
  it('a temporal string condition supplies the rules when `rules` is absent', () => {
    const s = parseCorrelationSpec({ correlation: { type: 'temporal', timespan: '1m', condition: 'a and (b or not c)' } });
    expect(s.references).toEqual(['a', 'b', 'c']);
  });
  it('a temporal string condition must use exactly the listed rules', () => {
    expect(errorOf(() => parseCorrelationSpec({ correlation: { type: 'temporal', rules: ['a', 'b'], timespan: '1m', condition: 'a' } })).path).toEqual(['correlation', 'rules', 1]);
    expect(errorOf(() => parseCorrelationSpec({ correlation: { type: 'temporal', rules: ['a'], timespan: '1m', condition: 'a or z' } })).path).toEqual(['correlation', 'condition']);
  });
});

describe('extended condition parser', () => {
  it('gives offsets for syntax errors', () => {
    expect(errorOf(() => parseRuleExpr('a and')).offset).toBe(5);
    expect(errorOf(() => parseRuleExpr('a b')).offset).toBe(2);
    expect(errorOf(() => parseRuleExpr('(a or b')).offset).toBe(7);
    expect(errorOf(() => parseRuleExpr('a & b')).offset).toBe(2);
  });
  it('binds not > and > or', () => {
    expect(parseRuleExpr('a or b and not c')).toEqual({
      kind: 'or',
      children: [
        { kind: 'rule', name: 'a', offset: 0 },
        { kind: 'and', children: [{ kind: 'rule', name: 'b', offset: 5 }, { kind: 'not', child: { kind: 'rule', name: 'c', offset: 15 } }] },
      ],
    });
  });
});

describe('references', () => {
  it('an unresolved reference is located at its rules entry', () => {
    const reg = new Registry().add(fakeRule('id-a', 'a', 'x', 1));
    const e = errorOf(() => reg.correlation('c', { ...base, rules: ['a', 'nope'] }));
    expect(e.path).toEqual(['correlation', 'rules', 1]);
    expect(e.message).toContain("'nope'");
  });
  it('an alias naming a rule that is not correlated is an error', () => {
    const reg = new Registry().add(fakeRule('id-a', 'a', 'x', 1));
    const e = errorOf(() => reg.correlation('c', { ...base, aliases: { ip: { other: 'source.ip' } } }));
    expect(e.path).toEqual(['correlation', 'aliases', 'ip', 'other']);
  });
  it('exposes references and generate for the registry', () => {
    const reg = new Registry().add(fakeRule('id-a', 'a', 'x', 1));
    const d = reg.correlation('c', { ...base, generate: true });
    expect(d.references).toEqual(['a']);
    expect(d.generate).toBe(true);
    expect(reg.correlation('c2', base).generate).toBe(false);
  });
});
