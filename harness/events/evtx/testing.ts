import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from './crc32.ts';

/** The shipped fixture (DRL 1.1, see fixtures/LICENSE.md): one chunk, one WMI-Activity record. */
export const FIXTURE = join(import.meta.dirname, 'fixtures', 'wmi-activity-cleareventlog.evtx');

export function fixtureBytes(): Uint8Array {
  return new Uint8Array(readFileSync(FIXTURE));
}

/** Recompute the file header's and every chunk's checksums, so a crafted change is judged on its structure. */
export function fixChecksums(bytes: Uint8Array): Uint8Array {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length >= 128) v.setUint32(124, crc32(bytes, 0, 120), true);
  for (let o = 4096; o + 512 <= bytes.length; o += 0x10000) {
    const c = bytes.subarray(o, Math.min(o + 0x10000, bytes.length));
    if (String.fromCharCode(...c.subarray(0, 7)) !== 'ElfChnk') continue; // not a chunk (e.g. never written): left as it is
    const free = new DataView(c.buffer, c.byteOffset).getUint32(48, true);
    if (free >= 512 && free <= c.length) v.setUint32(o + 52, crc32(c, 512, free), true);
    v.setUint32(o + 124, crc32(c, 128, 512, crc32(c, 0, 120)), true);
  }
  return bytes;
}
