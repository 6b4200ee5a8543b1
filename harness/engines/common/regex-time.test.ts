import { describe, expect, test } from 'vitest';
import { compileRegex } from './regex.ts';
import { parseTimestamp } from './time.ts';

describe('compileRegex', () => {
  test('flags from options and from a leading inline group', () => {
    expect(compileRegex('abc', { ignoreCase: true }).test('ABC')).toBe(true);
    expect(compileRegex('(?i)abc').test('xABCx')).toBe(true);
    expect(compileRegex('abc').test('ABC')).toBe(false);
    expect(compileRegex('a.c', { dotAll: true }).test('a\nc')).toBe(true);
  });
  test('sources invalid under the u flag still compile without it', () => {
    expect(compileRegex('\\-x').test('-x')).toBe(true);
  });
  test('invalid sources throw a message naming the pattern', () => {
    expect(() => compileRegex('a(b')).toThrow(/invalid regular expression \/a\(b\//);
  });
});

describe('parseTimestamp', () => {
  test('epochs outside the Date range are not times', () => {
    expect(parseTimestamp(-8640000000000001)).toBeUndefined();
    expect(parseTimestamp(8.64e15)).toBe(8.64e15);
  });
  test.each([
    ['2024-01-01T00:00:00Z', Date.UTC(2024, 0, 1)],
    ['2024-01-01T01:00:00+01:00', Date.UTC(2024, 0, 1)],
    ['2024-01-01 00:00:05', Date.UTC(2024, 0, 1, 0, 0, 5)],
    ['2024-01-01', Date.UTC(2024, 0, 1)],
    [1704067200, Date.UTC(2024, 0, 1)],
    [1704067200000, Date.UTC(2024, 0, 1)],
    ['1704067200', Date.UTC(2024, 0, 1)],
  ])('%s', (v, ms) => {
    expect(parseTimestamp(v)).toBe(ms);
  });
  test('unparseable values give undefined', () => {
    expect([parseTimestamp('yesterday'), parseTimestamp(''), parseTimestamp(null), parseTimestamp(NaN)]).toEqual([undefined, undefined, undefined, undefined]);
  });
});
