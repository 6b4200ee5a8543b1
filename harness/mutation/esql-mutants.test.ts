import { describe, expect, test } from 'vitest';
import { parseEsql } from '../engines/esql/parse/parser.ts';
import { esqlQueryMutants } from './esql-mutants.ts';

const QUERY = `FROM logs-* METADATA _id
| WHERE event.category == "process" and process.name LIKE "*.exe" /* keep */ and not user.name in ("a", "b")
| STATS n = COUNT(*), d = COUNT_DISTINCT(user.name) BY host.name, source.ip
| WHERE n > 10 AND d >= 3`;

describe('ES|QL mutants', () => {
  const ms = esqlQueryMutants(QUERY);
  const find = (d: string) => ms.find((m) => m.description.includes(d));

  test('every operator family of the issue is present, and every mutant still parses', () => {
    expect(new Set(ms.map((m) => m.operator))).toEqual(new Set(['swap-comparison', 'shift-number', 'swap-match-position', 'drop-clause', 'flip-bool', 'remove-not', 'drop-join-key']));
    for (const m of ms) expect(() => parseEsql(m.query), m.description).not.toThrow();
    expect(new Set(ms.map((m) => m.query)).size).toBe(ms.length);
  });

  test('edits are made in place: comments and the rest of the text stay', () => {
    expect(find('== → !=')?.query).toContain('event.category != "process" and process.name LIKE "*.exe" /* keep */');
    expect(find('10 → 11')?.query).toMatch(/WHERE n > 11 AND d >= 3$/);
    expect(find('10 → 9')?.query).toMatch(/WHERE n > 9 AND d >= 3$/);
    expect(find('LIKE "*.exe": leading wildcard removed')?.query).toContain('process.name LIKE ".exe"');
    expect(find("drop WHERE conjunct 'd >= 3'")?.query).toMatch(/\| WHERE n > 10$/);
    expect(find("drop BY key 'source.ip'")?.query).toContain('BY host.name\n');
    expect(find("drop BY key 'host.name'")?.query).toContain('BY source.ip\n');
    expect(find('NOT removed')?.query).toContain('and user.name in ("a", "b")');
  });

  test('an OR of LIKEs on one column is one pattern list: one mutant per side, every pattern changed', () => {
    const list = esqlQueryMutants('FROM x | WHERE a == "1" AND (u LIKE "*../*" OR u LIKE "*etc/passwd" OR u RLIKE ".*%2e.*")').filter((m) => m.operator === 'swap-match-position');
    expect(list.map((m) => m.description)).toEqual(['u LIKE (3 patterns): leading wildcard removed from every pattern', 'u LIKE (3 patterns): trailing wildcard removed from every pattern']);
    expect(list[0]!.query).toContain('(u LIKE "../*" OR u LIKE "etc/passwd" OR u RLIKE "%2e.*")');
    expect(list[1]!.query).toContain('(u LIKE "*../" OR u LIKE "*etc/passwd" OR u RLIKE ".*%2e")');
  });

  test('a query that does not parse has no mutants', () => {
    expect(esqlQueryMutants('FROM x | WHERE (')).toEqual([]);
  });
});
