import { describe, expect, it } from 'vitest';
import { QuerySyntaxError } from '../common/query-syntax-error.ts';
import { indexFromEvents } from './events-index.ts';
import { compileEsql, indexResolver, NotEvaluableError, parseEsql, type EsqlIndex } from './index.ts';

const NOW = Date.parse('2024-05-01T12:00:00Z');
const row = (q: string, indices: EsqlIndex[] = []) => compileEsql(q).run(indexResolver(indices), { now: NOW });

function syntaxError(q: string): QuerySyntaxError {
  try {
    parseEsql(q);
  } catch (e) {
    if (e instanceof QuerySyntaxError) return e;
    throw e;
  }
  throw new Error(`parsed: ${q}`);
}

describe('ES|QL parser', () => {
  it('locates errors by line and column', () => {
    const e = syntaxError('FROM logs-*\n| WHERE a ==');
    expect([e.line, e.column]).toEqual([2, 13]);
    expect(syntaxError('FROM x | FOO bar').message).toContain("unknown command 'FOO'");
    expect(syntaxError('FROM x | ENRICH p').message).toContain('ENRICH is not supported');
    expect(syntaxError('WHERE a').message).toContain('starts with FROM or ROW');
    expect(syntaxError('ROW a = "x').message).toContain('unterminated string');
  });
  it('reads comments, triple-quoted strings, backquoted names, spans and casts', () => {
    const q = parseEsql('FROM a-*, -a-old METADATA _id // c\n| EVAL `x y` = """a "b" c""", t = 5 minutes, n = "1"::integer /* c */');
    const evalCmd = q.commands[1];
    expect(q.commands[0]).toMatchObject({ command: 'from', indices: ['a-*', '-a-old'], metadata: ['_id'] });
    expect(evalCmd?.command === 'eval' && evalCmd.fields.map((f) => f.name)).toEqual(['x y', 't', 'n']);
  });
  it('parses COMPLETION and reports it as not evaluable', () => {
    const q = compileEsql('ROW p = "hi" | COMPLETION r = p WITH { "inference_id": "x" }');
    expect(q.notEvaluable[0]).toContain('COMPLETION');
    expect(() => q.run(indexResolver([]), { now: 0 })).toThrow(NotEvaluableError);
  });
});

