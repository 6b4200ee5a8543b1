import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import type { Event } from '../../core/event.ts';
import { QuerySyntaxError } from '../common/query-syntax-error.ts';
import { compileLucene } from './index.ts';
import { SHARED } from '../../core/shared-dir.ts';

const m = (q: string, e: Event): boolean => compileLucene(q).matches(e);

describe('Lucene query-string syntax', () => {
  it('field:value, phrases, free text, default operator OR', () => {
    expect(m('process.name:cmd.exe', { process: { name: 'cmd.exe' } })).toBe(true);
    expect(m('process.name:CMD.EXE', { process: { name: 'cmd.exe' } })).toBe(false);
    expect(m('f:"a b"', { f: 'a b' })).toBe(true);
    expect(m('f:a g:b', { g: 'b' })).toBe(true);
    expect(m('hello', { x: { y: 'hello' } })).toBe(true);
    expect(m('', {})).toBe(true);
  });
  it('AND/OR/NOT/&&/||/!, +/- and the classic-parser clause rules', () => {
    const e = { a: '1', b: '2' };
    expect(m('a:1 AND b:2', e)).toBe(true);
    expect(m('a:1 && b:3', e)).toBe(false);
    expect(m('a:9 || b:2', e)).toBe(true);
    expect(m('a:1 AND NOT b:2', e)).toBe(false);
    expect(m('a:1 !b:3', e)).toBe(true);
    expect(m('+a:1 -b:2', e)).toBe(false);
    expect(m('NOT a:9', e)).toBe(true);
    // `x AND y OR z` = +x +y z: z is optional once there is a MUST clause.
    expect(m('a:1 AND b:3 OR c:1', { a: '1', c: '1' })).toBe(false);
    expect(m('a:9 OR b:2 AND c:1', { a: '9' })).toBe(false);
    expect(m('(a:9 OR b:2) AND a:1', e)).toBe(true);
    // Lower-case operators are terms.
    expect(m('f:(x or y)', { f: 'or' })).toBe(true);
  });
  it('field groups, wildcards, regex, ranges, exists, escapes', () => {
    expect(m('f:(x OR y)', { f: 'y' })).toBe(true);
    expect(m('f:fo?', { f: 'foo' })).toBe(true);
    expect(m('f:*oo', { f: 'foo' })).toBe(true);
    expect(m('f:*', { f: 'x' })).toBe(true);
    expect(m('f:*', {})).toBe(false);
    expect(m('f:/2[0-9]{3}/', { f: '2755' })).toBe(true);
    expect(m('f:/2[0-9]{3}/', { f: '12755' })).toBe(false);
    expect(m('n:[1 TO 5]', { n: 5 })).toBe(true);
    expect(m('n:{1 TO 5}', { n: 5 })).toBe(false);
    expect(m('n:[3 TO *]', { n: 9 })).toBe(true);
    expect(m('n:>=3', { n: 3 })).toBe(true);
    expect(m('_exists_:f', { f: 0 })).toBe(true);
    expect(m('f:C\\:\\\\x', { f: 'C:\\x' })).toBe(true);
    expect(m('f:g+s', { f: 'g+s' })).toBe(true);
    expect(m('f:abc~1', { f: 'abd' })).toBe(true);
    expect(m('process.\\*.name:x', { process: { parent: { name: 'x' } } })).toBe(true);
    expect(m('ip:"10.0.0.0/8"', { ip: '10.2.3.4' })).toBe(true);
    expect(m('message:root', { message: 'Failed for ROOT' })).toBe(true);
  });
  it('"phrase"~N on analysed text: the words may move N positions (swapping two costs 2); on a keyword the phrase is the whole value', () => {
    const msg = { message: 'user root failed to log in' };
    expect(m('message:"root log"', msg)).toBe(false);
    // root at 1, log at 4: two positions from adjacent.
    expect(m('message:"root log"~1', msg)).toBe(false);
    expect(m('message:"root log"~2', msg)).toBe(true);
    expect(m('message:"failed root"~1', msg)).toBe(false);
    expect(m('message:"failed root"~2', msg)).toBe(true);
    expect(m('message:"root root"~5', msg)).toBe(false);
    expect(m('message:"root root"~5', { message: 'root x root' })).toBe(true);
    expect(m('message:"root log"~', msg)).toBe(false);
    expect(m('f:"a b"~3', { f: 'a x b' })).toBe(false);
    expect(m('f:"a b"~3', { f: 'a b' })).toBe(true);
  });
  it('/regex/ is Lucene RegExp syntax: anchored, ^ and $ literal, "…" literal runs, @ any string, . any character', () => {
    expect(m('f:/ab.*/', { f: 'abc' })).toBe(true);
    expect(m('f:/ab.*/', { f: 'xabc' })).toBe(false);
    expect(m('f:/^ab$/', { f: 'ab' })).toBe(false);
    expect(m('f:/^ab$/', { f: '^ab$' })).toBe(true);
    expect(m('f:/a"+."b/', { f: 'a+.b' })).toBe(true);
    expect(m('f:/a"+."b/', { f: 'aab' })).toBe(false);
    expect(m('f:/a@/', { f: 'a anything' })).toBe(true);
    expect(m('f:/a.b/', { f: 'a\nb' })).toBe(true);
    expect(m('f:/[0-9]+\\.[0-9]+/', { f: '10.5' })).toBe(true);
    expect(() => compileLucene('f:/a<1-3>/')).toThrow(QuerySyntaxError);
  });
  it.each([
    ['f:(a OR', 7],
    ['f:"abc', 2],
    ['f:[1 TO', 7],
    ['f:/(/', 2],
    ['a:1 )', 4],
  ])('%j is a syntax error at offset %d', (q, offset) => {
    let err: unknown;
    try {
      compileLucene(q);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(QuerySyntaxError);
    expect((err as QuerySyntaxError).offset).toBe(offset);
  });
  it('explains with the shared engine', () => {
    const t = compileLucene('process.name:cmd.exe').explain({ process: { name: 'CMD.EXE' } });
    expect(t.detail).toBe('process.name is "CMD.EXE", expected "cmd.exe" (keyword: case-sensitive)');
  });
});

const root = join(SHARED, 'corpus', 'elastic');
const shared = existsSync(root);
if (!shared) console.log(`lucene corpus test skipped: ${root} is absent (needs ../shared beside the checkout)`);

describe.skipIf(!shared)('Elastic lucene rules compile (needs ../shared)', () => {
  it('every rule with language = "lucene"', () => {
    const qs: { file: string; query: string }[] = [];
    for (const f of readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((x) => x.endsWith('.toml'))) {
      const doc = parse(readFileSync(join(root, f), 'utf8')) as { rule?: { language?: string; query?: unknown } };
      if (doc.rule?.language === 'lucene') qs.push({ file: f, query: typeof doc.rule.query === 'string' ? doc.rule.query : '' });
    }
    const failures = qs.flatMap((q) => {
      try {
        compileLucene(q.query).matches({});
        return [];
      } catch (e) {
        return [`${q.file}: ${(e as Error).message}`];
      }
    });
    console.log(`lucene: ${qs.length - failures.length}/${qs.length} compiled`);
    expect(qs.length).toBeGreaterThan(0);
    expect(failures).toEqual([]);
    const setgid = compileLucene(qs[0]!.query);
    expect(setgid.matches({ event: { category: 'process', type: 'start' }, process: { name: 'chmod', args: ['2755', 'x'] }, user: { name: 'bob' } })).toBe(true);
  });
});
