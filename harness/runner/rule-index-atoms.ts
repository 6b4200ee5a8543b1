/**
 * The rule index's hashed atoms (rule-index.ts): one FieldAtoms per field, its
 * text atoms keyed by (atom kind + length, text hash). The hash is polynomial
 * over the UTF-16 code units of the folded text, so the hash of any substring
 * comes from two prefix hashes (TextHash); a bit table answers "surely absent"
 * for almost every probe before the map is touched.
 */
import { AFFIX } from './rule-needs.ts';

const BASE = 0x01000193;
const GRAM_LONG = 8;
/** BASE^n mod 2^32 for n ≤ 8: the hash of a substring from prefix hashes. */
const POW = Int32Array.from({ length: Math.max(AFFIX, GRAM_LONG) + 1 }, (_, n) => {
  let p = 1;
  for (let i = 0; i < n; i++) p = Math.imul(p, BASE);
  return p;
});

export interface Sink {
  take(entries: readonly number[] | undefined): void;
}

/** Hash of a string's code units (already folded). */
function hashString(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, BASE) + s.charCodeAt(i)) | 0;
  return h;
}

/** The prefix hashes of the value being looked up: P[i] hashes its first i folded code units. */
export class TextHash {
  P = new Int32Array(256);
  n = 0;

  /**
   * Hash the text folded as the matchers fold it (`toLowerCase`); ASCII folds inline.
   * Returns whether the text is ASCII.
   */
  hash(t: string): boolean {
    const n = t.length;
    if (this.P.length <= n) this.P = new Int32Array(2 * n + 1);
    const P = this.P;
    let h = 0;
    for (let i = 0; i < n; i++) {
      let c = t.charCodeAt(i);
      if (c >= 128) {
        this.hashFolded(t.toLowerCase());
        return false;
      }
      if (c >= 65 && c <= 90) c += 32;
      P[i + 1] = h = (Math.imul(h, BASE) + c) | 0;
    }
    P[0] = 0;
    this.n = n;
    return true;
  }

  private hashFolded(s: string): void {
    const n = s.length;
    if (this.P.length <= n) this.P = new Int32Array(2 * n + 1);
    const P = this.P;
    let h = 0;
    P[0] = 0;
    for (let i = 0; i < n; i++) P[i + 1] = h = (Math.imul(h, BASE) + s.charCodeAt(i)) | 0;
    this.n = n;
  }
}

/**
 * The length of the pieces of a field's contains literals that are indexed, given the
 * shortest: 8 where every literal allows it (hashes: hex 4-grams are all common), else 4.
 * Keyword literals of 3 characters are indexed whole (a second, shorter piece length).
 */
export function gramLengthFor(shortestLiteral: number, literalLength: number): number {
  if (shortestLiteral >= GRAM_LONG) return GRAM_LONG;
  return Math.min(literalLength, 4);
}

export type TextKind = 'eq' | 'prefix' | 'suffix' | 'contains';
const TAG: Readonly<Record<TextKind, number>> = { eq: 0, prefix: 16, suffix: 32, contains: 48 };

/**
 * The atoms of one field (or, id 0, of every leaf value). Entries are `rule * 4 + need`.
 * Text atoms live in the field's own table keyed by (kind + length, hash), behind a bit
 * table small enough to stay in cache.
 */
export class FieldAtoms {
  readonly present: number[] = [];
  readonly nonascii: number[] = [];
  numbers: Map<number, number[]> | undefined;
  /** Any text atom: only then is a value's text hashed. */
  text = false;
  /** The event (stamp) this field was last seen present in. */
  seen = 0;
  private eq = false;
  private prefixLengths: number[] = [];
  private suffixLengths: number[] = [];
  private gramLengths: number[] = [];
  private readonly pending: [salt: number, h: number, entry: number][] = [];
  private readonly map = new Map<number, number[]>();
  private bits = new Uint32Array(1);
  private shift = 32;

  addNumber(value: number, entry: number): void {
    this.numbers ??= new Map();
    const list = this.numbers.get(value);
    if (list) list.push(entry);
    else this.numbers.set(value, [entry]);
  }

  add(kind: TextKind | 'present' | 'nonascii', key: string, entry: number): void {
    if (kind === 'present') return void this.present.push(entry);
    this.text = true;
    if (kind === 'nonascii') return void this.nonascii.push(entry);
    const lengths = kind === 'prefix' ? this.prefixLengths : kind === 'suffix' ? this.suffixLengths : kind === 'contains' ? this.gramLengths : undefined;
    if (lengths && !lengths.includes(key.length)) {
      lengths.push(key.length);
      lengths.sort((a, b) => a - b);
    }
    if (kind === 'eq') this.eq = true;
    this.pending.push([salt(TAG[kind] + (kind === 'eq' ? 0 : key.length)), hashString(key), entry]);
  }

  /** Size the bit table to the atoms (about 16 bits each) and fill it. */
  finish(): void {
    let bits = 10;
    while (1 << bits < 16 * this.pending.length && bits < 22) bits++;
    this.bits = new Uint32Array(1 << (bits - 5));
    this.shift = 32 - bits;
    for (const [s, h, entry] of this.pending) {
      const k = Math.imul(h ^ s, MIX);
      const bit = k >>> this.shift;
      this.bits[bit >>> 5]! |= 1 << (bit & 31);
      const list = this.map.get(k >>> 2);
      if (list) list.push(entry);
      else this.map.set(k >>> 2, [entry]);
    }
    this.pending.length = 0;
  }