describe('ES|QL evaluation', () => {
  it('uses three-valued logic', () => {
    const r = row('ROW a = null, b = true | EVAL x = a AND false, y = a OR b, z = NOT a, w = a == 1');
    expect(r.rows[0]?.slice(2)).toEqual([false, true, null, null]);
  });
  it('makes a comparison on a multi-value null, with Elasticsearch\'s warning', () => {
    const r = row('ROW a = [1, 2] | EVAL b = a + 1');
    expect(r.rows[0]?.[1]).toBeNull();
    expect(r.warnings).toEqual([
      'Line 1:27: evaluation of [a + 1] failed, treating result as null. Only first 20 failures recorded.',
      'Line 1:27: java.lang.IllegalArgumentException: single-value function encountered multi-value',
    ]);
  });
  it('returns null with a warning on integer overflow and division by zero', () => {
    const r = row('ROW a = 2147483647 | EVAL b = a + 1, c = 1 / 0, d = 7 / 2, e = 7.0 / 2');
    expect(r.rows[0]?.slice(1)).toEqual([null, null, 3, 3.5]);
    expect(r.warnings).toContain('Line 1:31: java.lang.ArithmeticException: integer overflow');
    expect(r.warnings).toContain('Line 1:42: java.lang.ArithmeticException: / by zero');
  });
  it('matches LIKE case-sensitively with escapes, RLIKE as Lucene regex', () => {
    const r = row('ROW s = "a*b.exe" | EVAL l1 = s LIKE "a\\\\*b*", l2 = s LIKE "A*", l3 = s RLIKE "a.b[.]exe", l4 = s LIKE ("x*", "*.exe")');
    expect(r.rows[0]?.slice(1)).toEqual([true, false, true, true]);
  });
  it('reads LIKE ? as one character, * across newlines and a trailing backslash as itself', () => {
    const r = row('ROW s = "ab\\nc\\\\" | EVAL l1 = s LIKE "a?\\nc*", l2 = s LIKE "a*c\\\\", l3 = s LIKE "a?c*", l4 = s LIKE "*\\\\"');
    expect(r.rows[0]?.slice(1)).toEqual([true, true, false, true]);
  });
  it('reads DATE_PARSE text by its pattern', () => {
    const r = row('ROW a = DATE_PARSE("dd/MM/yyyy HH:mm", "06/05/2022 13:45"), b = DATE_PARSE("yyyy-MM-dd", "2022-05-06"), c = DATE_PARSE("2022-05-06T01:02:03Z")');
    expect(r.rows[0]).toEqual([Date.parse('2022-05-06T13:45:00Z'), Date.parse('2022-05-06T00:00:00Z'), Date.parse('2022-05-06T01:02:03Z')]);
    const bad = row('ROW a = DATE_PARSE("dd/MM/yyyy", "2022-05-06")');
    expect(bad.rows[0]).toEqual([null]);
    expect(bad.warnings.join('\n')).toContain('failed to parse date field [2022-05-06] with format [dd/MM/yyyy]');
  });
  it('reads NOW() from the injected clock', () => {
    expect(row('ROW t = NOW()').rows[0]?.[0]).toBe(NOW);
    expect(row('ROW d = DATE_TRUNC(1 day, NOW() - 1 hour)').rows[0]?.[0]).toBe(Date.parse('2024-05-01T00:00:00Z'));
  });
  it('runs STATS with per-aggregate WHERE and BY expressions, then SORT and KEEP', () => {
    const ix = indexFromEvents('logs-a', [{ host: { name: 'h1' }, n: 1 }, { host: { name: 'h1' }, n: 5 }, { host: { name: 'h2' }, n: 2 }], { typeOf: () => undefined });
    const r = row('FROM logs-* | STATS c = COUNT(*), big = COUNT(*) WHERE n > 1, s = SUM(n) BY host.name | SORT host.name DESC | KEEP host.name, c, big, s', [ix]);
    expect(r.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['host.name:keyword', 'c:long', 'big:long', 's:long']);
    expect(r.rows).toEqual([
      ['h2', 1, 1, 2],
      ['h1', 2, 1, 6],
    ]);
  });
  it('runs KQL() through the KQL engine and MATCH on analysed text', () => {
    const ix = indexFromEvents('logs-a', [{ process: { name: 'cmd.exe' }, message: 'Failed login for root' }, { process: { name: 'sh' }, message: 'ok' }], {
      typeOf: (f) => (f === 'message' ? { type: 'text' } : undefined),
    });
    expect(row('FROM logs-a | WHERE KQL("process.name: cmd.exe") | KEEP process.name', [ix]).rows).toEqual([['cmd.exe']]);
    expect(row('FROM logs-a | WHERE message : "LOGIN" | KEEP process.name', [ix]).rows).toEqual([['cmd.exe']]);
  });
  it('DISSECTs with append separators and GROKs typed captures', () => {
    const d = row('ROW m = "GET /a 200" | DISSECT m "%{+x} %{+x} %{code}" APPEND_SEPARATOR = "-" | GROK m "%{WORD:verb} %{NOTSPACE:path} %{INT:status:int}"');
    expect(d.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['m:keyword', 'x:keyword', 'code:keyword', 'verb:keyword', 'path:keyword', 'status:integer']);
    expect(d.rows[0]).toEqual(['GET /a 200', 'GET-/a', '200', 'GET', '/a', 200]);
  });
  it('EVALs onto an event row that lacks trailing mapped fields', () => {
    const ix = indexFromEvents('logs-a', [{ host: { name: 'x' } }], { typeOf: () => ({ type: 'keyword' }), names: () => ['file.path', 'host.name'] }, ['file.path']);
    const r = row('FROM logs-a | EVAL s = host.name | STATS f = VALUES(file.path) BY s', [ix]);
    expect(r.rows).toEqual([[null, 'x']]);
  });
  it('expands multi-values and stops at LIMIT', () => {
    const r = row('ROW a = [1, 2, 3], b = [4, 5, 6] | MV_EXPAND a | MV_EXPAND b | LIMIT 4');
    expect(r.rows.length).toBe(4);
  });
  it('names unknown columns and functions with their position', () => {
    expect(() => row('ROW a = 1 | EVAL b = c + 1')).toThrow(/Unknown column \[c\] \(at line 1, column 22\)/);
    expect(() => row('ROW a = 1 | EVAL b = NOPE(a)')).toThrow(/Unknown function \[NOPE\]/);
  });
});
