import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ObjectShapes, setOwn, type ShapeHint } from './shapes.ts';

type Entry = readonly [key: string, value: number, mode: 'put' | 'set'];

/** The object plain assignment gives: `put` suffixes a repeated key, `set` overwrites it in place. */
function byAssignment(entries: readonly Entry[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value, mode] of entries) {
    let k = key;
    if (mode === 'put') for (let i = 1; Object.hasOwn(out, k); i++) k = `${key}_${i}`;
    setOwn(out, k, value);
  }
  return out;
}

function make(shapes: ObjectShapes, entries: readonly Entry[], hint?: ShapeHint): Record<string, unknown> {
  const start = shapes.begin();
  for (const [k, v, mode] of entries) shapes[mode](k, v);
  return shapes.end(start, hint);
}

describe('objects made by key sequence', () => {
  test('first, second and later objects of a sequence equal plain assignment, keys in the same order', () => {
    const key = fc.constantFrom('a', 'b', 'Data', 'Data_1', '__proto__', 'constructor', '1', '#text', 'x"y\\z', '\u2028');
    const entries = fc.array(fc.tuple(key, fc.integer(), fc.constantFrom('put' as const, 'set' as const)), { maxLength: 12 });
    const shapes = new ObjectShapes();
    // One hint for every sequence: it is right for a repeat, wrong for a new one, and must not matter.
    const hint: ShapeHint = { last: undefined, fixed: false };
    fc.assert(
      fc.property(entries, (es) => {
        const expected = byAssignment(es);
        for (let round = 0; round < 4; round++) {
          const got = make(shapes, es, round % 2 ? hint : undefined);
          expect(Object.keys(got)).toEqual(Object.keys(expected));
          expect(got).toEqual(expected);
          expect(Object.getPrototypeOf(got)).toBe(Object.prototype);
        }
      }),
      { numRuns: 150 },
    );
  });

  test('a fixed hint gives its sequence once found, unchecked, for the same entries each time', () => {
    const shapes = new ObjectShapes();
    const hint: ShapeHint = { last: undefined, fixed: true };
    const entries: ReadonlyArray<readonly [string, number, 'put' | 'set']> = [['Data', 1, 'put'], ['Name', 2, 'set'], ['Data', 3, 'put']];
    for (let round = 0; round < 4; round++) {
      const got = make(shapes, entries.map(([k, , m]) => [k, round, m] as const), hint);
      expect(Object.keys(got)).toEqual(['Data', 'Name', 'Data_1']);
      expect(got).toEqual({ Data: round, Name: round, Data_1: round });
    }
    expect(hint.last).toBeDefined();
  });

  test('an object built while another is open keeps both apart', () => {
    const shapes = new ObjectShapes();
    for (let round = 0; round < 3; round++) {
      const outer = shapes.begin();
      shapes.put('System', 1);
      const inner = shapes.begin();
      shapes.put('Name', 'x');
      shapes.put('Guid', 'y');
      shapes.put('EventData', shapes.end(inner));
      shapes.set('System', 2);
      expect(shapes.end(outer)).toEqual({ System: 2, EventData: { Name: 'x', Guid: 'y' } });
    }
  });
});
