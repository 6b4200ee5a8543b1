import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fieldGetter } from './fields.ts';
import { anyLeaf, fieldAccess } from './field-access.ts';

const key = fc.constantFrom('a', 'b', 'a.b', 'b.c', 'c', 'constructor');
const leaf = fc.oneof(fc.constantFrom('x', 'y', null), fc.integer({ min: 0, max: 3 }));
const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.array(tie('tree'), { maxLength: 3 }), fc.dictionary(key, tie('tree'), { maxKeys: 4 })),
}));

describe('fieldAccess', () => {
  it('visits exactly the values fieldGetter returns', () => {
    fc.assert(
      fc.property(tree, fc.constantFrom('a', 'a.b', 'a.b.c', 'b.c', 'constructor', 'a.constructor'), (event, name) => {
        const seen: unknown[] = [];
        fieldAccess(name).any(event, (v) => {
          seen.push(v);
          return false;
        });
        expect(seen).toEqual([...fieldGetter(name)(event)]);
        const want = fieldGetter(name)(event).includes('x');
        expect(fieldAccess(name).any(event, (v) => v === 'x')).toBe(want);
      }),
      { numRuns: 300 },
    );
  });
  it('stops at the first hit and never reads inherited keys', () => {
    let calls = 0;
    expect(fieldAccess('a').any({ a: [1, 2, 3] }, (v) => (calls++, v === 1))).toBe(true);
    expect(calls).toBe(1);
    expect(fieldAccess('toString').any({}, () => true)).toBe(false);
    expect(fieldAccess('a.constructor').any({ a: {} }, () => true)).toBe(false);
  });
  it('anyLeaf walks leaf paths, arrays keeping the parent path', () => {
    const paths: string[] = [];
    anyLeaf({ a: { b: [1, { c: 2 }] }, d: null }, '', (p) => (paths.push(p), false));
    expect(paths).toEqual(['a.b', 'a.b.c', 'd']);
  });
});
