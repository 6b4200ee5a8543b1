import { describe, expect, it } from 'vitest';
import type { Event } from '../../core/event.ts';
import { QuerySyntaxError } from '../common/query-syntax-error.ts';
import { compileEql, type EqlOptions } from './index.ts';

const proc = (fields: Record<string, unknown>, t?: number): Event => ({ event: { category: ['process'] }, ...(t === undefined ? {} : { '@timestamp': t }), ...fields });
const hits = (q: string, events: readonly Event[], opts?: EqlOptions): number[][] => compileEql(q, { size: 1000, ...opts }).run(events).map((r) => r.events);
const m = (q: string, e: Event): boolean => compileEql(q).matches(e);

function syntaxError(q: string): QuerySyntaxError {
  try {
    compileEql(q);
  } catch (e) {
    if (e instanceof QuerySyntaxError) return e;
    throw e;
  }
  throw new Error(`expected a syntax error for ${q}`);
}

describe('event category', () => {
  it('matches any element of a multi-valued category, case-sensitively', () => {
    expect(m('network where true', { event: { category: ['network', 'file'] } })).toBe(true);
    expect(m('file where true', { event: { category: ['network', 'file'] } })).toBe(true);
    expect(m('process where true', { event: { category: 'Process' } })).toBe(false);
  });
  it('`any` needs no category; the category field is configurable', () => {
    expect(m('any where true', {})).toBe(true);
    expect(compileEql('process where true', { eventCategoryField: 'event_type' }).matches({ event_type: 'process' })).toBe(true);
    expect(m('"my-cat" where true', { event: { category: 'my-cat' } })).toBe(true);
  });
});

describe('equality, case and patterns (eql.md §5, §14)', () => {
  const cmd = proc({ process: { name: 'CMD.EXE' } });
  it('== is case-sensitive and has no wildcards; : is insensitive with wildcards', () => {
    expect(m('process where process.name == "cmd.exe"', cmd)).toBe(false);
    expect(m('process where process.name : "cmd.exe"', cmd)).toBe(true);
    expect(m('process where process.name == "CMD.*"', cmd)).toBe(false);
    expect(m('process where process.name == "CMD.*"', proc({ process: { name: 'CMD.*' } }))).toBe(true);
    expect(m('process where process.name : "c?d.*"', cmd)).toBe(true);
    expect(m('process where process.name !: "c?d.*"', cmd)).toBe(false);
  });
  it('patterns are anchored; backslashes are literal', () => {
    expect(m('process where process.name : "cmd*"', proc({ process: { name: 'acmd.exe' } }))).toBe(false);
    expect(m('file where file.path : "C:\\\\Windows\\\\*"', { event: { category: 'file' }, file: { path: 'c:\\windows\\notepad.exe' } })).toBe(true);
  });
  it('in has no wildcards; in~ folds case; not in negates', () => {
    const e = proc({ process: { name: 'TEST123' } });
    expect(m('process where process.name in~ ("test*")', e)).toBe(false);
    expect(m('process where process.name in~ ("test123", "x")', e)).toBe(true);
    expect(m('process where process.name in ("test123", "x")', e)).toBe(false);
    expect(m('process where process.name not in ("test123", "x")', e)).toBe(true);
    expect(m('process where process.name not in~ ("test123", "x")', e)).toBe(false);
  });
  it('like / like~ / regex / regex~', () => {
    const e = proc({ process: { name: 'PowerShell.exe' } });
    expect(m('process where process.name like "power*"', e)).toBe(false);
    expect(m('process where process.name like~ "power*"', e)).toBe(true);
    expect(m('process where process.name like ("x", "Power*")', e)).toBe(true);
    expect(m('process where process.name regex "Power.*"', e)).toBe(true);
    expect(m('process where process.name regex "Power"', e)).toBe(false);
    expect(m('process where process.name regex "power.*"', e)).toBe(false);
    expect(m('process where process.name regex~ "power.*"', e)).toBe(true);
  });
  it('regex is Lucene: anchored, ^ is literal, "…" quotes, \\d shorthand, @ any string', () => {
    const e = (name: string): Event => proc({ process: { name } });
    expect(m('process where process.name regex "^cmd"', e('cmd'))).toBe(false);
    expect(m('process where process.name regex "^cmd"', e('^cmd'))).toBe(true);
    expect(m('process where process.name regex "a\\\\.b"', e('a.b'))).toBe(true);
    expect(m('process where process.name regex "\\"a.b\\"c"', e('a.bc'))).toBe(true);
    expect(m('process where process.name regex "\\"a.b\\"c"', e('axbc'))).toBe(false);
    expect(m('process where process.name regex "v[0-9]{2,3}"', e('v123'))).toBe(true);
    expect(m('process where process.name regex "x\\\\d+"', e('x42'))).toBe(true);
    expect(m('process where process.name regex "a@"', e('anything'))).toBe(true);
    expect(m('process where process.name regex "a+?"', e(''))).toBe(true);
    expect(syntaxError('process where process.name regex "a&b"').message).toMatch(/not supported/);
  });
  it(': against a number is equality; numbers and numeric strings coerce', () => {
    expect(m('process where serial : 1', proc({ serial: 1 }))).toBe(true);
    expect(m('process where code == 4688', proc({ code: '4688' }))).toBe(true);
    expect(m('process where code == "4688"', proc({ code: 4688 }))).toBe(true);
    expect(m('process where flag == true', proc({ flag: true }))).toBe(true);
    expect(m('process where flag', proc({ flag: true }))).toBe(true);
    expect(m('process where flag', proc({ flag: false }))).toBe(false);
  });
  it('string comparison is case-sensitive lexicographic', () => {
    expect(m('process where name < "a"', proc({ name: 'Z' }))).toBe(true);
    expect(m('process where name >= "System"', proc({ name: 'System Idle' }))).toBe(true);
    expect(m('process where pid > 10', proc({ pid: 'abc' }))).toBe(false);
  });
});

