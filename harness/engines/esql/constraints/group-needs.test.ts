import { describe, expect, test } from 'vitest';
import { parseEsql } from '../parse/parser.ts';
import { groupRecipe, type GroupNeed } from './group-needs.ts';

const recipe = (q: string) => groupRecipe(parseEsql(q));

describe('groupRecipe: the rows a group needs for the WHERE after STATS', () => {
  test('counts of exclusive kinds of rows, a COUNT_DISTINCT of a one-branch CASE and a row cap', () => {
    const r = recipe(`FROM logs-* | EVAL is_a = CASE(event.dataset == "a", 1, 0)
      | STATS a = SUM(is_a), pids = COUNT_DISTINCT(CASE(event.dataset == "b", process.pid, null)), n = COUNT(*) BY host.id
      | WHERE a > 0 AND pids >= 2 AND n <= 10`);
    expect(r?.keys).toEqual(['host.id']);
    expect(r?.alternatives).toHaveLength(1);
    const [rows, distinct, cap] = r!.alternatives[0]!;
    expect(rows).toMatchObject({ kind: 'rows', atLeast: 1, where: { kind: 'match', field: 'event.dataset' } });
    expect(distinct).toMatchObject({ kind: 'distinct', field: 'process.pid', atLeast: 2 });
    expect(JSON.stringify(distinct)).toContain('"b"');
    expect(cap).toEqual({ kind: 'atMost', atMost: 10 });
  });

  test('COUNT_DISTINCT of a CASE of literals asks for rows from that many branches, each behind the earlier ones', () => {
    const r = recipe(`FROM x | EVAL vendor = CASE(d == "aws", "aws", d == "gcp", "gcp", d == "az", "azure", "unknown")
      | STATS v = COUNT_DISTINCT(vendor) BY source.ip | WHERE v >= 2`);
    const [need] = r!.alternatives[0]!;
    expect(need).toMatchObject({ kind: 'branches', atLeast: 2 });
    expect(need?.kind === 'branches' && need.branches).toHaveLength(3);
    // The second branch holds only when the first does not.
    expect(JSON.stringify(need?.kind === 'branches' && need.branches[1])).toContain('"kind":"not"');
  });

  test('an OR gives alternatives; COUNT_DISTINCT … WHERE filters the counted rows; MAX / AVG bounds set a value', () => {
    const r = recipe(`FROM x | STATS ports = COUNT_DISTINCT(destination.port), hot = COUNT_DISTINCT(destination.port) WHERE sensitive == true,
        big = MAX(bytes), avg_len = AVG(len) BY source.ip
      | WHERE (ports >= 50 OR hot >= 5) AND big > 1000 AND avg_len >= 20.5`);
    expect(r?.alternatives).toHaveLength(2);
    expect(r!.alternatives[0]).toEqual([
      { kind: 'distinct', field: 'destination.port', where: { kind: 'const', value: true }, atLeast: 50 },
      { kind: 'value', field: 'bytes', value: 1001 },
      { kind: 'value', field: 'len', value: 20.5 },
    ]);
    expect(r!.alternatives[1]![0]).toMatchObject({ kind: 'distinct', field: 'destination.port', atLeast: 5, where: { kind: 'equals', field: 'sensitive', value: true } });
  });

  test('a test on a CASE computed from the aggregates reads the branches whose value passes', () => {
    const r = recipe(`FROM x | STATS users = COUNT_DISTINCT(user.name), n = COUNT(*) BY source.ip
      | EVAL kind = CASE(users >= 10, "spray", n >= 50, "brute", "other") | WHERE kind != "other"`);
    expect(r?.alternatives).toEqual([
      [{ kind: 'distinct', field: 'user.name', where: { kind: 'const', value: true }, atLeast: 10 }],
      [{ kind: 'rows', where: { kind: 'const', value: true }, atLeast: 50 }],
    ]);
  });

  test('a COALESCE key shares its first field, another computed key the fields it reads; only a query with one plain STATS has a recipe', () => {
    expect(recipe('FROM x | STATS n = COUNT(*) BY k = COALESCE(TO_LOWER(host.name), azure.resource.name) | WHERE n >= 2')?.keys).toEqual(['host.name']);
    expect(recipe('FROM x | EVAL k = COALESCE(user.email, user.name) | STATS n = COUNT(*) BY k, DATE_TRUNC(5 minutes, @timestamp) | WHERE n >= 2')?.keys).toEqual(['user.email']);
    expect(recipe('FROM x | EVAL csr = REPLACE(gcp.audit.resource_name, "/approval", "") | STATS n = COUNT(*) BY csr | WHERE n >= 2')?.keys).toEqual(['gcp.audit.resource_name']);
    expect(recipe('FROM x | GROK req "instanceId=%{WORD:id}" | STATS n = COUNT(*) BY id | WHERE n >= 2')?.keys).toEqual(['req']);
    expect(recipe('FROM x | STATS n = COUNT(*) BY a, b | STATS m = COUNT(*) BY a | WHERE m >= 2')).toBeUndefined();
    expect(recipe('FROM x | INLINE STATS n = COUNT(*) BY a | WHERE n >= 2')).toBeUndefined();
    expect(recipe('FROM x | WHERE a == 1')).toBeUndefined();
  });
});

