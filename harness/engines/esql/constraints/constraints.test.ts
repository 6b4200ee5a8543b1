import { describe, expect, test } from 'vitest';
import { leavesOf, type Predicate } from '../../common/predicate.ts';
import { parseEsql } from '../parse/parser.ts';
import { esqlConstraints } from './query-constraints.ts';

const of = (q: string) => esqlConstraints(parseEsql(q));
const kinds = (p: Predicate) => leavesOf(p).map((l) => l.kind);

describe('ES|QL constraints()', () => {
  test('WHERE conjuncts over source fields become leaves; LIKE is case-sensitive', () => {
    const c = of('FROM logs-* | WHERE event.category == "process" AND process.name LIKE "*.exe" AND NOT user.name IN ("a", "b") AND process.pid > 4');
    expect(c.aggregate).toBeUndefined();
    expect(c.logic).toMatchObject({ kind: 'and' });
    expect(kinds(c.logic)).toEqual(['match', 'match', 'match', 'match', 'range']);
    expect(leavesOf(c.logic)[1]).toMatchObject({ field: 'process.name', mode: 'sensitive' });
    expect(JSON.stringify(c.logic)).toContain('"kind":"not"');
  });

  test('EVAL TO_LOWER / LENGTH / RENAME are read through to the source field', () => {
    const c = of('FROM logs-* | EVAL cmd = TO_LOWER(process.command_line), n = LENGTH(process.command_line) | RENAME cmd AS c2 | WHERE c2 LIKE "*-enc*" AND n >= 100 AND c2 != "X"');
    const leaves = leavesOf(c.logic);
    expect(leaves[0]).toMatchObject({ kind: 'match', field: 'process.command_line', mode: 'insensitive' });
    expect(leaves[1]).toMatchObject({ kind: 'regex', field: 'process.command_line', source: '^[\\s\\S]{100,}$' });
    // A lower-cased value never equals an upper-case literal: `!=` only needs a value.
    expect(leaves[2]).toMatchObject({ kind: 'exists', field: 'process.command_line' });
    expect(of('FROM x | EVAL c = TO_LOWER(a) | WHERE c == "ABC"').logic).toMatchObject({ kind: 'const', value: false });
  });

  test('CASE columns: IS NOT NULL / == first value are the branch conditions; the rest stays opaque', () => {
    const c = of('FROM x | EVAL k = CASE(a == "1", "one", b == "2", "two") | WHERE k IS NOT NULL');
    expect(kinds(c.logic)).toEqual(['match', 'match']);
    expect(c.logic).toMatchObject({ kind: 'or' });
    expect(of('FROM x | EVAL k = CASE(a == "1", 1, 0) | WHERE k == 1').logic).toMatchObject({ kind: 'match', field: 'a' });
    expect(of('FROM x | EVAL k = CASE(a == "1", 1, 0) | WHERE k == 0').logic).toMatchObject({ kind: 'opaque' });
  });

  test('STATS … BY + WHERE thresholds become a threshold aggregate; group-key filters move into the logic', () => {
    const c = of('FROM logs-* | WHERE event.action == "logon-failed" | STATS n = COUNT(*), users = COUNT_DISTINCT(user.name), agents = COUNT_DISTINCT(agent.id) BY source.ip | WHERE n > 10 AND users >= 3 AND agents == 1 AND source.ip != "127.0.0.1"');
    expect(c.aggregate).toMatchObject({ type: 'threshold', groupBy: ['source.ip'], condition: 'count >= 11 and cardinality(user.name) >= 3 and cardinality(agent.id) == 1' });
    expect(kinds(c.logic)).toEqual(['match', 'match']);
    expect(c.reads).toEqual(expect.arrayContaining(['user.name', 'agent.id', 'source.ip']));
  });

  test('what the model cannot decide is kept as opaque, never dropped', () => {
    const c = of('FROM x | EVAL b = DATE_TRUNC(1 minute, @timestamp) | STATS n = COUNT(), s = SUM(bytes) BY b, host.name | WHERE n >= 5 AND s > 1000');
    expect(c.aggregate?.condition).toBe('count >= 5 and bucket(@timestamp, 60000) and opaque(s > 1000)');
    expect(c.aggregate?.groupBy).toEqual(['host.name']);
    expect(of('FROM x | WHERE a + 1 > b').logic).toMatchObject({ kind: 'opaque', description: 'a + 1 > b' });
    expect(of('FROM x | WHERE KQL("event.action: a and host.name: b")').logic).toMatchObject({ kind: 'and' });
  });
});

describe('ES|QL constraints(): columns GROK and DISSECT add', () => {
  test('are computed from their input (named or %{…} captures), never taken for source fields', () => {
    const c = esqlConstraints(parseEsql('FROM x | GROK process.command_line """h=(?<srv>[^&]+)&p""" | DISSECT url.original "%{a}/%{b}" | WHERE srv IS NOT NULL AND b == "x"'));
    expect(leavesOf(c.logic).map((l) => l.kind)).toEqual(['opaque', 'opaque']);
    expect(c.reads).toEqual(expect.arrayContaining(['process.command_line', 'url.original']));
  });
});
