import { describe, expect, test } from 'vitest';
import { compileEsql, indexResolver } from '../index.ts';
import { indexFromEvents } from '../events-index.ts';
import { allowedEdits, editDistance, parseFuzziness } from './fuzzy.ts';

const d = (a: string, b: string, t = true, max = 2): number => editDistance([...a], [...b], t, max);

describe('MATCH fuzziness', () => {
  test('edit distance: insert, delete, substitute; a transposition is one edit unless disabled', () => {
    expect(d('svchost.exe', 'svhost.exe')).toBe(1);
    expect(d('svchost.exe', 'svch0st.exe')).toBe(1);
    expect(d('svchost.exe', 'scvhost.exe')).toBe(1);
    expect(d('svchost.exe', 'scvhost.exe', false)).toBe(2);
    expect(d('svchost.exe', 'svchostx64.exe')).toBe(3);
  });

  test('AUTO: 0 edits below 3 characters, 1 below 6, else 2; numbers as given (at most 2)', () => {
    const auto = parseFuzziness('AUTO')!;
    expect([allowedEdits(auto, 'ab'), allowedEdits(auto, 'abcde'), allowedEdits(auto, 'abcdef')]).toEqual([0, 1, 2]);
    expect(parseFuzziness('AUTO:2,4')).toEqual({ low: 2, high: 4 });
    expect(parseFuzziness(5)).toBe(2);
    expect(parseFuzziness('often')).toBeUndefined();
  });

  test('on keyword (whole value) and text (tokens) columns, with prefix_length and operator', () => {
    const ix = indexFromEvents('logs', [{ name: 'svhost.exe', msg: 'the quick brwn fox' }, { name: 'svchost.exe', msg: 'slow dog' }, { name: 'xvchost.exe', msg: 'quick' }], {
      typeOf: (f) => ({ type: f === 'msg' ? 'text' : 'keyword' }),
    });
    const rows = (q: string): number => compileEsql(q).run(indexResolver([ix]), { now: 0 }).rows.length;
    expect(rows('FROM logs | WHERE match(name, "svchost.exe", {"fuzziness": 1})')).toBe(3);
    expect(rows('FROM logs | WHERE match(name, "svchost.exe", {"fuzziness": 1, "prefix_length": 1})')).toBe(2);
    expect(rows('FROM logs | WHERE match(name, "svchost.exe")')).toBe(1);
    expect(rows('FROM logs | WHERE match(msg, "brown cat", {"fuzziness": "AUTO"})')).toBe(1);
    expect(rows('FROM logs | WHERE match(msg, "brown quick", {"fuzziness": "AUTO", "operator": "AND"})')).toBe(1);
    expect(rows('FROM logs | WHERE match(msg, "brown slow", {"fuzziness": "AUTO", "operator": "AND"})')).toBe(0);
  });
});
