import { describe, expect, test } from 'vitest';
import { parseEsql } from '../engines/esql/parse/parser.ts';
import { keySource } from './esql-key-source.ts';

const before = (q: string) => parseEsql(q).commands.slice(1);

describe('keySource', () => {
  test('a plain key is its own source field', () => {
    expect(keySource('user.name', before('FROM x | WHERE a == 1'))).toEqual({ field: 'user.name' });
  });
  test('COALESCE takes its first argument (the others also set it), TO_LOWER folds the key', () => {
    const defs = before('FROM x | EVAL h = COALESCE(TO_LOWER(host.name), TO_LOWER(azure.resource.name))');
    expect(keySource('h', defs)).toEqual({ field: 'host.name', fold: 'lower', also: ['azure.resource.name'] });
  });
  test('CASE values each set the key for their own kind of event', () => {
    const defs = before('FROM x | EVAL a = CASE(d == "fw", source.ip, null), b = CASE(d == "edr", host.ip, null) | EVAL k = COALESCE(a, b)');
    expect(keySource('k', defs)).toEqual({ field: 'source.ip', also: ['host.ip'] });
    expect(keySource('k', before('FROM x | EVAL k = CASE(a == 1, 1, 0)'))).toBeUndefined();
  });
  test('a key redefined in terms of itself reads the earlier column; RENAME follows the old name', () => {
    expect(keySource('session.id', before('FROM x | EVAL session.id = COALESCE(o365.sid, session.id, null)'))).toEqual({ field: 'o365.sid', also: ['session.id'] });
    expect(keySource('u', before('FROM x | RENAME user.name AS u'))).toEqual({ field: 'user.name' });
  });
  test('REPLACE keeps its source field, marked rewritten', () => {
    expect(keySource('k', before('FROM x | EVAL k = REPLACE(a, "/x", "")'))).toEqual({ field: 'a', rewritten: true });
  });
  test('GROK output has no source field', () => {
    expect(keySource('id', before('FROM x | GROK msg "id=%{WORD:id}"'))).toBeUndefined();
  });
});