describe('null, missing fields and arrays (eql.md §7, §8)', () => {
  const noParent = proc({ process: { name: 'x' } });
  it('positive tests on missing fields are false, negated ones true', () => {
    expect(m('process where process.parent.name == "explorer.exe"', noParent)).toBe(false);
    expect(m('process where process.parent.name != "explorer.exe"', noParent)).toBe(true);
    expect(m('process where not process.parent.name : "explorer.exe"', noParent)).toBe(true);
    expect(m('process where exit_code >= 0', noParent)).toBe(false);
    expect(m('process where process.parent.name == null', noParent)).toBe(true);
    expect(m('process where process.parent.name != null', noParent)).toBe(false);
    expect(m('process where process.name != null', noParent)).toBe(true);
    expect(m('process where process.name == null', proc({ process: { name: null } }))).toBe(true);
    expect(m('process where process.name == null', proc({ process: { name: [] } }))).toBe(true);
  });
  it('function results are null-safe: a comparison with null is false even for !=', () => {
    expect(m('process where length(process.parent.name) != 12', noParent)).toBe(false);
    expect(m('process where not (length(process.parent.name) == 12)', noParent)).toBe(true);
    expect(m('process where null : (exit_code > -1)', noParent)).toBe(true);
    expect(m('process where null : (exit_code > -1)', proc({ exit_code: 0 }))).toBe(false);
  });
  it('?field behaves like the field mapping-less', () => {
    expect(m('network where ?user.id != null', { event: { category: 'network' } })).toBe(false);
    expect(m('network where ?user.id != null', { event: { category: 'network' }, user: { id: 'u1' } })).toBe(true);
  });
  it('arrays: each predicate has exists-an-element semantics', () => {
    const args = proc({ process: { args: ['powershell', '-enc', 'AA'], pid: [50, 300] } });
    expect(m('process where process.args == "-enc"', args)).toBe(true);
    expect(m('process where process.args != "-enc"', args)).toBe(false);
    expect(m('process where process.pid > 100 and process.pid < 200', args)).toBe(true);
    expect(m('process where length(process.args) == 3', proc({ process: { args: ['ab', 'abc'] } }))).toBe(true);
    expect(m('process where process.args : "-E*"', args)).toBe(true);
  });
  it('fields resolve nested objects, literal dotted keys and backquoted names, never the prototype', () => {
    expect(m('process where process.name == "a"', proc({ 'process.name': 'a' }))).toBe(true);
    expect(m('process where process.parent.name == "a"', proc({ process: { 'parent.name': 'a' } }))).toBe(true);
    expect(m('process where `my-field` == "a"', proc({ 'my-field': 'a' }))).toBe(true);
    expect(m('process where constructor != null', proc({}))).toBe(false);
    expect(m('process where process.toString != null', proc({ process: {} }))).toBe(false);
  });
  it('re-reads an event edited in place between two evaluations of the same query', () => {
    const q = compileEql('process where process.name == "a"');
    const e = { event: { category: 'process' }, process: { name: 'a' } };
    expect(q.matches(e)).toBe(true);
    e.process.name = 'b';
    expect(q.matches(e)).toBe(false);
  });
});

