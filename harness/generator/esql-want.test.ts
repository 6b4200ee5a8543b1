import { describe, expect, test } from 'vitest';
import { conjuncts } from '../engines/esql/ast.ts';
import { parseEsql } from '../engines/esql/parse/parser.ts';
import type { Assignment } from './esql-assignment.ts';
import { definitionsBefore } from './esql-defs.ts';
import { wantsTrue, type WantContext } from './esql-want.ts';
import { REMOVE } from './event-edit.ts';

/** The candidates for the last WHERE's `n`-th conjunct of a query, read through the commands before it. */
function wants(query: string, n = 0, extra: Partial<WantContext> = {}, current: Record<string, unknown> = {}): Assignment[] {
  const q = parseEsql(query);
  const k = q.commands.map((c) => c.command).lastIndexOf('where');
  const where = q.commands[k]!;
  if (where.command !== 'where') throw new Error('no WHERE');
  const w: WantContext = { defs: definitionsBefore(q.commands, k), current: (f) => current[f], anyValue: (f) => `any-${f}`, ...extra };
  return wantsTrue(conjuncts(where.condition)[n]!, w);
}

const plain = (as: readonly Assignment[]): Record<string, unknown>[] => as.map((a) => Object.fromEntries(a));

describe('a row-level ES|QL condition read backwards into edits of source fields', () => {
  test('IS NOT NULL of a COALESCE: any of its fields holds a value', () => {
    expect(plain(wants('FROM x | EVAL u = COALESCE(a.user, b.user) | WHERE u IS NOT NULL'))).toEqual([{ 'a.user': 'any-a.user' }, { 'b.user': 'any-b.user' }]);
  });
  test('LIKE "*x*" through TO_LOWER(URL_DECODE(…)): the current text with x appended, or x alone', () => {
    expect(plain(wants('FROM x | EVAL u = TO_LOWER(URL_DECODE(url.original)) | WHERE u LIKE "*etc/passwd*"', 0, {}, { 'url.original': '/a?b=c' }))).toEqual([{ 'url.original': '/a?b=c etc/passwd' }, { 'url.original': 'etc/passwd' }]);
  });
  test('a CASE column: the branch condition true and the branch value wanted', () => {
    const got = plain(wants('FROM x | EVAL v = CASE(process.name == "a.exe", "A", process.name == "b.exe", "B", null) | WHERE v == "B"'));
    expect(got).toEqual([{ 'process.name': 'b.exe' }]);
  });
  test('field against field: copied from the other side on the failing row, else fresh values', () => {
    const evaluate = (e: { type: string; name?: string }) => (e.type === 'field' && e.name === 'user.target.name' ? 'bob' : undefined);
    expect(plain(wants('FROM x | WHERE user.name != user.target.name', 0, { evaluate: evaluate as WantContext['evaluate'] }))).toEqual([{ 'user.name': 'bob-other' }, { 'user.name': 'bobz' }, { 'user.name': 'sample-1', 'user.target.name': 'sample-2' }]);
  });
  test('KQL with not: the negated field goes (KQL is two-valued)', () => {
    expect(plain(wants('FROM x | WHERE KQL("""event.type : "start" and not event.action : "fork" """)'))).toEqual([{ 'event.type': 'start', 'event.action': REMOVE }]);
  });
  test('NOT KQL: the field of a leaf it asks for goes', () => {
    expect(plain(wants('FROM x | WHERE NOT KQL("""tags : "Higher-Order" """)'))).toEqual([{ tags: REMOVE }]);
  });
  test('MATCH with options and the `:` operator plant the searched text', () => {
    expect(plain(wants('FROM x | WHERE match(process.name, "svchost.exe", { "fuzziness": 1 })'))).toEqual([{ 'process.name': 'svchost.exe' }]);
    expect(plain(wants('FROM x | WHERE powershell.file.script_block_text : "char"'))).toEqual([{ 'powershell.file.script_block_text': 'char' }]);
  });
  test('LENGTH and MV_COUNT bounds: a text of that length (the current one repeated), that many values', () => {
    const got = plain(wants('FROM x | EVAL n = LENGTH(TO_LOWER(cmd)) | WHERE n >= 5', 0, {}, { cmd: 'ab' }));
    expect(got[0]).toEqual({ cmd: 'ababa' });
    expect(plain(wants('FROM x | EVAL n = MV_COUNT(tags) | WHERE n > 1'))[0]).toEqual({ tags: ['any-tags', 'any-tags-1'] });
  });
  test('a LENGTH bound beyond 100 000 characters is left to hand-written cases', () => {
    expect(wants('FROM x | WHERE LENGTH(cmd) > 5000000')).toEqual([]);
  });
  test('LOCATE of a folded constant: the part placed in the text', () => {
    const constant = () => '  ';
    expect(plain(wants('FROM x | EVAL p = LOCATE(cmd, SPACE(2)) | WHERE p > 0', 0, { constant })).map((a) => a.cmd)).toEqual(['  ']);
  });
  test('arithmetic with a constant side undone', () => {
    expect(plain(wants('FROM x | EVAL s = event.duration / 1000000 | WHERE s > 5'))).toEqual([{ 'event.duration': 6000000 }]);
    expect(plain(wants('FROM x | EVAL d = 100 - -n | WHERE d == 40'))).toEqual([{ n: -60 }]);
  });
  test('TO_INTEGER of a keyword: the number wanted', () => {
    expect(plain(wants('FROM x | WHERE TO_INTEGER(event.severity) <= 3'))).toEqual([{ 'event.severity': 3 }, { 'event.severity': 2 }]);
  });
  test('a DISSECT key: the input text built from the pattern, the other keys keeping their row values', () => {
    const column = (k: string) => (k === 'acct' ? '1234' : undefined);
    expect(plain(wants('FROM x | DISSECT arn "%{acct}:key/%{id}" | WHERE id == "k1"', 0, { column }))).toEqual([{ arn: '1234:key/k1' }]);
  });
  test('a GROK key through REPLACE: the pattern sampled with the value (or a match REPLACE removed) in its slot', () => {
    const got = plain(wants('FROM x | GROK uri "/exec\\\\?%{DATA:cmd}&x=%{GREEDYDATA}" | EVAL c = REPLACE(cmd, "command=", "") | WHERE c == "ls"'));
    expect(got.map((a) => a.uri)).toEqual([expect.stringMatching(/^\/exec\?ls&x=/), expect.stringMatching(/^\/exec\?command=ls&x=/)]);
  });
  test('JSON_EXTRACT(_source, path) reads the field at the path', () => {
    expect(plain(wants('FROM x METADATA _source | EVAL m = TO_UPPER(JSON_EXTRACT(_source, "sip.method")) | WHERE m == "REGISTER"'))).toEqual([{ 'sip.method': 'REGISTER' }]);
  });
  test('FROM_BASE64: the wanted text encoded', () => {
    expect(plain(wants('FROM x | EVAL s = FROM_BASE64(b64) | WHERE s == "bash -i"'))).toEqual([{ b64: Buffer.from('bash -i').toString('base64') }]);
  });
  test('RLIKE: sampled texts the pattern matches whole', () => {
    const got = plain(wants('FROM x | EVAL c = TO_LOWER(cmd) | WHERE c RLIKE ".*(curl|wget).*https.*"'));
    expect(got.length).toBeGreaterThan(0);
    for (const a of got) expect(String(a.cmd)).toMatch(/^.*(curl|wget).*https.*$/s);
  });
  test('an opaque column (COMPLETION output) gives nothing to try', () => {
    expect(wants('FROM x | STATS n = COUNT(*) BY h | WHERE n > 3')).toEqual([]);
  });
});