describe('groupRecipe: VALUES columns', () => {
  test('a test on VALUES(f) or one of its values (MV_FIRST) after STATS asks for a row with such a value', () => {
    const r = recipe(`FROM x | STATS n = COUNT(*), paths = VALUES(process.executable), sev = VALUES(risk) BY host.id
      | EVAL process.executable = MV_FIRST(paths) | WHERE n >= 1 AND process.executable != "C:\\\\ok.exe" AND sev == 73 AND paths IS NOT NULL`);
    const [, other, equal, exists] = r!.alternatives[0]!;
    expect(other).toMatchObject({ kind: 'rows', atLeast: 1, where: { kind: 'and', children: [{ kind: 'exists', field: 'process.executable' }, { kind: 'not' }] } });
    expect(equal).toEqual({ kind: 'rows', atLeast: 1, where: { kind: 'equals', field: 'risk', value: 73 } });
    expect(exists).toEqual({ kind: 'rows', atLeast: 1, where: { kind: 'exists', field: 'process.executable' } });
  });
});

describe('groupRecipe: conditions held in EVAL columns', () => {
  test('CASE(is_a, 1, 0) and COUNT(*) WHERE is_b read the conditions the EVAL columns hold', () => {
    const r = recipe(`FROM x | EVAL is_a = event.type == "start", is_b = user_agent.original LIKE "*github*"
      | STATS a = SUM(CASE(is_a, 1, 0)), b = COUNT(*) WHERE is_b BY host.id | WHERE a > 0 AND b >= 2`);
    expect(r?.alternatives[0]).toEqual([
      { kind: 'rows', atLeast: 1, where: { kind: 'match', field: 'event.type', pattern: [{ kind: 'text', text: 'start' }], mode: 'sensitive' } },
      { kind: 'rows', atLeast: 2, where: expect.objectContaining({ kind: 'match', field: 'user_agent.original' }) },
    ]);
    // A column redefined as a value is no longer a condition.
    const later = recipe('FROM x | EVAL f = a == "1" | EVAL f = LENGTH(b) | STATS n = SUM(CASE(f, 1, 0)) BY h | WHERE n > 0');
    expect(JSON.stringify(later?.alternatives)).not.toContain('"field":"a"');
  });
});

describe('groupRecipe: tests on a CASE of literals', () => {
  test('SUM(CASE(outcome == "forbid", 1, 0)) reads the branch that gives "forbid", behind the earlier ones', () => {
    const r = recipe(`FROM x | EVAL outcome = CASE(decision == "allow", "allow", decision == "forbid", "forbid", code == 404, "not_found", "other")
      | STATS forbid = SUM(CASE(outcome == "forbid", 1, 0)), missing = SUM(CASE(outcome == "not_found", 1, 0)) BY source.ip
      | WHERE forbid >= 1 OR missing >= 3`);
    expect(r?.alternatives).toHaveLength(2);
    const forbid: GroupNeed | undefined = r!.alternatives[0]![0];
    const missing: GroupNeed | undefined = r!.alternatives[1]![0];
    expect(forbid).toMatchObject({ kind: 'rows', atLeast: 1, where: { kind: 'and' } });
    const text = JSON.stringify(forbid);
    expect(text).toContain('"forbid"');
    // Behind `decision == "allow"`: a row taking the second branch does not take the first.
    expect(text).toContain('"kind":"not"');
    expect(missing).toMatchObject({ kind: 'rows', atLeast: 3 });
    expect(JSON.stringify(missing)).toContain('"field":"code"');
  });
});