describe('arithmetic and functions (eql.md §6, §9)', () => {
  const e = proc({ n: 3, s: 'subdomain.example.com', empty: '' });
  it('integer division truncates toward zero; float literals make it float', () => {
    expect(m('process where (4 / n) == 1', e)).toBe(true);
    expect(m('process where (4.0 / n) == 1', e)).toBe(false);
    expect(m('process where -4 / n == -1', e)).toBe(true);
    expect(m('process where modulo(10, -6) == 4 and modulo(-10, -6) == -4 and n % 2 == 1', e)).toBe(true);
    expect(m('process where divide(n, 0) == null', e)).toBe(true);
    expect(m('process where add(n, missing) == null and multiply(n, 2) == 6 and subtract(n, 1) == 2', e)).toBe(true);
  });
  it('string functions, with ~ variants and null behaviour', () => {
    expect(m('process where between(s, "sub", ".") == "domain"', e)).toBe(true);
    expect(m('process where between(s, ".", ".", true) == "example"', e)).toBe(true);
    expect(m('process where between(s, "q", ".") == ""', e)).toBe(true);
    expect(m('process where between~(s, "SUB", ".") == "domain"', e)).toBe(true);
    expect(m('process where concat(s, 1, true) == "subdomain.example.com1true"', e)).toBe(true);
    expect(m('process where concat(s, missing) == null', e)).toBe(true);
    expect(m('process where endsWith(s, ".com") and not endsWith(s, ".COM") and endsWith~(s, ".COM")', e)).toBe(true);
    expect(m('process where startsWith(empty, "")', e)).toBe(true);
    expect(m('process where indexOf~(s, "D") == 3 and indexOf(s, "D") == null and indexOf(s, "", -5) == 0', e)).toBe(true);
    expect(m('process where indexOf(s, "o", 100) == null', e)).toBe(true);
    expect(m('process where length(s) == 21 and length(empty) == 0', e)).toBe(true);
    expect(m('process where number("0x32", null) == 50 and number(" 42 ") == 42 and number("32", 16) == 50 and number("1.5") == 1.5', e)).toBe(true);
    expect(m('process where number("garbage") == null', e)).toBe(true);
    expect(m('process where string(n) == "3" and stringContains(s, "example") and stringContains(s, "")', e)).toBe(true);
    expect(m('process where stringContains~(s, "EXAMPLE") and not stringContains(s, "EXAMPLE")', e)).toBe(true);
    expect(m('process where substring("start regsvr32.exe", -4, -1) == ".ex" and substring(s, 100) == "" and substring(s, 3, 1) == ""', e)).toBe(true);
  });
  it('cidrMatch: IPv4/IPv6, host bits masked, non-IP false', () => {
    const net = (ip: unknown): Event => ({ event: { category: 'network' }, source: { ip } });
    expect(m('network where cidrMatch(source.ip, "10.6.48.157/8")', net('10.1.2.3'))).toBe(true);
    expect(m('network where cidrMatch(source.ip, "192.168.0.0/16", "fe80::/10")', net('fe80::1'))).toBe(true);
    expect(m('network where cidrMatch(source.ip, "192.168.0.0/16")', net('not-an-ip'))).toBe(false);
    expect(m('network where not cidrMatch(source.ip, "192.168.0.0/16")', net(undefined))).toBe(true);
  });
  it('function names are case-insensitive', () => {
    expect(m('process where STARTSWITH~(s, "SUB")', e)).toBe(true);
  });
});