  private probe(s: number, h: number, sink: Sink): void {
    const k = Math.imul(h ^ s, MIX);
    const bit = k >>> this.shift;
    if ((this.bits[bit >>> 5]! & (1 << (bit & 31))) !== 0) sink.take(this.map.get(k >>> 2));
  }

  /** Look up every atom the hashed text can hit. */
  probeAll(t: TextHash, sink: Sink): void {
    const P = t.P;
    const n = t.n;
    if (this.eq) this.probe(SALT_EQ, P[n]!, sink);
    for (const L of this.prefixLengths) {
      if (L > n) break;
      this.probe(SALT_PREFIX[L]!, P[L]!, sink);
    }
    for (const L of this.suffixLengths) {
      if (L > n) break;
      this.probe(SALT_SUFFIX[L]!, (P[n]! - Math.imul(P[n - L]!, POW[L]!)) | 0, sink);
    }
    const bits = this.bits;
    const shift = this.shift;
    for (const G of this.gramLengths) {
      const s = SALT_GRAM[G]!;
      const pow = POW[G]!;
      for (let i = 0; i + G <= n; i++) {
        const k = Math.imul(((P[i + G]! - Math.imul(P[i]!, pow)) | 0) ^ s, MIX);
        const bit = k >>> shift;
        if ((bits[bit >>> 5]! & (1 << (bit & 31))) !== 0) sink.take(this.map.get(k >>> 2));
      }
    }
  }
}

const MIX = 0x85ebca77;
const salt = (tag: number): number => Math.imul(tag + 1, 0x9e3779b1);
const SALT_EQ = salt(TAG.eq);
const SALT_PREFIX = Int32Array.from({ length: AFFIX + 1 }, (_, n) => salt(TAG.prefix + n));
const SALT_SUFFIX = Int32Array.from({ length: AFFIX + 1 }, (_, n) => salt(TAG.suffix + n));
const SALT_GRAM = Int32Array.from({ length: 9 }, (_, n) => salt(TAG.contains + n));

/**
 * The piece of each contains literal to index: of its length, the one fewest literals
 * share (so hits stay rare); among those, the one made of the rarest 4-character parts,
 * so `a256=dbb` of `sha256=dbb…` loses to a piece of the hash itself.
 */
export function gramChooser(literals: readonly { field: string | null; key: string }[]): (field: string | null, key: string) => string {
  const shortest = new Map<string | null, number>();
  for (const l of literals) shortest.set(l.field, Math.min(shortest.get(l.field) ?? Infinity, l.key.length));
  const windows = (key: string, n: number): string[] => {
    const out: string[] = [];
    for (let i = 0; i + n <= key.length; i++) out.push(key.slice(i, i + n));
    return out;
  };
  const pieces = (field: string | null, key: string): string[] => windows(key, gramLengthFor(shortest.get(field)!, key.length));
  const df = new Map<string, number>();
  const df4 = new Map<string, number>();
  const seen = new Set<string>();
  for (const l of literals) {
    const id = `${l.field}\u0000${l.key}`;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const g of pieces(l.field, l.key)) df.set(g, (df.get(g) ?? 0) + 1);
    for (const g of windows(l.key, 4)) df4.set(g, (df4.get(g) ?? 0) + 1);
  }
  const partsCost = (g: string): number => windows(g, 4).reduce((c, w) => c + (df4.get(w) ?? 0), 0);
  const chosen = new Map<string, string>();
  return (field, key) => {
    const id = `${field}\u0000${key}`;
    let best = chosen.get(id);
    if (best === undefined) {
      let bestCost = Infinity;
      for (const g of pieces(field, key)) {
        const cost = df.get(g)! * 1e6 + partsCost(g);
        if (cost < bestCost) [best, bestCost] = [g, cost];
      }
      chosen.set(id, best!);
    }
    return best!;
  };
}

/** Memo: judged after this many lookups, at most this many values kept per path. */
const MEMO_TRIAL = 2000;
const MEMO_LIMIT = 50_000;

/**
 * The text atoms one path's values hit (its field's and the keywords'), by value text:
 * log values repeat (the same images, command lines, channels), so most lookups skip
 * hashing. Dropped for a path whose values rarely repeat (timestamps, hashes).
 */
export class PathMemo implements Sink {
  private memo: Map<string, readonly number[]> | undefined = new Map();
  private lookups = 0;
  private misses = 0;
  private readonly out: number[] = [];

  constructor(
    private readonly field: FieldAtoms | undefined,
    private readonly keywords: FieldAtoms | undefined,
  ) {}

  /** Every entry the text hits (valid until the next call). */
  hits(text: string, t: TextHash): readonly number[] {
    const memo = this.memo;
    if (memo !== undefined) {
      this.lookups++;
      const known = memo.get(text);
      if (known !== undefined) return known;
      this.misses++;
    }
    const out = this.out;
    out.length = 0;
    const ascii = t.hash(text);
    const f = this.field;
    const k = this.keywords;
    if (!ascii) {
      if (f) for (const e of f.nonascii) out.push(e);
      if (k) for (const e of k.nonascii) out.push(e);
    }
    f?.probeAll(t, this);
    k?.probeAll(t, this);
    if (memo === undefined) return out;
    if (this.lookups >= MEMO_TRIAL && this.misses * 2 > this.lookups) this.memo = undefined;
    else if (memo.size < MEMO_LIMIT) memo.set(text, out.slice());
    return out;
  }

  take(entries: readonly number[] | undefined): void {
    if (entries !== undefined) for (const e of entries) this.out.push(e);
  }
}
