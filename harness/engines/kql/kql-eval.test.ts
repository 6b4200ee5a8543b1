import { describe, expect, it } from 'vitest';
import type { Event } from '../../core/event.ts';
import { compileKql } from './index.ts';

const m = (q: string, e: Event, opts?: Parameters<typeof compileKql>[1]): boolean => compileKql(q, opts).matches(e);
const proc = (name: unknown): Event => ({ process: { name } });

describe('KQL worked examples (kql.md §11)', () => {
  it('1. keyword is case-sensitive; .caseless folds case on the parent', () => {
    expect(m('process.name: chrome.exe', proc('Chrome.exe'))).toBe(false);
    expect(m('process.name.caseless: chrome.exe', proc('Chrome.exe'))).toBe(true);
  });
  it('2. one value with a space', () => {
    expect(m('process.name: Google Chrome', proc('Google Chrome'))).toBe(true);
    expect(m('process.name: Google Chrome', proc('Google'))).toBe(false);
  });
  it('3. message is analysed text: phrase, OR of tokens, order', () => {
    const e = { message: 'Failed password for root' };
    expect(m('message: "failed password"', e)).toBe(true);
    expect(m('message: password failed', e)).toBe(true);
    expect(m('message: "password failed"', e)).toBe(false);
  });
  it('4. wildcard on a .text field applies per token', () => {
    expect(m('process.command_line.text: *mimikatz*', { process: { command_line: 'C:\\t\\mimikatz.exe privilege::debug' } })).toBe(true);
  });
  it('5. escaped backslashes; quoted star is literal', () => {
    const e = { file: { path: 'C:\\Windows\\System32\\a.dll' } };
    // The colon is special too: §11's `C:\\Windows\\*` only parses as `C\:\\Windows\\*`.
    expect(m('file.path: C\\:\\\\Windows\\\\*', e)).toBe(true);
    expect(() => compileKql('file.path: C:\\\\Windows\\\\*')).toThrow(/Expected AND, OR, end of input but ":" found/);
    expect(() => compileKql('file.path: C:\\Windows\\*')).toThrow(/Expected/);
    expect(m('file.path: "C:\\Windows\\*"', e)).toBe(false);
  });
  it('6. ? is a literal character', () => {
    expect(m('user.name: adm?n', { user: { name: 'admin' } })).toBe(false);
    expect(m('user.name: adm?n', { user: { name: 'adm?n' } })).toBe(true);
  });
  it('7. not on a missing field is true; exists is false', () => {
    expect(m('not destination.port: 443', {})).toBe(true);
    expect(m('destination.port: *', {})).toBe(false);
  });
  it('8. and inside a value list needs a multi-valued field', () => {
    expect(m('event.category: (process and network)', { event: { category: ['process', 'network'] } })).toBe(true);
    expect(m('event.category: (process and network)', { event: { category: ['process'] } })).toBe(false);
  });
  it('9. nested keeps one element together; flattened does not', () => {
    const e = { items: [{ name: 'a', role: 'x' }, { name: 'b', role: 'admin' }] };
    expect(m('items:{ name: a and role: admin }', e)).toBe(false);
    expect(m('items.name: a and items.role: admin', e)).toBe(true);
    expect(m('items:{ name: b and role: admin }', e)).toBe(true);
    expect(m('items:{ name: a }', { items: { name: 'a' } })).toBe(true);
  });
  it('9b. nested over dotted keys: Elasticsearch expands `items.name` into the object, so one element', () => {
    const q = 'gcp.audit.deltas:{ action: ADD and role: admin }';
    expect(m(q, { 'gcp.audit.deltas.action': 'ADD', 'gcp.audit.deltas.role': 'admin' })).toBe(true);
    expect(m(q, { gcp: { 'audit.deltas.action': 'ADD', audit: { 'deltas.role': 'admin' } } })).toBe(true);
    expect(m(q, { 'gcp.audit.deltas.action': 'ADD', 'gcp.audit.deltas.role': 'viewer' })).toBe(false);
    expect(m(q, { 'gcp.audit.deltasX.action': 'ADD', 'gcp.audit.deltasX.role': 'admin' })).toBe(false);
    // An array of objects stays per element, however it is spelled above the path.
    expect(m(q, { 'gcp.audit': { deltas: [{ action: 'ADD', role: 'x' }, { action: 'DEL', role: 'admin' }] } })).toBe(false);
  });
  it('10. CIDR on IP strings', () => {
    expect(m('source.ip: 10.0.0.0/8', { source: { ip: '10.1.2.3' } })).toBe(true);
    expect(m('source.ip: 10.0.0.0/8', { source: { ip: '192.168.0.1' } })).toBe(false);
  });
  it('11. a numeric-looking string is a keyword: lexicographic range', () => {
    expect(m('bytes > 1000', { bytes: 999 })).toBe(false);
    expect(m('bytes > 1000', { bytes: '999' })).toBe(true);
  });
  it('12. a date matches the whole day (UTC)', () => {
    expect(m('@timestamp: 2024-03-01', { '@timestamp': '2024-03-01T17:00:00Z' })).toBe(true);
    expect(m('@timestamp: 2024-03-01', { '@timestamp': '2024-03-02T00:00:00Z' })).toBe(false);
  });
  it('13. free text over every leaf', () => {
    const e = { a: { b: 'hello world' } };
    expect(m('hello*', e)).toBe(true);
    expect(m('"missing"', e)).toBe(false);
    expect(m('not missing', e)).toBe(true);
  });
  it('14. wildcard field names expand over event paths', () => {
    expect(m('process.*.name: svchost.exe', { process: { parent: { name: 'svchost.exe' } } })).toBe(true);
    expect(m('process.*.name: svchost.exe', { process: { name: 'svchost.exe' } })).toBe(false);
    expect(m('process.*: *', { process: { pid: 4 } })).toBe(true);
  });
  it('15/16/17. syntax traps and TAB in quoted Windows paths', () => {
    expect(() => compileKql('a:1 b:2')).toThrow(/Expected/);
    expect(m('a:1 and b:2', { a: 1, b: '2' })).toBe(true);
    expect(() => compileKql('message: cannot open')).toThrow(/Expected/);
    expect(m('message: "cannot open"', { message: 'Cannot open file' })).toBe(true);
    expect(m('f: "C:\\temp"', { f: 'C:\\temp' })).toBe(false);
    expect(m('f: "C:\\temp"', { f: 'C:\temp' })).toBe(true);
  });
});