describe('syntax and type errors carry the offset', () => {
  const cases: [string, number, RegExp][] = [
    ['process where a == 1 AND b == 2', 21, /unexpected/],
    ["process where a == 'x'", 19, /single-quoted/],
    ['process where a = 1', 16, /==/],
    ['process where foo(a)', 14, /unknown function \[foo\]/],
    ['process where endsWith ~(a, "b")', 23, /unexpected character '~'/],
    ['process where a == b', 16, /two field/],
    ['process where process.name == concat(x, "y")', 27, /two field/],
    ['process where a < b < c', 20, /chained/],
    ['process where true | count', 21, /unknown pipe/],
    ['process where a[0] == 1', 15, /array index/],
    ['sequence with maxspan=5 [a where true] [b where true]', 23, /time unit/],
    ['sequence [a where true] ![b where true]', 0, /maxspan/],
    ["sequence [a where true] with runs=101 [b where true]", 34, /between 1 and 100/],
    ['sequence [a where true]', 0, /at least two/],
    ['process where length(5) == 1', 21, /must be a string/],
    ['process where startsWith(a, 1)', 28, /must be a string/],
    ['process where cidrMatch(ip, "nope")', 28, /invalid CIDR/],
    ['process where length~(a) == 1', 14, /no case-insensitive/],
    ['process where add(a)', 14, /takes 2 arguments/],
    ['process where "a" + 1 == 2', 14, /arithmetic/],
    ['process where length(a)', 14, /must be boolean/],
    ['process where a : "x" and\n  b =', 30, /==/],
  ];
  for (const [q, offset, msg] of cases) {
    it(q.replace(/\n/g, '⏎'), () => {
      const err = syntaxError(q);
      expect(err.message).toMatch(msg);
      expect(err.offset).toBe(offset);
    });
  }
  it('reports line and column', () => {
    const err = syntaxError('process where a : "x" and\n  b =');
    expect([err.line, err.column]).toEqual([2, 5]);
  });
  it('accepts strings with escapes, raw strings, comments and unicode escapes', () => {
    expect(m('process where a == "\\u{41}\\t" // trailing comment', proc({ a: 'A\t' }))).toBe(true);
    expect(m('process where /* c /* nested */ */ a == """C:\\x"""', proc({ a: 'C:\\x' }))).toBe(true);
  });
});

describe('ordering, pipes and size', () => {
  const evs = [proc({ id: 1 }, 30), proc({ id: 2 }, 10), proc({ id: 3 }, 20), proc({ id: 4 }, 10)];
  it('orders by timestamp, tiebreaker, then input order', () => {
    expect(hits('process where true', evs)).toEqual([[1], [3], [2], [0]]);
    expect(hits('process where true', evs, { tiebreakerField: 'id' })).toEqual([[1], [3], [2], [0]]);
    const tie = [proc({ id: 9 }, 10), proc({ id: 1 }, 10)];
    expect(hits('process where true', tie, { tiebreakerField: 'id' })).toEqual([[1], [0]]);
  });
  it('head and tail chain left to right; size caps the result', () => {
    expect(hits('process where true | tail 3 | head 2', evs)).toEqual([[3], [2]]);
    expect(hits('process where true | head 3 | tail 1', evs)).toEqual([[2]]);
    expect(compileEql('process where true').run(evs)).toHaveLength(4);
    expect(compileEql('process where true', { size: 2 }).run(evs).map((r) => r.events)).toEqual([[1], [3]]);
    expect(compileEql('process where true | tail 3', { size: 2 }).run(evs).map((r) => r.events)).toEqual([[2], [0]]);
  });
  it('reads ISO, epoch-millis and numeric-string timestamps', () => {
    const mixed = [proc({}, undefined), { event: { category: 'process' }, '@timestamp': '2024-01-01T00:00:01Z' }, { event: { category: 'process' }, '@timestamp': '1' }];
    expect(hits('process where true', mixed)).toEqual([[2], [1], [0]]);
  });
});

