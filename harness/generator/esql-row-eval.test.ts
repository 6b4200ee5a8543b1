import { describe, expect, test } from 'vitest';
import { parseEsql } from '../engines/esql/parse/parser.ts';
import { evalExpr, UNKNOWN, type Maybe } from './esql-row-eval.ts';

/** The condition of `FROM x | WHERE <text>`, evaluated over `row` (names it lacks are UNKNOWN). */
function where(text: string, row: Record<string, Maybe>): Maybe {
  const c = parseEsql(`FROM x | WHERE ${text}`).commands[1];
  if (c?.command !== 'where') throw new Error('no WHERE');
  return evalExpr(c.condition, (n) => (n in row ? row[n]! : UNKNOWN));
}

describe('evalExpr', () => {
  test('arithmetic and comparisons over the row', () => {
    expect(where('few * 100.0 / users >= 80.0', { few: 4, users: 5 })).toBe(true);
    expect(where('few * 100.0 / users >= 80.0', { few: 3, users: 5 })).toBe(false);
    expect(where('n / 0 > 1', { n: 3 })).toBe(null);
  });
  test('three-valued AND / OR: a false side decides an AND even next to an unknown column', () => {
    expect(where('n >= 2 AND unknown_col > 1', { n: 1 })).toBe(false);
    expect(where('n >= 2 AND unknown_col > 1', { n: 3 })).toBe(UNKNOWN);
    expect(where('n >= 2 OR m IS NULL', { n: 1, m: null })).toBe(true);
    expect(where('NOT (n == 1)', { n: null })).toBe(null);
  });
  test('CASE, COALESCE, TO_LOWER, IN and LIKE', () => {
    expect(where('CASE(n <= 2, 1, 0) == 1', { n: 2 })).toBe(true);
    expect(where('COALESCE(a, b) == "x"', { a: null, b: 'x' })).toBe(true);
    expect(where('TO_LOWER(h) IN ("web-1", "db")', { h: 'WEB-1' })).toBe(true);
    expect(where('h LIKE "web*"', { h: 'db-1' })).toBe(false);
    expect(where('h NOT LIKE "web*"', { h: 'db-1' })).toBe(true);
  });
  test('DATE_DIFF over epoch-millisecond dates counts whole units', () => {
    const t0 = Date.parse('2024-05-01T10:00:00Z');
    expect(where('DATE_DIFF("minute", a, b) >= 5', { a: t0, b: t0 + 299_000 })).toBe(false);
    expect(where('DATE_DIFF("minutes", a, b) >= 5', { a: t0, b: t0 + 300_000 })).toBe(true);
  });
  test('a function the model does not know is UNKNOWN, and so is what reads it', () => {
    expect(where('ST_DISTANCE(a, b) / 1000.0 >= 500', { a: 'POINT (0 0)', b: 'POINT (10 10)' })).toBe(UNKNOWN);
    expect(where('TO_LONG(t) > 0', { t: '2024-05-01T10:00:00Z' })).toBe(UNKNOWN);
  });
});
