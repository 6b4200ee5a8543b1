/**
 * A prefilter for running thousands of rules over many events (cross-fire):
 * `buildRuleIndex(detectors).matching(event)` returns exactly the detectors
 * whose `matches(event)` is true, but calls `matches` only on the few that can.
 *
 * Events carry no log source, so the index reads each Sigma rule's logic: up to
 * three *needs* per rule (rule-needs.ts), each a set of atoms such as "EventID
 * is 4104", "Image ends with `\cmd.exe`", "CommandLine contains `-enc`" (by a
 * 1–8 character piece) or "ScriptBlockText is present". Atoms are hashed per
 * field. An event is walked once, as fieldGetter resolves paths (nested and
 * literally dotted keys, arrays flattened); each value's folded text is hashed
 * once with a polynomial rolling hash, so every prefix, suffix and window costs
 * O(1) and allocates nothing, and a bit table turns almost every probe away
 * before a map lookup. A rule is a candidate when every one of its needs was
 * hit; its own `matches` then decides, so hash collisions cost time, never
 * answers. Detectors whose logic the index cannot read (other engines,
 * correlations) and rules with nothing to prune on (keyword searches) are
 * evaluated on every event.
 */
import type { Detector } from '../core/detector.ts';
import type { Event } from '../core/event.ts';
import { scalarText } from '../engines/common/fields.ts';
import { isSigmaEventDetector } from '../engines/sigma/index.ts';
import { numericOf } from '../engines/sigma/value-tests.ts';
import { AFFIX, gramLength, ruleNeeds, type Atom, type Need } from './rule-needs.ts';

const BASE = 0x01000193;
/** BASE^n mod 2^32, for the hash of any substring from prefix hashes. */
const POW = Int32Array.from({ length: AFFIX + 1 }, (_, n) => {
  let p = 1;
  for (let i = 0; i < n; i++) p = Math.imul(p, BASE);
  return p;
});
const TAG = { eq: 1, prefix: 16, suffix: 32, gram: 48 } as const;
const BITS = 21;

/** Hash of a string's UTF-16 code units (the text is already folded). */
function hashText(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, BASE) + s.charCodeAt(i)) | 0;
  return h;
}

/** One table key from a field, an atom kind (+ length) and a text hash; a small integer, so maps stay fast. */
function slot(field: number, tag: number, h: number): number {
  let k = Math.imul(h ^ Math.imul(field * 64 + tag + 1, 0x9e3779b1), 0x85ebca77);
  k ^= k >>> 15;
  return k & 0x3fffffff;
}

/** The atoms of one field. Entries are `rule * 4 + need`. */
class FieldAtoms {
  readonly present: number[] = [];
  readonly num = new Map<number, number[]>();
  eq = false;
  prefixLengths: number[] = [];
  suffixLengths: number[] = [];
  gramLengths: number[] = [];
  /** Any text atom: only then is a value's text hashed. */
  text = false;
  /** The event (stamp) this field was last seen present in. */
  seen = 0;
  constructor(readonly id: number) {}
}

const addLength = (lengths: number[], n: number): number[] => (lengths.includes(n) ? lengths : [...lengths, n].sort((a, b) => a - b));

function push<K>(map: Map<K, number[]>, key: K, entry: number): void {
  const list = map.get(key);
  if (list) list.push(entry);
  else map.set(key, [entry]);
}

/** The piece of each contains literal that fewest literals share (so hits stay rare). */
function gramChooser(literals: Iterable<string>): (literal: string) => string {
  const df = new Map<string, number>();
  const pieces = (lit: string): Set<string> => {
    const n = gramLength(lit.length);
    const out = new Set<string>();
    for (let i = 0; i + n <= lit.length; i++) out.add(lit.slice(i, i + n));
    return out;
  };
  for (const lit of new Set(literals)) for (const g of pieces(lit)) df.set(g, (df.get(g) ?? 0) + 1);
  return (lit) => [...pieces(lit)].reduce((best, g) => (df.get(g)! < df.get(best)! ? g : best));
}

export interface RuleIndex {
  /** The detectors whose `matches(event)` is true, in the order they were given. */
  matching(event: Event): Detector[];
  /** How many detectors `matching` evaluates for this event (what the prefilter leaves). */
  candidateCount(event: Event): number;
  /** How many detectors are evaluated on every event (nothing to prune them on). */
  readonly unindexed: number;
}