describe('sequences (eql.md §10)', () => {
  const user = (name: string, pname: string, t: number): Event => proc({ user: { name }, process: { name: pname } }, t);
  it('runs the state machine of the docs example', () => {
    const data = [
      ['root', 'attrib'],
      ['root', 'attrib'],
      ['elkbee', 'bash'],
      ['root', 'bash'],
      ['root', 'bash'],
      ['elkbee', 'attrib'],
      ['root', 'attrib'],
      ['elkbee', 'bash'],
      ['root', 'cat'],
      ['elkbee', 'cat'],
      ['root', 'cat'],
    ].map(([u, p], i) => user(u!, p!, i + 1));
    const q = 'sequence by user.name [process where process.name == "attrib"] [process where process.name == "bash"] [process where process.name == "cat"]';
    expect(hits(q, data)).toEqual([
      [1, 3, 8],
      [5, 7, 9],
    ]);
  });
  it('one event may advance several partials (sequenceConditionManyMany)', () => {
    const data = [1, 2, 3, 4, 5].map((i) => proc({ serial: i }, i));
    expect(hits('sequence [process where serial <= 3] [process where true] [process where true]', data)).toEqual([
      [0, 1, 2],
      [1, 2, 3],
      [2, 3, 4],
    ]);
  });
  it('a newer partial overwrites the older one', () => {
    const data = [proc({ k: 'a' }, 1), proc({ k: 'a' }, 2), proc({ k: 'b' }, 3)];
    expect(hits('sequence [process where k == "a"] [process where k == "b"]', data)).toEqual([[1, 2]]);
  });
  it('maxspan is inclusive', () => {
    const a = proc({ k: 'a' }, 0);
    expect(hits('sequence with maxspan=5s [process where k == "a"] [process where k == "b"]', [a, proc({ k: 'b' }, 5000)])).toEqual([[0, 1]]);
    expect(hits('sequence with maxspan=5s [process where k == "a"] [process where k == "b"]', [a, proc({ k: 'b' }, 5001)])).toEqual([]);
    expect(hits('sequence with maxspan=500ms [process where k == "a"] [process where k == "b"]', [a, proc({ k: 'b' }, 500)])).toEqual([[0, 1]]);
  });
  it('until cancels pending partials only', () => {
    const q = 'sequence by id [process where k == "A"] [process where k == "B"] until [process where k == "C"]';
    const ev = (k: string, t: number): Event => proc({ id: 1, k }, t);
    expect(hits(q, [ev('A', 1), ev('C', 2), ev('B', 3)])).toEqual([]);
    expect(hits(q, [ev('A', 1), ev('B', 2), ev('C', 3)])).toEqual([[0, 1]]);
  });
  it('runs=N repeats a stage', () => {
    const data = [proc({ k: 'x', h: 1 }, 1), proc({ k: 'x', h: 1 }, 2), proc({ k: 'y', h: 1 }, 3)];
    expect(hits('sequence by h [process where k == "x"] with runs=2 [process where k == "y"]', data)).toEqual([[0, 1, 2]]);
    expect(hits('sequence by h [process where k == "x"] [process where k == "x"] [process where k == "y"]', data)).toEqual([[0, 1, 2]]);
    expect(hits('sequence by h [process where k == "x"] with runs=3 [process where k == "y"]', data)).toEqual([]);
  });
  it('per-stage keys join positionally; null keys exclude unless ?key', () => {
    const data = [proc({ k: 'A', a: 'p' }, 1), proc({ k: 'B', b: 'p' }, 2)];
    expect(hits('sequence [process where k == "A"] by a [process where k == "B"] by b', data)).toEqual([[0, 1]]);
    const nokey = [proc({ k: 'A' }, 1), proc({ k: 'B' }, 2)];
    expect(hits('sequence by process.entity_id [process where k == "A"] [process where k == "B"]', nokey)).toEqual([]);
    expect(hits('sequence by ?process.entity_id [process where k == "A"] [process where k == "B"]', nokey)).toEqual([[0, 1]]);
    expect(hits('sequence by id [process where k == "A"] [process where k == "B"]', [proc({ k: 'A', id: 5 }, 1), proc({ k: 'B', id: '5' }, 2)])).toEqual([]);
  });
  it('missing events: a trailing ![…] within maxspan rejects the candidate', () => {
    const q = 'sequence by host.name, user.name with maxspan=5s [authentication where event.code : "4624"] ![authentication where event.code : "4647"]';
    const ev = (code: string, t: number): Event => ({ event: { category: 'authentication', code }, host: { name: 'h' }, user: { name: 'u' }, '@timestamp': t });
    expect(hits(q, [ev('4624', 0), ev('4647', 3000)])).toEqual([]);
    expect(hits(q, [ev('4624', 0), ev('4647', 7000)])).toEqual([[0]]);
  });
  it('missing events: leading and trailing are checked jointly against maxspan', () => {
    const ev = (k: string, min: number): Event => proc({ k }, min * 60_000);
    const data = [ev('M', 0), ev('N', 10), ev('M', 20)];
    expect(hits('sequence with maxspan=19m ![process where k == "M"] [process where k == "N"] ![process where k == "M"]', data)).toEqual([[1]]);
    expect(hits('sequence with maxspan=21m ![process where k == "M"] [process where k == "N"] ![process where k == "M"]', data)).toEqual([]);
    expect(hits('sequence with maxspan=3m ![process where k == "M"] [process where k == "N"]', [ev('M', 0), ev('N', 10), ev('M', 20), ev('N', 21)])).toEqual([[1]]);
  });
  it('missing events in the middle must fall between their neighbours', () => {
    const q = 'sequence with maxspan=1h [process where k == "A"] ![process where k == "M"] [process where k == "B"]';
    expect(hits(q, [proc({ k: 'A' }, 1), proc({ k: 'M' }, 2), proc({ k: 'B' }, 3)])).toEqual([]);
    expect(hits(q, [proc({ k: 'M' }, 0), proc({ k: 'A' }, 1), proc({ k: 'B' }, 3)])).toEqual([[1, 2]]);
  });
  it('matches() is true for an event of any stage; kind is sequence', () => {
    const q = compileEql('sequence [process where k == "A"] [file where true]');
    expect(q.kind).toBe('sequence');
    expect(q.matches(proc({ k: 'A' }))).toBe(true);
    expect(q.matches({ event: { category: 'file' } })).toBe(true);
    expect(q.matches(proc({ k: 'B' }))).toBe(false);
  });
  it('head/tail count whole sequences', () => {
    const data = [1, 2, 3, 4].map((i) => proc({ serial: i }, i));
    expect(hits('sequence [process where true] [process where true] | tail 1', data)).toEqual([[2, 3]]);
  });
});

