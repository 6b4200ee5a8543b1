import { describe, expect, it } from 'vitest';
import { LuceneRegexError, luceneToJs } from './lucene-regex.ts';
import { compileRegex } from './regex.ts';

/**
 * Lucene RegExp as Elasticsearch runs it (`regexp` queries, EQL `regex`, Lucene
 * query-string `/…/`). Source: apache/lucene `lucene/core/.../automaton/RegExp.java`
 * (the same code in the 8.x line, apache/lucene-solr), LUCENE-9336 /
 * apache/lucene-solr#1489 (shorthand classes, Lucene 8.6 = Elasticsearch 7.9);
 * docs/semantics-verified.md §4–§6.
 */
const matches = (pattern: string, value: string): boolean => compileRegex(luceneToJs(pattern), { dotAll: true }).test(value);

describe('Lucene RegExp (RegExp.java)', () => {
  it('has no anchors: ^ and $ are ordinary characters and the whole value must match', () => {
    expect(matches('^cmd', 'cmd')).toBe(false);
    expect(matches('^cmd', '^cmd')).toBe(true);
    expect(matches('cmd$', 'cmd$')).toBe(true);
    expect(matches('cmd', 'cmd.exe')).toBe(false);
    // ES querytranslator_tests.txt `regexSingleArg`: "^.*?net.exe" goes to Lucene as is; `.*?` is `(.*)?`.
    expect(matches('^.*?net.exe', '^x net.exe')).toBe(true);
    expect(matches('^.*?net.exe', 'x net.exe')).toBe(false);
  });

  it('knows \\d \\s \\w and their negations, with ASCII meanings (expandPredefined)', () => {
    expect(matches('net1?\\s+user.*', 'net1 user x')).toBe(true);
    expect(matches('\\d+', '0123456789')).toBe(true);
    expect(matches('\\d', '٣')).toBe(false); // Arabic-Indic digit: not [0-9]
    expect(matches('\\w+', 'a_Z9')).toBe(true);
    expect(matches('\\w', 'é')).toBe(false);
    expect(matches('\\W', 'é')).toBe(true);
    expect(matches('\\D', 'x')).toBe(true);
  });

  it('\\s is [ \\t\\n\\r] only: a form feed, a vertical tab or a no-break space is \\S', () => {
    for (const ws of [' ', '\t', '\n', '\r']) expect(matches('a\\sb', `a${ws}b`)).toBe(true);
    for (const other of ['\f', '\v', '\u00a0']) {
      expect(matches('a\\sb', `a${other}b`)).toBe(false);
      expect(matches('a\\Sb', `a${other}b`)).toBe(true);
      expect(matches('a[\\s]b', `a${other}b`)).toBe(false);
      expect(matches('a[\\S]b', `a${other}b`)).toBe(true);
      expect(matches('a[^\\S]b', `a${other}b`)).toBe(false);
    }
    expect(matches('a[^\\S]b', 'a b')).toBe(true);
    expect(matches('a[x\\d]b', 'a7b')).toBe(true);
  });

  it('refuses a backslash before any other ASCII letter, as Lucene does ("invalid character class")', () => {
    for (const p of ['a\\nb', '\\t', 'x\\b', '[\\n]', 'C:\\Temp']) {
      expect(() => luceneToJs(p), p).toThrow(LuceneRegexError);
      expect(() => luceneToJs(p), p).toThrow(/invalid character class/);
    }
    // Other escapes are the character itself.
    expect(matches('a\\.b', 'a.b')).toBe(true);
    expect(matches('C:\\\\Windows', 'C:\\Windows')).toBe(true);
    expect(matches('\\1', '1')).toBe(true);
    // Trap: in `C:\Windows` the `\W` is the non-word class, so the pattern means "C:", one non-word character, "indows".
    expect(matches('C:\\Windows', 'C:\\Windows')).toBe(false);
    expect(matches('C:\\Windows', 'C:\\indows')).toBe(true);
  });
});
