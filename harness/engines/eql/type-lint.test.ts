import { describe, expect, it } from 'vitest';
import { ecsMapping } from '../../mapping/index.ts';
import { parseEql } from './parser.ts';
import { lintEqlTypes } from './type-lint.ts';

const codes = (q: string): string[] => lintEqlTypes(parseEql(q), ecsMapping()).map((w) => w.code);

describe('EQL lint against the mapping: what Elasticsearch rejects under typing', () => {
  it('a pattern on an ip, number or date field', () => {
    expect(codes('network where source.ip : "10.*"')).toEqual(['eql/pattern-on-non-string']);
    expect(codes('process where process.pid like "12*"')).toEqual(['eql/pattern-on-non-string']);
    expect(codes('process where @timestamp regex "2024.*"')).toEqual(['eql/pattern-on-non-string']);
  });
  it('a word compared with a number field, in every stage', () => {
    expect(codes('sequence [process where process.pid == "abc"] [file where process.pid in ("x", 3)]')).toEqual(['eql/string-on-number', 'eql/string-on-number']);
  });
  it('silent on what Elasticsearch accepts', () => {
    expect(codes('process where process.name : "cmd*" and process.pid == 4 and process.pid == "4" and cidrMatch(source.ip, "10.0.0.0/8") and okta.x : "a*"')).toEqual([]);
  });
});
