import { describe, expect, test } from 'vitest';
import { Cursor } from './cursor.ts';
import { decodeValue } from './values.ts';

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

  test('strings end at their first NUL and lose trailing spaces; string arrays are lists', () => {
    const utf16 = (s: string) => (v: DataView) => [...s].forEach((ch, i) => v.setUint16(i * 2, ch.charCodeAt(0), true));
    expect(value(0x01, utf16('cmd.exe  \0junk'), 28)).toBe('cmd.exe');
    expect(value(0x81, utf16('a\0bc\0'), 10)).toEqual(['a', 'bc']);
  });
});
