import { crc32 as zlibCrc32 } from 'node:zlib';

/**
 * CRC-32 (IEEE 802.3, the one zlib computes): EVTX header and chunk checksums. Node's
 * native zlib.crc32 (Node 20.15+) — every chunk's records are checked, so this is a
 * large share of reading a file.
 */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length, crc = 0): number {
  return zlibCrc32(bytes.subarray(start, end), crc);
}
