import { describe, expect, it } from 'vitest';
import type { Event } from '../../core/event.ts';
import { parseMapping } from '../../mapping/index.ts';
import { QuerySyntaxError } from '../common/query-syntax-error.ts';
import { compileKql } from './index.ts';

/**
 * The points ../shared/semantics/kql.md marked **Verify**, pinned to the real
 * behaviour; docs/semantics-verified.md §1–§2 gives the evidence.
 */
const m = (q: string, e: Event): boolean => compileKql(q).matches(e);

function syntaxOffset(q: string): number | undefined {
  try {
    compileKql(q);
  } catch (e) {
    if (e instanceof QuerySyntaxError) return e.offset;
    throw e;
  }
  return undefined;
}

describe('§1 `not ` inside an unquoted value (elastic/kibana kbn-es-query/src/kuery/grammar/grammar.peggy)', () => {
  it('ends the value before "not" + whitespace, in any case, so the rest fails to parse', () => {
    // UnquotedCharacter = … / !SpecialCharacter !Keyword …; Keyword includes 'not'i Space with no leading space.
    expect(syntaxOffset('message: cannot open')).toBe(12);
    expect(syntaxOffset('message: CANNOT open')).toBe(12);
    expect(syntaxOffset('message: cannot\topen')).toBe(12);
  });
  it('is fine when "not" ends the value, is escaped, or the value is quoted', () => {
    expect(m('message: cannot', { message: 'cannot' })).toBe(true);
    expect(m('message: "cannot open"', { message: 'Cannot open file' })).toBe(true);
  });
});

describe('§2 dates: missing components of a round-up bound (range query docs "Missing date components"; JavaDateFormatter ROUND_UP_BASE_FIELDS; DateFieldMapper rangeQuery)', () => {
  const at = (t: string): Event => ({ '@timestamp': t });
  it('gt 2099-12 is after 2099-12-01T23:59:59.999 (the docs example): day 01, time filled to its maximum', () => {
    expect(m('@timestamp > 2099-12', at('2099-12-01T23:59:59.999Z'))).toBe(false);
    expect(m('@timestamp > 2099-12', at('2099-12-02T00:00:00.000Z'))).toBe(true);
  });
  it('lte fills only what is missing: 10:30 ends at 10:30:59.999; a bare year ends on 1 January (elastic/elasticsearch#90458)', () => {
    expect(m('@timestamp <= "2024-01-01T10:30"', at('2024-01-01T10:30:59.999Z'))).toBe(true);
    expect(m('@timestamp <= "2024-01-01T10:30"', at('2024-01-01T10:31:00.000Z'))).toBe(false);
    expect(m('@timestamp <= 2024', at('2024-01-01T23:59:59.999Z'))).toBe(true);
    expect(m('@timestamp <= 2024', at('2024-01-02T00:00:00.000Z'))).toBe(false);
  });
  it('gte and lt round down: missing parts are the minimum', () => {
    expect(m('@timestamp >= "2024-01-01T10:30"', at('2024-01-01T10:30:00.000Z'))).toBe(true);
    expect(m('@timestamp < 2024-01', at('2023-12-31T23:59:59.999Z'))).toBe(true);
    expect(m('@timestamp < 2024-01', at('2024-01-01T00:00:00.000Z'))).toBe(false);
  });
  it('an exact date is gte and lte the same text (kuery/functions/is.ts): a month covers its first day only', () => {
    expect(m('@timestamp: 2024-03', at('2024-03-01T23:00:00Z'))).toBe(true);
    expect(m('@timestamp: 2024-03', at('2024-03-02T00:00:00Z'))).toBe(false);
  });
  it('four digits are a year, not epoch millis: strict_date_optional_time comes before epoch_millis', () => {
    expect(m('@timestamp: 2024', at('2024-01-01T12:00:00Z'))).toBe(true);
    expect(m('@timestamp >= 2024', at('1970-01-01T00:00:03Z'))).toBe(false);
    expect(m('@timestamp: 1704067200000', at('2024-01-01T00:00:00Z'))).toBe(true);
  });
  it('a field with its own format rounds the same way', () => {
    const mapping = parseMapping(JSON.stringify({ properties: { day: { type: 'date', format: 'yyyy-MM-dd' }, iso: { type: 'date', format: 'strict_date_optional_time' } } }), 'formats.json');
    const typed = (q: string, e: Event): boolean => compileKql(q, { mapping }).matches(e);
    expect(typed('day: 2024-03-01', { day: '2024-03-01' })).toBe(true);
    expect(typed('day <= 2024-03-01', { day: '2024-03-01' })).toBe(true);
    expect(typed('day > 2024-03-01', { day: '2024-03-01' })).toBe(false);
    expect(typed('iso: 2024-03-01', { iso: '2024-03-01T18:00:00Z' })).toBe(true);
    expect(typed('iso <= "2024-03-01T10:30"', { iso: '2024-03-01T10:30:30Z' })).toBe(true);
    expect(typed('iso < "2024-03-01T10:30"', { iso: '2024-03-01T10:29:59.999Z' })).toBe(true);
    expect(typed('iso < "2024-03-01T10:30"', { iso: '2024-03-01T10:30:00Z' })).toBe(false);
  });
});