class Index implements RuleIndex {
  private readonly fields = new Map<string, FieldAtoms>();
  /** Atoms on any leaf value (keyword searches). */
  private readonly keywords = new FieldAtoms(0);
  /** Every dotted prefix of an indexed field name: only these paths are worth descending into. */
  private readonly parents = new Set<string>();
  private readonly table = new Map<number, number[]>();
  private readonly bits = new Uint32Array(1 << (BITS - 5));
  private readonly always: number[] = [];
  /** Per rule: the needs hit so far in this event, when (stamp) that was, and the mask of all its needs. */
  private readonly hitMask: Uint8Array;
  private readonly hitStamp: Int32Array;
  private readonly fullMask: Uint8Array;
  private readonly found: number[] = [];
  private stamp = 0;
  private prefixHash = new Int32Array(256);

  constructor(private readonly detectors: readonly Detector[]) {
    const n = detectors.length;
    this.hitMask = new Uint8Array(n);
    this.hitStamp = new Int32Array(n);
    this.fullMask = new Uint8Array(n);
    const needs = detectors.map((d) => (isSigmaEventDetector(d) ? ruleNeeds(d.constraints().logic) : []));
    const gramOf = gramChooser(needs.flat(2).flatMap((a) => (a.kind === 'contains' ? [a.key] : [])));
    needs.forEach((list, rule) => this.addRule(rule, list, gramOf));
    for (const name of this.fields.keys()) for (let i = name.indexOf('.'); i >= 0; i = name.indexOf('.', i + 1)) this.parents.add(name.slice(0, i));
  }

  get unindexed(): number {
    return this.always.length;
  }

  private addRule(rule: number, needs: readonly Need[], gramOf: (literal: string) => string): void {
    if (needs.length === 0) return void this.always.push(rule);
    if (needs.some((n) => n.length === 0)) return; // never matches
    this.fullMask[rule] = (1 << needs.length) - 1;
    needs.forEach((need, k) => {
      for (const atom of need) this.addAtom(atom, rule * 4 + k, gramOf);
    });
  }

  private fieldAtoms(field: string | null): FieldAtoms {
    if (field === null) return this.keywords;
    let f = this.fields.get(field);
    if (!f) this.fields.set(field, (f = new FieldAtoms(this.fields.size + 1)));
    return f;
  }

  private addAtom(atom: Atom, entry: number, gramOf: (literal: string) => string): void {
    const f = this.fieldAtoms(atom.field);
    switch (atom.kind) {
      case 'present':
        return void f.present.push(entry);
      case 'num':
        return push(f.num, atom.value, entry);
      case 'eq':
        f.eq = true;
        return this.addKey(f, TAG.eq, atom.key, entry);
      case 'prefix':
        f.prefixLengths = addLength(f.prefixLengths, atom.key.length);
        return this.addKey(f, TAG.prefix + atom.key.length, atom.key, entry);
      case 'suffix':
        f.suffixLengths = addLength(f.suffixLengths, atom.key.length);
        return this.addKey(f, TAG.suffix + atom.key.length, atom.key, entry);
      case 'contains': {
        const g = gramOf(atom.key);
        f.gramLengths = addLength(f.gramLengths, g.length);
        return this.addKey(f, TAG.gram + g.length, g, entry);
      }
    }
  }

  private addKey(f: FieldAtoms, tag: number, key: string, entry: number): void {
    f.text = true;
    const k = slot(f.id, tag, hashText(key));
    this.bits[k >>> 5 & ((1 << (BITS - 5)) - 1)]! |= 1 << (k & 31);
    push(this.table, k, entry);
  }

  matching(event: Event): Detector[] {
    this.collect(event);
    const out: number[] = [];
    for (const r of this.found) if (this.detectors[r]!.matches(event)) out.push(r);
    for (const r of this.always) if (this.detectors[r]!.matches(event)) out.push(r);
    if (out.length > 1) out.sort((a, b) => a - b);
    return out.map((r) => this.detectors[r]!);
  }

  candidateCount(event: Event): number {
    this.collect(event);
    return this.found.length + this.always.length;
  }

  /** Fill `found` with the rules all of whose needs this event hits. */
  private collect(event: Event): void {
    this.found.length = 0;
    if (++this.stamp === 0x7fffffff) {
      this.stamp = 1;
      this.hitStamp.fill(0);
      for (const f of this.fields.values()) f.seen = 0;
    }
    this.visit(event, undefined);
    if (this.keywords.text) this.leaves(event, 0);
  }

