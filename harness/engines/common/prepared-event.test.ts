import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Event } from '../../core/event.ts';
import { fieldGetter } from './fields.ts';
import { FieldIndex, multiValues, type PreparedEvent } from './prepared-event.ts';

/**
 * A prepared event holds, at each registered field, exactly the values
 * `fieldGetter` finds (as a multiset: spellings may come in another order),
 * however the event spells the field and in whatever order fields are read.
 * One difference is by design: a property whose value is `undefined` is absent.
 */
const NAMES = ['a', 'a.b', 'a.b.c', 'a.b.d', 'x.y', 'constructor', 'a.toString', 'a.__proto__.b', 'a.b.c.d'];
const keyArb = fc.constantFrom('a', 'b', 'c', 'd', 'x', 'y', 'a.b', 'b.c', 'a.b.c', 'c.d', 'x.y', 'constructor', 'toString');
const leafArb = fc.oneof(fc.constantFrom('v', ''), fc.integer({ min: -3, max: 3 }), fc.boolean(), fc.constant(null));
const objArb = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leafArb, tie('obj'), fc.array(fc.oneof(leafArb, tie('obj')), { maxLength: 3 })),
  obj: fc.dictionary(keyArb, tie('value'), { maxKeys: 4 }),
})).obj as fc.Arbitrary<Event>;

const sorted = (vs: readonly unknown[]): string[] => vs.map((v) => JSON.stringify(v) ?? 'undefined').sort();
const listOf = (stored: unknown): readonly unknown[] => (stored === undefined ? [] : (multiValues(stored) ?? [stored]));

describe('prepared events', () => {
  it('hold the values fieldGetter finds, read in any order, reused or fresh', () => {
    const index = new FieldIndex();
    const slots = NAMES.map((n) => ({ n, slot: index.slotOf(n)!, get: fieldGetter(n) }));
    let reused: PreparedEvent = index.prepare({});
    fc.assert(
      fc.property(objArb, fc.boolean(), (event, reverse) => {
        reused = index.prepareAgain(reused, event);
        for (const pe of [index.prepare(event), reused]) {
          for (const { n, slot, get } of reverse ? [...slots].reverse() : slots) {
            expect(sorted(listOf(slot.values(pe))), n).toEqual(sorted(get(event)));
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('prepareAgain forgets the previous event, and prepares afresh once the index has grown', () => {
    const index = new FieldIndex();
    const ab = index.slotOf('a.b')!;
    const first = index.prepare({ a: { b: 1 } });
    expect(ab.values(first)).toBe(1);
    const again = index.prepareAgain(first, { a: { c: 2 } });
    expect(again).toBe(first);
    expect(ab.values(again)).toBeUndefined();
    const later = index.slotOf('a.c')!;
    const grown = index.prepareAgain(again, { a: { c: 2 } });
    expect(grown).not.toBe(again);
    expect(later.values(grown)).toBe(2);
  });
});
