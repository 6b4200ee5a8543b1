import { describe, expect, test } from 'vitest';
import { parseEsql } from '../engines/esql/parse/parser.ts';
import { dissectTexts, sourceField } from './esql-dissect-plant.ts';

describe('dissectTexts', () => {
  test('fills each slot with the value the WHERE names, a skipped key with a token', () => {
    const q = parseEsql('from logs-* | dissect params "{%{?sk}=%{svc}, %{?qk}=%{quota}}" | where svc == "ec2" and quota in ("L-1", "L-2")');
    expect([...dissectTexts(q)]).toEqual([['params', '{k=ec2, k=L-1}']]);
  });
  test('a DISSECT of an earlier key decides that key; ENDS_WITH gets a suffixed value', () => {
    const q = parseEsql('from logs-* | dissect p "%{name}|%{loc}" | dissect loc "%{}static/js/%{key}" | where ends_with(key, ".js")');
    expect([...dissectTexts(q)]).toEqual([['p', 'v1|kstatic/js/sample.js']]);
  });
  test('a column passed through TO_LOWER / URL_DECODE / REPLACE leads back to its source field; other computations do not', () => {
    const q = parseEsql('from logs-* | eval a = to_lower(url_decode(url.original)) | eval b = a | eval c = length(url.original)');
    expect(sourceField(q, 'b')).toBe('url.original');
    expect(sourceField(q, 'message')).toBe('message');
    expect(sourceField(q, 'c')).toBeUndefined();
  });
});