  /** Every leaf value, as leafValues collects them for keyword items (same depth bound). */
  private leaves(v: unknown, depth: number): void {
    if (depth > 256) return;
    if (Array.isArray(v)) for (const x of v) this.leaves(x, depth + 1);
    else if (typeof v === 'object' && v !== null) for (const k of Object.keys(v)) this.leaves((v as Record<string, unknown>)[k], depth + 1);
    else {
      const t = typeof v === 'string' ? v : scalarText(v);
      if (t !== undefined) this.hitText(this.keywords, t);
    }
  }

  /** Every path of the event as fieldGetter resolves names: keys joined with dots, arrays transparent. */
  private visit(node: Readonly<Record<string, unknown>>, path: string | undefined): void {
    for (const k of Object.keys(node)) this.value(path === undefined ? k : `${path}.${k}`, node[k]);
  }

  private value(path: string, v: unknown): void {
    if (Array.isArray(v)) {
      for (const x of v) this.value(path, x);
      return;
    }
    const f = this.fields.get(path);
    if (f) this.hit(f, v);
    if (typeof v === 'object' && v !== null && this.parents.has(path)) this.visit(v as Record<string, unknown>, path);
  }

  private hit(f: FieldAtoms, v: unknown): void {
    if (f.seen !== this.stamp) {
      f.seen = this.stamp;
      this.take(f.present);
    }
    if (f.num.size > 0 && typeof v !== 'boolean') {
      const n = numericOf(v);
      if (n !== undefined) this.take(f.num.get(n));
    }
    if (!f.text) return;
    const t = typeof v === 'string' ? v : scalarText(v);
    if (t !== undefined) this.hitText(f, t);
  }

  /** Hash every prefix of the folded text once; then each atom kind probes in O(1). */
  private hitText(f: FieldAtoms, t: string): void {
    const n = t.length;
    if (this.prefixHash.length <= n) this.prefixHash = new Int32Array(2 * n + 1);
    const P = this.prefixHash;
    let h = 0;
    for (let i = 0; i < n; i++) {
      let c = t.charCodeAt(i);
      if (c >= 128) return this.hitFolded(f, t.toLowerCase());
      if (c >= 65 && c <= 90) c += 32;
      P[i + 1] = h = (Math.imul(h, BASE) + c) | 0;
    }
    P[0] = 0;
    this.probeAll(f, n);
  }

  /** Non-ASCII text: fold it as the matchers do (toLowerCase of the whole value), then hash. */
  private hitFolded(f: FieldAtoms, s: string): void {
    const n = s.length;
    if (this.prefixHash.length <= n) this.prefixHash = new Int32Array(2 * n + 1);
    const P = this.prefixHash;
    let h = 0;
    P[0] = 0;
    for (let i = 0; i < n; i++) P[i + 1] = h = (Math.imul(h, BASE) + s.charCodeAt(i)) | 0;
    this.probeAll(f, n);
  }

  private probeAll(f: FieldAtoms, n: number): void {
    const P = this.prefixHash;
    const id = f.id;
    if (f.eq) this.probe(slot(id, TAG.eq, P[n]!));
    for (const L of f.prefixLengths) {
      if (L > n) break;
      this.probe(slot(id, TAG.prefix + L, P[L]!));
    }
    for (const L of f.suffixLengths) {
      if (L > n) break;
      this.probe(slot(id, TAG.suffix + L, (P[n]! - Math.imul(P[n - L]!, POW[L]!)) | 0));
    }
    for (const L of f.gramLengths) {
      const tag = TAG.gram + L;
      const pow = POW[L]!;
      for (let i = 0; i + L <= n; i++) this.probe(slot(id, tag, (P[i + L]! - Math.imul(P[i]!, pow)) | 0));
    }
  }

  private probe(k: number): void {
    if ((this.bits[k >>> 5 & ((1 << (BITS - 5)) - 1)]! & (1 << (k & 31))) !== 0) this.take(this.table.get(k));
  }

  private take(entries: readonly number[] | undefined): void {
    if (entries === undefined) return;
    for (const e of entries) {
      const r = e >> 2;
      if (this.hitStamp[r] !== this.stamp) {
        this.hitStamp[r] = this.stamp;
        this.hitMask[r] = 0;
      }
      const m = this.hitMask[r]!;
      const next = m | (1 << (e & 3));
      if (next === m) continue;
      this.hitMask[r] = next;
      if (next === this.fullMask[r]) this.found.push(r);
    }
  }
}

/**
 * Index a set of detectors for repeated single-event evaluation.
 * @example buildRuleIndex(detectors).matching({ EventID: 1, Image: 'C:\\Windows\\System32\\cmd.exe' })
 */
export function buildRuleIndex(detectors: readonly Detector[]): RuleIndex {
  return new Index(detectors);
}
