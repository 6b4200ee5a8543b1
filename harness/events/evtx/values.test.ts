import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Cursor } from './cursor.ts';
import { decodeValue, filetime } from './values.ts';

/**
 * FILETIME as BigInt ticks through a Date: slow, plainly right (the reader computes it in
 * doubles). Microseconds are whole ones since 1601, as the crate counts them (`ticks / 10`).
 */
function filetimeByDate(ticks: bigint): string {
  const micros = ticks / 10n - 11644473600000000n;
  const ms = Number(micros / 1000n) - (micros % 1000n < 0n ? 1 : 0);
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return String(ms);
  const p = (n: number, w: number) => String(n).padStart(w, '0');
  const y = d.getUTCFullYear();
  const sub = Number(((micros % 1_000_000n) + 1_000_000n) % 1_000_000n);
  return `${y < 0 ? '-' : ''}${p(Math.abs(y), 4)}-${p(d.getUTCMonth() + 1, 2)}-${p(d.getUTCDate(), 2)}T${p(d.getUTCHours(), 2)}:${p(d.getUTCMinutes(), 2)}:${p(d.getUTCSeconds(), 2)}.${p(sub, 6)}Z`;
}

function value(type: number, write: (v: DataView) => void, size: number): unknown {
  const bytes = new Uint8Array(size);
  write(new DataView(bytes.buffer));
  return decodeValue(type, size, Cursor.over(bytes));
}

describe('substitution values as the evtx crate writes them', () => {
  test('integers, booleans, hex integers, size_t', () => {
    expect(value(0x07, (v) => v.setInt32(0, -5, true), 4)).toBe(-5);
    expect(value(0x0a, (v) => v.setBigUint64(0, 123n, true), 8)).toBe(123);
    expect(value(0x0d, (v) => v.setUint32(0, 1, true), 4)).toBe(true);
    expect(value(0x14, (v) => v.setUint32(0, 0x1fffff, true), 4)).toBe('0x1fffff');
    expect(value(0x15, (v) => v.setBigUint64(0, 0x8000000000000000n, true), 8)).toBe('0x8000000000000000');
    expect(value(0x10, (v) => v.setUint32(0, 0x378, true), 4)).toBe('0x378');
  });

  test('floats are text, shortest form, Rust style', () => {
    expect(value(0x0c, (v) => v.setFloat64(0, 2, true), 8)).toBe('2.0');
    expect(value(0x0b, (v) => v.setFloat32(0, 0.1, true), 4)).toBe('0.1');
    expect(value(0x0c, (v) => v.setFloat64(0, 1e21, true), 8)).toBe('1e21');
  });

  test('GUID, SID, FILETIME, SYSTEMTIME, binary', () => {
    const guid = [0x5f, 0x38, 0x70, 0x57, 0x2a, 0xc2, 0xe0, 0x43, 0xbf, 0x4c, 0x06, 0xf5, 0x69, 0x8f, 0xfb, 0xd9];
    expect(value(0x0f, (v) => guid.forEach((b, i) => v.setUint8(i, b)), 16)).toBe('5770385F-C22A-43E0-BF4C-06F5698FFBD9');
    expect(value(0x13, (v) => [1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0].forEach((b, i) => v.setUint8(i, b)), 12)).toBe('S-1-5-18');
    // 2025-11-27T07:40:10.1653241Z: 100 ns ticks since 1601; the seventh digit is cut.
    expect(value(0x11, (v) => v.setBigUint64(0, 134087028101653241n, true), 8)).toBe('2025-11-27T07:40:10.165324Z');
    expect(value(0x12, (v) => [2024, 5, 3, 1, 10, 0, 0, 250].forEach((n, i) => v.setUint16(i * 2, n, true)), 16)).toBe('2024-05-01T10:00:00.250000Z');
    expect(value(0x0e, (v) => [0xde, 0xad, 0x01].forEach((b, i) => v.setUint8(i, b)), 3)).toBe('DEAD01');
  });

  test('GUIDs and 64-bit hex values decoded again and again (remembered ones among them) read as their bytes say', () => {
    const guidText = (b: Uint8Array) => {
      const h = (i: number) => b[i]!.toString(16).padStart(2, '0').toUpperCase();
      return `${h(3)}${h(2)}${h(1)}${h(0)}-${h(5)}${h(4)}-${h(7)}${h(6)}-${h(8)}${h(9)}-${[10, 11, 12, 13, 14, 15].map(h).join('')}`;
    };
    // A few GUIDs and values, some differing in one byte only, decoded in any order: each must read as itself.
    const base = fc.uint8Array({ minLength: 16, maxLength: 16 });
    const pool = fc.tuple(base, fc.nat({ max: 15 }), fc.nat({ max: 255 })).map(([b, i, x]) => [b, Uint8Array.from(b, (v, j) => (j === i ? x : v))]);
    fc.assert(
      fc.property(fc.array(pool, { minLength: 1, maxLength: 4 }), fc.array(fc.nat(), { minLength: 1, maxLength: 30 }), (pairs, order) => {
        const all = pairs.flat();
        for (const k of order) {
          const b = all[k % all.length]!;
          expect(value(0x0f, (v) => b.forEach((x, i) => v.setUint8(i, x)), 16)).toBe(guidText(b));
          const u = new DataView(b.buffer, b.byteOffset).getBigUint64(0, true);
          expect(value(0x15, (v) => v.setBigUint64(0, u, true), 8)).toBe(`0x${u.toString(16)}`);
        }
      }),
      { numRuns: 300 },
    );
  });

  test('strings end at their first NUL and lose trailing spaces; string arrays are lists', () => {
    const utf16 = (s: string) => (v: DataView) => [...s].forEach((ch, i) => v.setUint16(i * 2, ch.charCodeAt(0), true));
    expect(value(0x01, utf16('cmd.exe  \0junk'), 28)).toBe('cmd.exe');
    expect(value(0x81, utf16('a\0bc\0'), 10)).toEqual(['a', 'bc']);
  });

  test('FILETIME in doubles equals FILETIME through BigInt and Date, for any 64-bit value', () => {
    const ticks = fc.oneof(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.bigInt({ min: 0n, max: 200_000_000_000_000_000n }), fc.constantFrom(0n, 116444736000000000n, 116444735999999999n, 116444736000009999n));
    fc.assert(
      fc.property(ticks, (t) => {
        expect(filetime(Number(t & 0xffffffffn), Number(t >> 32n))).toBe(filetimeByDate(t));
      }),
      { numRuns: 500 },
    );
  });

  test('64-bit integers read in two halves equal their BigInt reading (rounded once), hex64 its hex', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (u) => {
        const signed = BigInt.asIntN(64, u);
        expect(value(0x0a, (v) => v.setBigUint64(0, u, true), 8)).toBe(Number(u));
        expect(value(0x09, (v) => v.setBigInt64(0, signed, true), 8)).toBe(Number(signed));
        expect(value(0x15, (v) => v.setBigUint64(0, u, true), 8)).toBe(`0x${u.toString(16)}`);
      }),
      { numRuns: 500 },
    );
  });
});