describe('samples (eql.md §11)', () => {
  it('joins filters by key in any time order, listing events in filter order', () => {
    const data = [proc({ host: 'h', k: 'b' }, 1), proc({ host: 'h', k: 'a' }, 2), proc({ host: 'g', k: 'a' }, 3)];
    const q = compileEql('sample by host [process where k == "a"] [process where k == "b"]');
    expect(q.kind).toBe('sample');
    expect(q.run(data).map((r) => r.events)).toEqual([[1, 0]]);
  });
  it('null keys exclude unless ?key; each filter takes a different event', () => {
    const data = [proc({ k: 'a' }, 1), proc({ k: 'b' }, 2)];
    expect(hits('sample by host [process where true] [process where true]', data)).toEqual([]);
    expect(hits('sample by ?host [process where true] [process where true]', data)).toEqual([[0, 1]]);
    expect(hits('sample by ?host [process where true] [process where true]', [proc({ k: 'a' }, 1)])).toEqual([]);
  });
});

describe('explain and constraints', () => {
  it('explains the category check and each clause with the value seen', () => {
    const t = compileEql('process where process.name == "CMD.EXE" and not process.pid > 3 and length(x) == 1').explain(proc({ process: { name: 'cmd.exe', pid: 1 } }));
    expect(t.result).toBe(false);
    expect(t.children[0]!.result).toBe(true);
    const cond = t.children[1]!;
    expect(cond.children.map((c) => c.result)).toEqual([false, true, null]);
    expect(cond.children[0]!.detail).toBe('process.name is "cmd.exe", expected == "CMD.EXE" (case-sensitive)');
    expect(cond.children[2]!.detail).toContain('missing');
  });
  it('maps operators to predicate leaves', () => {
    const c = compileEql('process where a == "x" and b : ("y*", "z") and c in~ ("q") and d regex "r.*" and cidrMatch(ip, "10.1.2.3/8") and n >= 5 and e != null and not f == 1 and length(g) > 1 and startsWith~(h, "ab") and endsWith(h, k) and add(m, 1) > 2').constraints();
    expect(c.logic.kind).toBe('and');
    const [cat, cond] = (c.logic as unknown as { children: unknown[] }).children as [unknown, { children: unknown[] }];
    expect(cat).toEqual({ kind: 'match', field: 'event.category', pattern: [{ kind: 'text', text: 'process' }], mode: 'sensitive' });
    const kinds = cond.children.map((x) => JSON.stringify(x));
    expect(kinds[0]).toContain('"mode":"sensitive"');
    expect(kinds[1]).toContain('"kind":"or"');
    expect(kinds[1]).toContain('"mode":"insensitive"');
    expect(kinds[1]).toContain('{"kind":"star"}');
    expect(kinds[2]).toContain('"mode":"insensitive"');
    expect(kinds[3]).toContain('"kind":"regex"');
    expect(kinds[4]).toContain('"network":"10.0.0.0/8"');
    expect(kinds[5]).toBe('{"kind":"range","field":"n","op":"gte","value":5}');
    expect(kinds[6]).toBe('{"kind":"exists","field":"e"}');
    expect(kinds[7]).toBe('{"kind":"not","child":{"kind":"equals","field":"f","value":1}}');
    // length(), startsWith() / endsWith() with a literal or another field are leaves the generator can use.
    expect(kinds[8]).toBe('{"kind":"regex","field":"g","source":"^[\\\\s\\\\S]{2,}$","flags":"s"}');
    expect(kinds[9]).toBe('{"kind":"match","field":"h","pattern":[{"kind":"text","text":"ab"},{"kind":"star"}],"mode":"insensitive"}');
    expect(kinds[10]).toBe('{"kind":"fieldref","field":"h","other":"k","position":"endswith","mode":"sensitive"}');
    expect(kinds[11]).toContain('"kind":"opaque"');
  });
  it('describes sequences as steps with window and keys', () => {
    const c = compileEql('sequence by host.id with maxspan=1m [process where true] by a [file where true] by b with runs=2').constraints();
    expect(c.aggregate?.type).toBe('sequence');
    expect(c.aggregate?.steps).toHaveLength(3);
    expect(c.aggregate?.windowMs).toBe(60_000);
    expect(c.aggregate?.groupBy).toEqual(['host.id', 'a']);
    expect(c.logic.kind).toBe('or');
  });
});

// Found by the parser fuzzer: an identifier of just `@` looped forever in the lexer.
describe("lexer termination", () => {
  it('a bare @ is an identifier, not an endless loop', () => {
    expect(() => compileEql('@')).toThrow();
    expect(compileEql('any where @timestamp > 0').run([{ '@timestamp': 5, event: { category: 'process' } }])).toHaveLength(1);
  });
});
