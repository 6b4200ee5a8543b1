import { describe, expect, test } from 'vitest';
import { fieldGetter, leafValues, scalarText } from './fields.ts';

describe('fieldGetter', () => {
  test.each([
    ['nested object', 'a.b', { a: { b: 1 } }, [1]],
    ['literal dotted key', 'a.b', { 'a.b': 1 }, [1]],
    ['both forms at once (nested first)', 'a.b', { 'a.b': 1, a: { b: 2 } }, [2, 1]],
    ['mixed split', 'a.b.c', { 'a.b': { c: 3 } }, [3]],
    ['array is multi-valued', 'a', { a: [1, [2, 3]] }, [1, 2, 3]],
    ['array of objects mid-path', 'a.b', { a: [{ b: 1 }, { b: 2 }, { c: 3 }] }, [1, 2]],
    ['missing', 'x', { a: 1 }, []],
    ['null is present', 'a', { a: null }, [null]],
    ['empty array is missing', 'a', { a: [] }, []],
    ['names are case-sensitive', 'image', { Image: 'x' }, []],
    ['object value is returned as is', 'a', { a: { b: 1 } }, [{ b: 1 }]],
    ['inherited properties are not fields', 'constructor', {}, []],
    ['__proto__ as a key', '__proto__.x', JSON.parse('{"__proto__": {"x": 1}}') as object, [1]],
  ])('%s', (_n, path, ev, out) => {
    expect(fieldGetter(path)(ev)).toEqual(out);
  });
});

describe('leafValues and scalarText', () => {
  test('collects every scalar leaf, depth-first', () => {
    expect(leafValues({ a: 1, b: { c: ['x', null, true] } })).toEqual([1, 'x', null, true]);
  });
  test('deep nesting is bounded, not a stack overflow', () => {
    let ev: unknown = 'leaf';
    for (let i = 0; i < 10000; i++) ev = { a: ev };
    expect(() => leafValues(ev)).not.toThrow();
  });
  test('canonical text of scalars', () => {
    expect([scalarText('a'), scalarText(4688), scalarText(1.5), scalarText(true), scalarText(null), scalarText({})]).toEqual(['a', '4688', '1.5', 'true', undefined, undefined]);
  });
});
