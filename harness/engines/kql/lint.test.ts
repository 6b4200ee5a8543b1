import { describe, expect, test } from 'vitest';
import { parseLucene } from '../lucene/index.ts';
import { parseKql } from './kql-parser.ts';
import { lintQuery, type LintType } from './lint.ts';

const TYPES: Record<string, LintType> = { 'source.ip': 'ip', 'destination.port': 'number', 'items.port': 'number' };
const codes = (q: string, parse = parseKql): string[] => lintQuery(parse(q), TYPES).map((w) => `${w.code} ${w.label}`);

describe('query lint against declared field types (kql.md §4, §10)', () => {
  test('a wildcard on an ip field, wherever it sits in the tree', () => {
    expect(codes('source.ip: 10.0.*')).toEqual(['kql/wildcard-on-ip source.ip: 10.0.*']);
    expect(codes('event.category: network and not (source.ip: 192.168.* or user.name: x)')).toEqual(['kql/wildcard-on-ip source.ip: 192.168.*']);
    expect(codes('source.ip:10.0.*', parseLucene)).toEqual(['kql/wildcard-on-ip source.ip:10.0.*']);
  });

  test('a value or range bound that is not a number against a numeric field, also inside nested scopes', () => {
    expect(codes('destination.port: http')).toEqual(['kql/non-numeric-value destination.port: http']);
    expect(codes('destination.port >= "abc"')).toEqual(['kql/non-numeric-value destination.port >= "abc"']);
    expect(codes('destination.port: 44*')).toEqual(['kql/non-numeric-value destination.port: 44*']);
    expect(codes('items:{ port: x }')).toEqual(['kql/non-numeric-value port: x']);
  });

  test('silent on what Elasticsearch accepts, and on fields with no declared type', () => {
    expect(codes('source.ip: 10.0.0.0/8 or source.ip: "::1" or source.ip: *')).toEqual([]);
    expect(codes('destination.port: (80 or 443 or "8080") and destination.port < 1024.5')).toEqual([]);
    expect(codes('user.name: 10.* and other.port: x and message: hello* and dest*: x')).toEqual([]);
  });
});