describe('existence, null and missing (kql.md §7)', () => {
  const shapes: Record<string, Event> = { A: {}, N: { f: null }, Z: { f: [] }, E: { f: '' }, V: { f: 'x' } };
  it.each([
    ['f:*', [false, false, false, true, true]],
    ['not f:*', [true, true, true, false, false]],
    ['f:x', [false, false, false, false, true]],
    ['not f:x', [true, true, true, true, false]],
    ['f:""', [false, false, false, true, false]],
    ['f > 1', [false, false, false, false, true]],
    ['not f > 1', [true, true, true, true, false]],
  ])('%s over A N Z E V', (q, want) => {
    expect(Object.values(shapes).map((e) => m(q, e))).toEqual(want);
  });
  it('exists on an object field needs a non-null leaf', () => {
    expect(m('process:*', { process: { name: 'x' } })).toBe(true);
    expect(m('process:*', { process: { name: null } })).toBe(false);
  });
});

describe('wildcards (§4)', () => {
  const e = proc('chrome.exe');
  it.each([
    ['process.name: *chrome', false],
    ['process.name: chrome*', true],
    ['process.name: *rome.e*', true],
    ['process.name: c*e.*e', true],
    ['process.name: *CHROME*', false],
    ['process.name: chrome\\*', false],
  ])('%s', (q, want) => {
    expect(m(q, e)).toBe(want);
  });
  it('a star crosses newlines and backslashes', () => {
    expect(m('f: a*b', { f: 'a\\\nb' })).toBe(true);
  });
});

describe('arrays (§6b)', () => {
  it('any element; clauses independent; not = no element', () => {
    expect(m('f: x', { f: ['y', 'x'] })).toBe(true);
    expect(m('f > 1 and f < 3', { f: [0, 5] })).toBe(true);
    expect(m('not f: x', { f: ['y', 'x'] })).toBe(false);
    expect(m('f: *', { f: [null] })).toBe(false);
    expect(m('a.b: 2', { a: [{ b: 1 }, { b: 2 }] })).toBe(true);
    expect(m('f: 3', { f: [[1, 2], [3]] })).toBe(true);
  });
  it('literal dotted keys resolve like nested objects', () => {
    expect(m('process.name: x', { 'process.name': 'x' })).toBe(true);
    expect(m('constructor: *', {})).toBe(false);
  });
});

