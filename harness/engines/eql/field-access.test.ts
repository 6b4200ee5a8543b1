import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameFields, fieldRead, fieldReadLower } from './field-access.ts';

/**
 * Reads through a frame (each object scanned once per evaluation) give the
 * same values as direct reads, for every spelling of a field: nested objects,
 * literal dotted keys at any level, arrays on the way or at the end, nulls,
 * keys named like Object.prototype members, null-prototype and class objects.
 */
const NAMES = ['a', 'a.b', 'a.b.c', 'a.b.d', 'x.y', 'constructor', 'a.toString', 'a.__proto__.b', 'a.b.c.d'];

const keyArb = fc.constantFrom('a', 'b', 'c', 'd', 'x', 'y', 'a.b', 'b.c', 'a.b.c', 'c.d', 'x.y', 'constructor', 'toString');
const leafArb = fc.oneof(fc.constantFrom('v', 'V', 'İx', '', 'noise'), fc.integer({ min: -3, max: 3 }), fc.boolean(), fc.constant(null));

const objArb = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leafArb, tie('obj'), fc.array(fc.oneof(leafArb, tie('obj')), { maxLength: 3 })),
  obj: fc
    .tuple(fc.dictionary(keyArb, tie('value'), { maxKeys: 4 }), fc.constantFrom('plain', 'null-proto', 'class'))
    .map(([o, kind]) => {
      if (kind === 'plain') return o;
      if (kind === 'null-proto') return Object.assign(Object.create(null) as object, o);
      class Holder {}
      return Object.assign(new Holder(), o);
    }),
})).obj;

/** Values of different spellings may come in another order: compare multi-values as multisets. */
const canonical = (v: unknown): unknown => (Array.isArray(v) ? v.map((x) => JSON.stringify(x) ?? 'undefined').sort() : v);

describe('FrameFields', () => {
  it.each(['prepared', 'direct'] as const)('reads what fieldRead and fieldReadLower read (%s)', (mode) => {
    const fields = new FrameFields(mode);
    const reads = NAMES.map((n) => ({ n, frame: fields.read(n), lower: fields.readLower(n), direct: fieldRead(n), directLower: fieldReadLower(n) }));
    const frame = fields.frame();
    fc.assert(
      fc.property(objArb, (event) => {
        // Reset per event, and read in a different order each time: the scans must not depend on it.
        for (const order of [reads, [...reads].reverse()]) {
          frame.reset(event);
          for (const r of order) {
            expect(canonical(r.frame(frame)), r.n).toEqual(canonical(r.direct(event)));
            expect(canonical(r.lower(frame)), r.n).toEqual(canonical(r.directLower(event)));
          }
        }
      }),
      { numRuns: 400 },
    );
  });
  it('forgets every value on reset, and refuses fields registered after a frame was made', () => {
    const fields = new FrameFields();
    const read = fields.read('a.b');
    const frame = fields.frame();
    const e = { a: { b: 'x' } };
    expect(read(frame.reset(e))).toBe('x');
    e.a.b = 'y';
    expect(read(frame)).toBe('x'); // one evaluation sees one value
    expect(read(frame.reset(e))).toBe('y');
    expect(() => fields.read('c')).toThrow(/after a frame was made/);
  });
  it.each(['prepared', 'direct'] as const)('reads every spelling of a field: nested, literal dotted keys, both at once, whatever was read first (%s)', (mode) => {
    const cases: [field: string, event: Record<string, unknown>, value: unknown][] = [
      ['a.b.c', { a: { 'b.c': 1 } }, 1],
      ['a.b', { 'a.b': 2, a: {} }, 2],
      // Both spellings hold a value: the field is multi-valued, as in an Elasticsearch index.
      ['a.b', { 'a.b': 2, a: { b: 3 } }, ['2', '3']],
      ['a.b.c', { a: [{ b: { c: 4 } }, { 'b.c': 5 }] }, ['4', '5']],
      ['a.b', { a: { b: [null, 'x', []] } }, 'x'],
      ['a.b', { a: { b: [] } }, null],
    ];
    const fields = new FrameFields(mode);
    const reads = cases.map(([field]) => fields.read(field));
    const frame = fields.frame();
    cases.forEach(([field, event, value], i) => {
      expect(canonical(reads[i]!(frame.reset(event))), JSON.stringify(event)).toEqual(value);
      expect(canonical(fieldRead(field)(event)), JSON.stringify(event)).toEqual(value);
    });
  });
});
