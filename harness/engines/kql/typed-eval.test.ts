import { describe, expect, it } from 'vitest';
import type { Event } from '../../core/event.ts';
import { ecsMapping, parseMapping } from '../../mapping/index.ts';
import { compileLucene } from '../lucene/index.ts';
import { compileKql } from './index.ts';
import { lintQuery } from './lint.ts';
import { parseKql } from './kql-parser.ts';
import { lintTypes } from '../elastic/event-query.ts';

/** Typed evaluation (docs/typing.md): each test names its decision id and asserts what Elasticsearch returns. */
const mapping = parseMapping(
  JSON.stringify({
    properties: {
      kw: { type: 'keyword', ignore_above: 10 },
      ci: { type: 'keyword', normalizer: 'lowercase' },
      wc: { type: 'wildcard' },
      ds: { type: 'constant_keyword', value: 'logs' },
      txt: { type: 'match_only_text' },
      name: { type: 'keyword', fields: { text: { type: 'match_only_text' } } },
      ip: { type: 'ip' },
      pid: { type: 'long' },
      small: { type: 'float' },
      pct: { type: 'scaled_float', scaling_factor: 100 },
      ts: { type: 'date' },
      secs: { type: 'date', format: 'epoch_second' },
      local: { type: 'date', format: 'yyyy-MM-dd HH:mm:ss' },
      ok: { type: 'boolean' },
      ver: { type: 'version' },
      status: { type: 'keyword', null_value: 'NONE' },
      user: { type: 'alias', path: 'user_name' },
      user_name: { type: 'keyword' },
      labels: { type: 'flattened' },
    },
  }),
  'typed.json',
);
const m = (q: string, e: Event): boolean => compileKql(q, { mapping }).matches(e);