describe('numbers, booleans, ranges (§10)', () => {
  it('numeric equality and coercion of the KQL string', () => {
    expect(m('port: 443', { port: 443 })).toBe(true);
    expect(m('port: 443.0', { port: 443 })).toBe(true);
    expect(m('port: 1.5', { port: 1 })).toBe(false);
    expect(m('port: abc', { port: 443 })).toBe(false);
    expect(m('port: 443', { port: '443' })).toBe(true);
  });
  it('booleans match JSON booleans and exact keyword strings', () => {
    expect(m('f: true', { f: true })).toBe(true);
    expect(m('f: false', { f: true })).toBe(false);
    expect(m('f: true', { f: 'true' })).toBe(true);
    expect(m('f: true', { f: 'True' })).toBe(false);
  });
  it.each([
    ['n > 5', { n: 6 }, true],
    ['n >= 5', { n: 5 }, true],
    ['n < 5', { n: 5 }, false],
    ['n <= 5', { n: 5 }, true],
    ['s < b', { s: 'a' }, true],
    ['s > "10"', { s: '9' }, true],
    ['ip > 10.0.0.5', { ip: '10.0.0.10' }, true],
    ['ip < 10.0.0.5', { ip: '9.255.255.255' }, true],
    ['n > abc', { n: 6 }, false],
  ])('%s over %j → %s', (q, e, want) => {
    expect(m(q, e)).toBe(want);
  });
});

describe('dates (§10)', () => {
  const at = (t: string): Event => ({ '@timestamp': t });
  it('rounds lte/gt up and gte/lt down', () => {
    expect(m('@timestamp <= 2024-01', at('2024-01-01T23:59:59.999Z'))).toBe(true);
    expect(m('@timestamp <= 2024-01', at('2024-01-02T00:00:00Z'))).toBe(false);
    expect(m('@timestamp > 2024-01-01', at('2024-01-01T12:00:00Z'))).toBe(false);
    expect(m('@timestamp >= 2024-01-01', at('2024-01-01T00:00:00Z'))).toBe(true);
    expect(m('@timestamp < 2024-01-01', at('2023-12-31T23:59:59.999Z'))).toBe(true);
  });
  it('date math relative to the given now, with rounding', () => {
    const now = Date.UTC(2024, 5, 15, 12, 0, 0);
    expect(m('@timestamp >= now-1h', at('2024-06-15T11:30:00Z'), { now })).toBe(true);
    expect(m('@timestamp >= now-1h', at('2024-06-15T10:30:00Z'), { now })).toBe(false);
    expect(m('@timestamp: now-1d/d', at('2024-06-14T23:00:00Z'), { now })).toBe(true);
    expect(m('@timestamp >= 2024-01-01||+1M', at('2024-02-01T00:00:00Z'))).toBe(true);
    expect(m('@timestamp: 1704067200000', at('2024-01-01T00:00:00Z'))).toBe(true);
    expect(m('@timestamp: "2024-01-01T01:00:00+01:00"', at('2024-01-01T00:00:00Z'))).toBe(true);
  });
  it('schema-declared date fields', () => {
    expect(m('when: 2024-03-01', { when: '2024-03-01T05:00:00Z' }, { fieldTypes: { when: 'date' } })).toBe(true);
    expect(m('when: 2024-03-01', { when: '2024-03-01T05:00:00Z' })).toBe(false);
  });
});

describe('IPs and CIDR', () => {
  it.each([
    ['ip: 10.0.0.5', '10.0.0.5', true],
    ['ip: "::1"', '0:0:0:0:0:0:0:1', true],
    ['ip: "2001:db8::/32"', '2001:db8:1::5', true],
    ['ip: 2001\\:db8\\:\\:/32', '2001:db9::5', false],
    ['ip: 192.168.1.1/24', '192.168.1.77', true],
    ['ip: 10.0.0.0/8', '10.0.0.0/8', true],
    ['ip: 10.*', '10.1.2.3', true],
    ['ip: (10.0.0.0/8 or 172.16.0.0/12)', '172.20.0.1', true],
  ])('%s vs %s → %s', (q, ip, want) => {
    expect(m(q, { ip })).toBe(want);
  });
});

