import { crc32 as zlibCrc32 } from 'node:zlib';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { crc32 } from './crc32.ts';

test('CRC-32 of any span, continued from any value, is zlib\'s (the table path under 256 bytes, native above)', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 1, maxLength: 600 }), fc.nat(), fc.nat(), fc.nat({ max: 0xffffffff }), (bytes, a, b, crc) => {
      const start = a % bytes.length;
      const end = start + 1 + (b % (bytes.length - start));
      expect(crc32(bytes, start, end, crc)).toBe(zlibCrc32(bytes.subarray(start, end), crc));
    }),
  );
  // The standard's check value ("123456789"); an empty span leaves the value as it is.
  expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  expect(crc32(new Uint8Array(8), 4, 4, 0x1234)).toBe(0x1234);
});