describe('typed KQL / Lucene evaluation (docs/typing.md)', () => {
  it('T1 keyword: exact, case-sensitive; a number value is its text', () => {
    expect(m('kw: Abc', { kw: 'Abc' })).toBe(true);
    expect(m('kw: abc', { kw: 'Abc' })).toBe(false);
    expect(m('kw: 4688', { kw: 4688 })).toBe(true);
    expect(m('kw: A*', { kw: 'Abc' })).toBe(true);
  });

  it('T2 ignore_above: a longer value is not indexed (term, wildcard, exists)', () => {
    const long = { kw: 'abcdefghijk' };
    expect(m('kw: abcdefghijk', long)).toBe(false);
    expect(m('kw: abc*', long)).toBe(false);
    expect(m('kw: *', long)).toBe(false);
    expect(m('not kw: abcdefghijk', long)).toBe(true);
    expect(m('kw: abcdefghij', { kw: 'abcdefghij' })).toBe(true);
    expect(m('kw: x', { kw: ['abcdefghijk', 'x'] })).toBe(true);
  });

  it('T3 lowercase normalizer: case-insensitive keyword', () => {
    expect(m('ci: CMD.exe', { ci: 'cmd.EXE' })).toBe(true);
  });

  it('T4 wildcard field: keyword semantics', () => {
    expect(m('wc: *mimikatz*', { wc: 'C:\\mimikatz.exe' })).toBe(true);
    expect(m('wc: *MIMIKATZ*', { wc: 'C:\\mimikatz.exe' })).toBe(false);
  });

  it('T5 constant_keyword: every document has the value', () => {
    expect(m('ds: logs', {})).toBe(true);
    expect(m('ds: metrics', {})).toBe(false);
  });

  it('T6 text: analysed tokens, also on a .text multi-field', () => {
    expect(m('txt: password', { txt: 'Failed PASSWORD for root' })).toBe(true);
    expect(m('name.text: chrome', { name: 'Google Chrome' })).toBe(true);
    expect(m('name: chrome', { name: 'Google Chrome' })).toBe(false);
  });

  it('T7 ip: addresses, CIDR, IPv4-mapped IPv6, ranges; a wildcard fails (no match)', () => {
    expect(m('ip: 10.0.0.0/8', { ip: '10.1.2.3' })).toBe(true);
    expect(m('ip: 10.1.2.3', { ip: '::ffff:10.1.2.3' })).toBe(true);
    expect(m('ip: "::ffff:10.0.0.0/104"', { ip: '10.9.9.9' })).toBe(true);
    expect(m('ip: "2001:db8::/32"', { ip: '2001:DB8::1' })).toBe(true);
    expect(m('ip >= 10.0.0.0 and ip < 11.0.0.0', { ip: '10.200.0.1' })).toBe(true);
    expect(m('ip: 10.*', { ip: '10.1.2.3' })).toBe(false);
    expect(m('ip: 10.1.2.3', { ip: 'not an ip' })).toBe(false);
  });

  it('T8 integer types: coerced strings, truncated fractions; a fractional term matches nothing', () => {
    expect(m('pid: 42', { pid: '42' })).toBe(true);
    expect(m('pid: 42', { pid: 42.9 })).toBe(true);
    expect(m('pid: 42.5', { pid: 42.5 })).toBe(false);
    expect(m('pid > 41.5', { pid: 42 })).toBe(true);
    expect(m('pid: 42', { pid: 'x42' })).toBe(false);
  });

  it('T9 float and scaled_float: rounded as indexed, terms too', () => {
    expect(m('small: 0.1', { small: 0.1 })).toBe(true);
    expect(m('pct: 0.123', { pct: 0.12 })).toBe(true);
    expect(m('pct: 0.125', { pct: 0.12 })).toBe(false);
  });

  it('T10 dates: instants in the field format; ranges with date math and rounding', () => {
    expect(m('ts: 2024-03-01', { ts: '2024-03-01T05:00:00Z' })).toBe(true);
    expect(m('ts >= "2024-03-01T04:00:00Z"', { ts: 1709269200000 })).toBe(true);
    expect(m('ts < now', { ts: '1709269200000' })).toBe(true);
    expect(m('secs: 1700000000', { secs: 1700000000 })).toBe(true);
    expect(m('secs >= "2023-11-14T22:13:20Z"', { secs: '1700000000' })).toBe(true);
    expect(m('local >= "2024-01-01 10:00:00"', { local: '2024-01-01 11:00:00' })).toBe(true);
    expect(m('local >= "2024-01-01 10:00:00"', { local: '2024-01-01T11:00:00Z' })).toBe(false);
  });

  it('T11 boolean: "true" / "false" / "" are booleans', () => {
    expect(m('ok: true', { ok: 'true' })).toBe(true);
    expect(m('ok: false', { ok: '' })).toBe(true);
    expect(m('ok: true', { ok: 'yes' })).toBe(false);
  });

  it('T12 version: semantic-version ranges', () => {
    expect(m('ver > 1.9.0', { ver: '1.10.0' })).toBe(true);
    expect(m('ver < 1.0.0', { ver: '1.0.0-rc.1' })).toBe(true);
    expect(m('ver: 1.2.3', { ver: '1.2.3' })).toBe(true);
  });

  it('T13 null_value: an explicit null is the mapping value; missing stays missing', () => {
    expect(m('status: NONE', { status: null })).toBe(true);
    expect(m('status: NONE', {})).toBe(false);
    expect(m('status: *', { status: null })).toBe(true);
  });

  it('T14 alias: reads its path', () => {
    expect(m('user: alice', { user_name: 'alice' })).toBe(true);
  });

  it('T16 flattened: keys are keywords', () => {
    expect(m('labels.env: prod', { labels: { env: 'prod' } })).toBe(true);
    expect(m('labels.env: PROD', { labels: { env: 'prod' } })).toBe(false);
  });

  it('T17 unmapped fields: typed by their value', () => {
    expect(m('okta.count: 3', { okta: { count: 3 } })).toBe(true);
    expect(m('okta.outcome: SUCCESS', { okta: { outcome: 'SUCCESS' } })).toBe(true);
  });

  it('Lucene is typed by the same mapping', () => {
    expect(compileLucene('pid:42 AND ip:"10.0.0.0/8"', { mapping }).matches({ pid: '42', ip: '10.0.0.1' })).toBe(true);
  });

  it('ECS types a rule query: process.pid is long, source.ip is ip', () => {
    const ecs = ecsMapping();
    expect(compileKql('process.pid: 4', { mapping: ecs }).matches({ process: { pid: '4' } })).toBe(true);
    expect(compileKql('source.ip: "::ffff:192.168.1.1"', { mapping: ecs }).matches({ source: { ip: '192.168.1.1' } })).toBe(true);
  });

  it('explain names the mapping that typed each field', () => {
    const t = compileKql('pid: 7 and other: x', { mapping }).explain({ pid: 8, other: 'y' });
    const details = t.children.map((c) => c.detail ?? '');
    expect(details.find((d) => d.startsWith('pid'))).toContain('typed by typed.json as long');
    expect(details.find((d) => d.startsWith('other'))).toContain('unmapped: typed by its value');
  });
});

describe('lint: rules whose meaning changes under typing', () => {
  const codes = (q: string): string[] => lintQuery(parseKql(q), lintTypes(mapping)).map((w) => w.code);
  it('a CIDR on a keyword field, a numeric range on a keyword field, a wildcard on an ip field', () => {
    expect(codes('kw: 10.0.0.0/8')).toEqual(['kql/cidr-on-keyword']);
    expect(codes('kw >= 100')).toEqual(['kql/numeric-range-on-keyword']);
    expect(codes('ip: 10.*')).toEqual(['kql/wildcard-on-ip']);
    expect(codes('pid: abc')).toEqual(['kql/non-numeric-value']);
    expect(codes('ip: 10.0.0.0/8 and pid >= 3 and kw: abc')).toEqual([]);
  });
});
