import { describe, expect, test } from 'vitest';
import { ecsMapping } from '../../../mapping/index.ts';
import { parseEsql } from '../parse/parser.ts';
import { RowProgress } from './row-progress.ts';
import { tableTyping } from './tables.ts';

function progress(query: string): { q: ReturnType<typeof parseEsql>; p: RowProgress } {
  const q = parseEsql(query);
  return { q, p: new RowProgress(q, tableTyping(q, ecsMapping())) };
}

describe('RowProgress: how far one event gets through the WHERE conjuncts before the first STATS', () => {
  const { q, p } = progress('FROM logs-* | WHERE event.action == "x" | EVAL u = TO_LOWER(user.name) | WHERE u LIKE "adm*" AND LENGTH(u) >= 6 | STATS n = COUNT(*) BY host.name | WHERE n >= 100');
  test('counts the conjuncts of every row-level WHERE, none after the STATS', () => {
    expect(p.total).toBe(3);
  });
  test('names the first conjunct no row passes and evaluates expressions on the rows it saw', () => {
    const r = p.of({ event: { action: 'x' }, user: { name: 'ADMx' } }, 0);
    expect(r.passed).toBe(2);
    expect(q.source.slice(r.failing!.expr.start, r.failing!.expr.end)).toBe('LENGTH(u) >= 6');
    expect(r.failing!.evaluate({ type: 'field', name: 'u', start: 0, end: 0 }, r.failing!.rows[0]!)).toBe('admx');
    expect(p.of({ event: { action: 'y' } }, 0).passed).toBe(0);
  });
  test('an event passing every conjunct has no failing one', () => {
    const r = p.of({ event: { action: 'x' }, user: { name: 'Admin1' } }, 0);
    expect(r).toEqual({ passed: 3, total: 3 });
  });
  test('folds expressions of literals only', () => {
    const e = parseEsql('ROW a = SPACE(3)').commands[0]!;
    expect(e.command === 'row' && p.constant(e.fields[0]!.expr)).toBe('   ');
    expect(p.constant({ type: 'field', name: 'user.name', start: 0, end: 0 })).toBeUndefined();
  });
});
