/**
 * A stable 32-bit hash (FNV-1a) of strings, the same on every machine and run:
 * per-case seeds, corpus staleness checks, rule shards, bench fingerprints.
 * Each part is followed by a separator byte, so ('ab', 'c') and ('a', 'bc') differ.
 */
export function hashOf(...parts: readonly string[]): number {
  let h = 0x811c9dc5;
  for (const s of parts) {
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    h ^= 0xff;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