describe('analysed text and caseless (§9)', () => {
  it('tokenizer keeps dots and apostrophes between letters/digits', () => {
    expect(m('message: cmd.exe', { message: 'ran CMD.EXE /c' })).toBe(true);
    expect(m('message: cmd', { message: 'ran CMD.EXE /c' })).toBe(false);
    expect(m("message: o'brien", { message: "user O'Brien" })).toBe(true);
    expect(m('message: "--"', { message: '--' })).toBe(false);
    expect(m('message: *foo bar*', { message: 'xbar' })).toBe(false);
    expect(m('message: *foo bar*', { message: 'barx' })).toBe(true);
  });
  it('.text on the parent; caseless globs; schema text fields', () => {
    expect(m('process.name.text: chrome', proc('Google Chrome'))).toBe(true);
    expect(m('process.name.caseless: *CHROME*', proc('chrome.exe'))).toBe(true);
    expect(m('process.name.caseless: chrome', { process: { name: 'chrome.exe', 'name.caseless': 'x' } })).toBe(false);
    expect(m('d: Hello', { d: 'hello world' }, { fieldTypes: { d: 'match_only_text' } })).toBe(true);
    expect(m('d: Hello', { d: 'hello world' })).toBe(false);
    expect(m('n: 7', { n: '7' }, { fieldTypes: { n: 'long' } })).toBe(true);
  });
});

describe('detection-rules lib/kql vs Kibana (kql.md §12), pinned', () => {
  it('case: Kibana folds only for caseless/text mappings; the Python evaluator never', () => {
    expect(m('process.name.caseless: CMD.EXE', proc('cmd.exe'))).toBe(true);
    expect(m('process.name: CMD.EXE', proc('cmd.exe'))).toBe(false);
  });
  it('text fields are analysed here, exact in the Python evaluator', () => {
    expect(m('message: root', { message: 'Failed password for root' })).toBe(true);
  });
  it('unquoted values with spaces are allowed outside wildcards', () => {
    expect(m('f: a b', { f: 'a b' })).toBe(true);
  });
  it('"not " inside a value breaks parsing (the Python lexer accepts it)', () => {
    expect(() => compileKql('f: cannot x')).toThrow(/Expected/);
  });
  it('keywords are case-insensitive', () => {
    expect(m('f: a OR f: b', { f: 'b' })).toBe(true);
  });
});

describe('explain and logic', () => {
  it('explains a failed keyword comparison with the mode', () => {
    const t = compileKql('process.name: cmd.exe').explain(proc('CMD.EXE'));
    expect(t.result).toBe(false);
    expect(t.detail).toBe('process.name is "CMD.EXE", expected "cmd.exe" (keyword: case-sensitive)');
    expect(compileKql('process.name: cmd.exe').explain({}).detail).toBe('process.name is missing');
  });
  it('explain agrees with matches on compound queries', () => {
    const q = compileKql('a: (x or y) and not b: z* and (c > 3 or d: *)');
    for (const e of [{ a: 'x', c: 4 }, { a: 'y', b: 'zz', d: 1 }, { a: 'q' }, { a: ['q', 'y'], d: null }]) expect(q.explain(e).result).toBe(q.matches(e));
  });
  it('reports the predicate tree with the mode actually used', () => {
    expect(compileKql('process.name: cmd.exe').logic).toMatchObject({ kind: 'match', field: 'process.name', mode: 'sensitive' });
    expect(compileKql('process.name.caseless: cmd.exe').logic).toMatchObject({ kind: 'match', field: 'process.name', mode: 'insensitive' });
    expect(compileKql('source.ip: 10.0.0.0/8').logic).toMatchObject({ kind: 'cidr', field: 'source.ip', network: '10.0.0.0/8' });
    expect(compileKql('n >= 5').logic).toMatchObject({ kind: 'range', field: 'n', op: 'gte', value: 5 });
    expect(compileKql('not f: *').logic).toMatchObject({ kind: 'not', child: { kind: 'exists', field: 'f' } });
    expect(compileKql('items:{ name: a }').logic).toMatchObject({ kind: 'and', children: [{ kind: 'match', field: 'items.name' }] });
    expect(compileKql('process.*.name: x').logic).toMatchObject({ kind: 'opaque', field: 'process.*.name' });
    expect(compileKql('hello').logic).toMatchObject({ kind: 'match', field: null });
    expect(compileKql('@timestamp: 2024-03-01').logic).toMatchObject({ kind: 'and', children: [{ op: 'gte', value: '2024-03-01T00:00:00.000Z' }, { op: 'lte', value: '2024-03-01T23:59:59.999Z' }] });
  });
  it('never mutates the event', () => {
    const e = Object.freeze({ a: Object.freeze(['x', 'y']), m: 'Hello there' });
    expect(m('a: (x and y) and m.text: hello and x', e as unknown as Event)).toBe(true);
  });
});
