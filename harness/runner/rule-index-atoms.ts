/**
 * The rule index's hashed atoms (rule-index.ts): one FieldAtoms per field, all
 * text atoms in one HashTable keyed by (field, atom kind + length, text hash).
 * The hash is polynomial over UTF-16 code units of the folded text, so the
 * hash of any substring comes from two prefix hashes; a bit table answers
 * "surely absent" for almost every probe before the map is touched.
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
const BITS = 21;

export interface Sink {
  take(entries: readonly number[] | undefined): void;
}

/** Hash of a string's code units (already folded). */
function hashString(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, BASE) + s.charCodeAt(i)) | 0;
  return h;
}

/** The table of text atoms, and the prefix hashes of the value being looked up. */
export class HashTable {
  private readonly bits = new Uint32Array(1 << (BITS - 5));
  private readonly map = new Map<number, number[]>();
  /** Prefix hashes of the current value's folded text: P[i] hashes its first i code units. */
  P = new Int32Array(256);
  n = 0;

  add(salt: number, h: number, entry: number): void {
    const k = Math.imul(h ^ salt, 0x85ebca77);
    const bit = k >>> (32 - BITS);
    this.bits[bit >>> 5]! |= 1 << (bit & 31);
    const list = this.map.get(k >>> 2);
    if (list) list.push(entry);
    else this.map.set(k >>> 2, [entry]);
  }

  probe(salt: number, h: number, sink: Sink): void {
    const k = Math.imul(h ^ salt, 0x85ebca77);
    const bit = k >>> (32 - BITS);
    if ((this.bits[bit >>> 5]! & (1 << (bit & 31))) !== 0) sink.take(this.map.get(k >>> 2));
  }

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

export type TextKind = 'eq' | 'prefix' | 'suffix' | 'contains';
const TAG: Readonly<Record<TextKind, number>> = { eq: 0, prefix: 16, suffix: 32, contains: 48 };

/** The atoms of one field (or, id 0, of every leaf value). Entries are `rule * 4 + need`. */
export class FieldAtoms {
  readonly present: number[] = [];
  readonly nonascii: number[] = [];
  numbers: Map<number, number[]> | undefined;
  /** Any text atom: only then is a value's text hashed. */
  text = false;
  /** The event (stamp) this field was last seen present in. */
  seen = 0;
  /** The length of the piece of contains literals that is indexed: 8 when every literal allows it. */
  gram = 0;
  private eq = false;
  private prefixLengths: number[] = [];
  private suffixLengths: number[] = [];
  private minContains = Infinity;

  constructor(
    private readonly id: number,
    private readonly table: HashTable,
  ) {}

  private salt(tag: number): number {
    return Math.imul(this.id * 64 + tag + 1, 0x9e3779b1);
  }

  /** First pass: see every contains literal, so one piece length serves them all. */
  gramFor(literal: string): void {
    this.minContains = Math.min(this.minContains, literal.length);
    this.gram = Math.min(this.minContains, GRAM_LONG) >= GRAM_LONG ? GRAM_LONG : Math.min(this.minContains, 4);
  }

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
    if (kind === 'eq') this.eq = true;
    else if (kind === 'prefix' && !this.prefixLengths.includes(key.length)) this.prefixLengths = [...this.prefixLengths, key.length].sort((a, b) => a - b);
    else if (kind === 'suffix' && !this.suffixLengths.includes(key.length)) this.suffixLengths = [...this.suffixLengths, key.length].sort((a, b) => a - b);
    this.table.add(this.salt(TAG[kind] + (kind === 'eq' ? 0 : key.length)), hashString(key), entry);
  }

  /** Look up every atom the table's current text can hit. */
  probe(sink: Sink): void {
    const t = this.table;
    const P = t.P;
    const n = t.n;
    if (this.eq) t.probe(this.salt(TAG.eq), P[n]!, sink);
    for (const L of this.prefixLengths) {
      if (L > n) break;
      t.probe(this.salt(TAG.prefix + L), P[L]!, sink);
    }
    for (const L of this.suffixLengths) {
      if (L > n) break;
      t.probe(this.salt(TAG.suffix + L), (P[n]! - Math.imul(P[n - L]!, POW[L]!)) | 0, sink);
    }
    const G = this.gram;
    if (G === 0 || G > n) return;
    const salt = this.salt(TAG.contains + G);
    const pow = POW[G]!;
    for (let i = 0; i + G <= n; i++) t.probe(salt, (P[i + G]! - Math.imul(P[i]!, pow)) | 0, sink);
  }
}

/**
 * The piece of each contains literal to index: of its field's piece length, the one
 * fewest literals share (so hits stay rare).
 */
export function gramChooser(literals: readonly { field: string | null; key: string; length: number }[]): (field: string | null, key: string) => string {
  const lengthOf = new Map<string | null, number>();
  const pieces = (key: string, n: number): Set<string> => {
    const out = new Set<string>();
    for (let i = 0; i + n <= key.length; i++) out.add(key.slice(i, i + n));
    return out;
  };
  const df = new Map<string, number>();
  const seen = new Set<string>();
  for (const l of literals) {
    lengthOf.set(l.field, l.length);
    if (seen.has(`${l.length}:${l.key}`)) continue;
    seen.add(`${l.length}:${l.key}`);
    for (const g of pieces(l.key, l.length)) df.set(g, (df.get(g) ?? 0) + 1);
  }
  return (field, key) => [...pieces(key, lengthOf.get(field)!)].reduce((best, g) => (df.get(g)! < df.get(best)! ? g : best));
}
