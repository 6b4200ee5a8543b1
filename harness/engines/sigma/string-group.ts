/**
 * Many wildcard strings of one detection item tested in one pass over each
 * value — the hot path of SigmaHQ rules, whose items list hundreds of
 * `endswith` paths or thousands of `contains` hashes. The value's text is
 * folded once; equalities are one set lookup, prefixes and suffixes one lookup
 * per literal length, `contains` literals are found through a map keyed by
 * their first characters; any other shape uses its compiled matcher. The
 * answer is the same as trying each pattern's matcher in turn
 * (common/pattern-matcher.ts), quirks included.
 */
import { scalarText } from '../common/fields.ts';
import { compilePattern, type StringMatcher } from '../common/pattern-matcher.ts';
import { normalizePattern, type Pattern } from '../common/pattern.ts';

export interface StringPart {
  readonly pattern: Pattern;
  readonly cased: boolean;
}

/** Below this many literals a plain loop beats building and probing lookup tables. */
const SMALL = 8;

/** Literals by length, for `startsWith` / `endsWith` as one lookup per distinct length. */
class Affixes {
  private readonly byLength = new Map<number, Set<string>>();
  private lengths: number[] = [];
  private readonly list: string[] = [];

  add(lit: string): void {
    this.list.push(lit);
    let set = this.byLength.get(lit.length);
    if (!set) {
      this.byLength.set(lit.length, (set = new Set()));
      this.lengths = [...this.byLength.keys()].sort((a, b) => a - b);
    }
    set.add(lit);
  }

  get size(): number {
    return this.list.length;
  }

  starts(s: string): boolean {
    if (this.list.length < SMALL) return this.list.some((a) => s.startsWith(a));
    for (const n of this.lengths) {
      if (n > s.length) return false;
      if (this.byLength.get(n)!.has(s.slice(0, n))) return true;
    }
    return false;
  }

  ends(s: string): boolean {
    if (this.list.length < SMALL) return this.list.some((a) => s.endsWith(a));
    for (const n of this.lengths) {
      if (n > s.length) return false;
      if (this.byLength.get(n)!.has(s.slice(s.length - n))) return true;
    }
    return false;
  }
}

/**
 * `includes` over many literals (Rabin–Karp): each literal is keyed by a hash of its
 * first k characters (k: the shortest literal, at most 8); the value's windows are
 * hashed as the scan rolls, and only a window whose hash is a key is compared.
 */
class Needles {
  private readonly list: string[] = [];
  private index: { k: number; pow: number; heads: Map<number, string[]> } | undefined;

  add(lit: string): void {
    this.list.push(lit);
  }

  get size(): number {
    return this.list.length;
  }

  private build(): { k: number; pow: number; heads: Map<number, string[]> } {
    const k = Math.min(8, ...this.list.map((l) => l.length));
    let pow = 1;
    for (let i = 0; i < k; i++) pow = Math.imul(pow, BASE);
    const heads = new Map<number, string[]>();
    for (const lit of this.list) {
      const h = windowHash(lit, 0, k);
      const at = heads.get(h);
      if (at) at.push(lit);
      else heads.set(h, [lit]);
    }
    return { k, pow, heads };
  }

  found(s: string): boolean {
    if (this.list.length < SMALL) return this.list.some((a) => s.includes(a));
    const { k, pow, heads } = (this.index ??= this.build());
    if (s.length < k) return false;
    let h = windowHash(s, 0, k);
    for (let i = 0; ; i++) {
      const lits = heads.get(h);
      if (lits) for (const lit of lits) if (s.startsWith(lit, i)) return true;
      if (i + k >= s.length) return false;
      h = (Math.imul(h, BASE) - Math.imul(s.charCodeAt(i), pow) + s.charCodeAt(i + k)) | 0;
    }
  }
}

const BASE = 0x01000193;

function windowHash(s: string, from: number, k: number): number {
  let h = 0;
  for (let i = from; i < from + k; i++) h = (Math.imul(h, BASE) + s.charCodeAt(i)) | 0;
  return h;
}

/** The literals of one case mode, sorted by pattern shape. */
class Bucket {
  private readonly equal = new Set<string>();
  private readonly prefixes = new Affixes();
  private readonly suffixes = new Affixes();
  private readonly needles = new Needles();
  private readonly others: StringMatcher[] = [];
  private anything = false;
  size = 0;

  constructor(private readonly insensitive: boolean) {}

  add(pattern: Pattern): void {
    this.size++;
    const p = normalizePattern(pattern);
    const shape = p.map((t) => (t.kind === 'text' ? 'T' : t.kind === 'star' ? '*' : '?')).join('');
    const lit = (i: number): string => {
      const t = (p[i] as { text: string }).text;
      return this.insensitive ? t.toLowerCase() : t;
    };
    if (shape === '') this.equal.add('');
    else if (shape === 'T') this.equal.add(lit(0));
    else if (shape === '*') this.anything = true;
    else if (shape === 'T*') this.prefixes.add(lit(0));
    else if (shape === '*T') this.suffixes.add(lit(1));
    else if (shape === '*T*') this.needles.add(lit(1));
    else this.others.push(compilePattern(p, this.insensitive ? 'insensitive' : 'sensitive'));
  }

  /** `t`: the value's text as the matchers get it (unfolded); `s`: the same folded, when this bucket folds. */
  test(t: string, s: string): boolean {
    if (this.anything) return true;
    // pattern-matcher's equality compares lengths before folding: keep that quirk.
    if (this.equal.has(s) && (!this.insensitive || t.length === s.length)) return true;
    if (this.prefixes.size > 0 && this.prefixes.starts(s)) return true;
    if (this.suffixes.size > 0 && this.suffixes.ends(s)) return true;
    if (this.needles.size > 0 && this.needles.found(s)) return true;
    for (const m of this.others) if (m(t)) return true;
    return false;
  }
}

/**
 * OR over many string patterns, each matched against any of a field's values.
 * @example new StringGroup([{ pattern: [STAR, text('\\cmd.exe')], cased: false }]).test(['C:\\X\\CMD.EXE']) // true
 */
export class StringGroup {
  private readonly folded = new Bucket(true);
  private readonly cased = new Bucket(false);

  constructor(parts: readonly StringPart[]) {
    for (const p of parts) (p.cased ? this.cased : this.folded).add(p.pattern);
  }

  /** Whether `test` needs the values' folded text. */
  get folds(): boolean {
    return this.folded.size > 0;
  }

  get size(): number {
    return this.folded.size + this.cased.size;
  }

  /**
   * `folded[i]`: the folded text of `vals[i]` (as `toLowerCase` of its scalar text),
   * shared by every group reading the field; computed here when not given.
   */
  test(vals: readonly unknown[], folded?: readonly (string | undefined)[]): boolean {
    for (let i = 0; i < vals.length; i++) {
      const x = vals[i];
      const t = typeof x === 'string' ? x : scalarText(x);
      if (t === undefined) continue;
      if (this.folded.size > 0 && this.folded.test(t, folded?.[i] ?? t.toLowerCase())) return true;
      if (this.cased.size > 0 && this.cased.test(t, t)) return true;
    }
    return false;
  }
}
