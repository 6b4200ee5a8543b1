/**
 * A prefilter for running thousands of rules over many events (cross-fire):
 * `buildRuleIndex(detectors).matching(event)` returns exactly the detectors
 * whose `matches(event)` is true, but calls `matches` only on the few that can.
 *
 * Events carry no log source, so the index reads each Sigma rule's logic
 * (`constraints().logic`) instead: it derives a *need*, a set of atoms of which
 * any matching event has at least one — a value equal to a literal (EventID
 * 4104, OriginalFileName 'cmd.exe'), a prefix or suffix of a field's text
 * (`Image|endswith: '\cmd.exe'`), a 4-character piece of a `contains` literal,
 * or at least the field's presence. Atoms are hashed per field; an event is
 * walked once, its paths and values looked up, and only the rules that some
 * atom hit are evaluated. A need only ever over-approximates (the real
 * `matches` decides), so the index is exact whatever it picks. Detectors the
 * index cannot read (other engines, correlations) and keyword rules are
 * evaluated on every event.
 */
import type { Detector } from '../core/detector.ts';
import type { Event } from '../core/event.ts';
import { scalarText } from '../engines/common/fields.ts';
import { normalizePattern, type Pattern } from '../engines/common/pattern.ts';
import type { Leaf, Predicate } from '../engines/common/predicate.ts';
import { isSigmaEventDetector } from '../engines/sigma/index.ts';
import { numericOf } from '../engines/sigma/value-tests.ts';

/** Prefix / suffix atoms keep this many folded characters; contains atoms index one piece of this length. */
const AFFIX = 8;
const GRAM = 4;

/**
 * Something an event must have for a rule to match, on one field: a value whose
 * case-folded text equals / starts with / ends with / contains `key`, a value
 * that is numerically `value`, or any value at all.
 */
type Atom =
  | { readonly kind: 'present'; readonly field: string }
  | { readonly kind: 'num'; readonly field: string; readonly value: number }
  | { readonly kind: 'eq' | 'prefix' | 'suffix' | 'contains'; readonly field: string; readonly key: string };

/** 'any': nothing to prune on; otherwise a matching event has one of the atoms ([]: never matches). */
type Need = 'any' | readonly Atom[];

const fold = (s: string): string => s.toLowerCase();

/** Rough cost of a need: how likely a random event hits one of its atoms. */
function cost(need: readonly Atom[]): number {
  let c = 0;
  for (const a of need) c += a.kind === 'present' ? 50 : a.kind === 'eq' || a.kind === 'num' ? 1 : a.kind === 'contains' ? 3 : a.key.length >= 4 ? 2 : 10;
  return c;
}

/** AND: any one conjunct's need is a need of the whole; take the cheapest. */
function cheapest(needs: readonly Need[]): Need {
  let best: Need = 'any';
  for (const n of needs) {
    if (n === 'any') continue;
    if (n.length === 0) return n;
    if (best === 'any' || cost(n) < cost(best)) best = n;
  }
  return best;
}

/** OR: every branch may be the one that holds, so all their atoms. */
function union(needs: readonly Need[]): Need {
  const out: Atom[] = [];
  for (const n of needs) {
    if (n === 'any') return 'any';
    out.push(...n);
  }
  return out;
}

/**
 * Atoms for a case-insensitive wildcard match (pattern-matcher.ts folds the value and
 * each literal): the whole text, else the folded first / last literal, else a literal inside.
 */
function patternNeed(field: string, pattern: Pattern): Need {
  const p = normalizePattern(pattern);
  if (p.length === 0) return [{ kind: 'eq', field, key: '' }];
  const first = p[0]!;
  const last = p[p.length - 1]!;
  if (p.length === 1 && first.kind === 'text') return [{ kind: 'eq', field, key: fold(first.text) }];
  const options: Atom[][] = [];
  if (last.kind === 'text') options.push([{ kind: 'suffix', field, key: fold(last.text).slice(-AFFIX) }]);
  if (first.kind === 'text') options.push([{ kind: 'prefix', field, key: fold(first.text).slice(0, AFFIX) }]);
  for (const t of p) if (t.kind === 'text' && t.text.length >= GRAM) options.push([{ kind: 'contains', field, key: fold(t.text) }]);
  options.push([{ kind: 'present', field }]);
  return cheapest(options);
}

/** The need of one leaf holding (value-tests.ts: every test but null and `exists: false` needs a value). */
function leafNeed(p: Leaf): Need {
  if (p.field === null || p.kind === 'null') return 'any';
  const field = p.field;
  switch (p.kind) {
    case 'match':
      if (p.mode === 'insensitive') return patternNeed(field, p.pattern);
      // Case-sensitive: folding keeps equality, but not affixes (a final sigma folds by context).
      return p.pattern.every((t) => t.kind === 'text') ? [{ kind: 'eq', field, key: fold(p.pattern.map((t) => (t.kind === 'text' ? t.text : '')).join('')) }] : [{ kind: 'present', field }];
    case 'equals':
      return typeof p.value === 'number' ? [{ kind: 'num', field, value: p.value }] : [{ kind: 'eq', field, key: String(p.value) }];
    default:
      return [{ kind: 'present', field }];
  }
}

/** The need of `p` holding (`positive`) or failing, in negation normal form. */
function needOf(p: Predicate, positive: boolean): Need {
  switch (p.kind) {
    case 'and':
      return positive ? cheapest(p.children.map((c) => needOf(c, true))) : union(p.children.map((c) => needOf(c, false)));
    case 'or':
      return positive ? union(p.children.map((c) => needOf(c, true))) : cheapest(p.children.map((c) => needOf(c, false)));
    case 'not':
      return needOf(p.child, !positive);
    case 'const':
      return p.value === positive ? 'any' : [];
    case 'null':
      // Not (missing or null): some value, none null.
      return positive ? 'any' : [{ kind: 'present', field: p.field }];
    default:
      return positive ? leafNeed(p) : 'any';
  }
}

/** The atoms of one field, hashed by kind. */
class FieldAtoms {
  readonly present: number[] = [];
  readonly eq = new Map<string, number[]>();
  readonly num = new Map<number, number[]>();
  readonly prefix = new Map<string, number[]>();
  readonly suffix = new Map<string, number[]>();
  readonly gram = new Map<string, number[]>();
  prefixLengths: number[] = [];
  suffixLengths: number[] = [];
  /** Any text atom: only then is a value's folded text worth computing. */
  text = false;
  /** The event (stamp) this field was last seen present in. */
  seen = 0;

  finish(): void {
    this.prefixLengths = [...new Set([...this.prefix.keys()].map((k) => k.length))].sort((a, b) => a - b);
    this.suffixLengths = [...new Set([...this.suffix.keys()].map((k) => k.length))].sort((a, b) => a - b);
    this.text = this.eq.size + this.prefix.size + this.suffix.size + this.gram.size > 0;
  }
}

function push<K>(map: Map<K, number[]>, key: K, rule: number): void {
  const list = map.get(key);
  if (list) list.push(rule);
  else map.set(key, [rule]);
}

/** The GRAM-long piece of each contains literal that fewest literals share (so hits stay rare). */
function gramChooser(literals: readonly string[]): (literal: string) => string {
  const df = new Map<string, number>();
  for (const lit of new Set(literals)) {
    const seen = new Set<string>();
    for (let i = 0; i + GRAM <= lit.length; i++) seen.add(lit.slice(i, i + GRAM));
    for (const g of seen) df.set(g, (df.get(g) ?? 0) + 1);
  }
  return (lit) => {
    let best = lit.slice(0, GRAM);
    for (let i = 1; i + GRAM <= lit.length; i++) {
      const g = lit.slice(i, i + GRAM);
      if (df.get(g)! < df.get(best)!) best = g;
    }
    return best;
  };
}

export interface RuleIndex {
  /** The detectors whose `matches(event)` is true, in the order they were given. */
  matching(event: Event): Detector[];
  /** How many detectors `matching` would evaluate for this event (the prefilter's result). */
  candidateCount(event: Event): number;
  /** Detectors evaluated on every event (not Sigma event rules, keyword-only logic, …). */
  readonly unindexed: number;
}

class Index implements RuleIndex {
  private readonly fields = new Map<string, FieldAtoms>();
  /** Every dotted prefix of an indexed field name: only these paths are worth descending into. */
  private readonly parents = new Set<string>();
  private readonly always: number[] = [];
  private readonly mark: Int32Array;
  private readonly found: number[] = [];
  private stamp = 0;

  constructor(private readonly detectors: readonly Detector[]) {
    this.mark = new Int32Array(detectors.length);
    const needs = detectors.map((d) => (isSigmaEventDetector(d) ? needOf(d.constraints().logic, true) : 'any'));
    const contains = needs.flatMap((n) => (n === 'any' ? [] : n.flatMap((a) => (a.kind === 'contains' ? [a.key] : []))));
    const gramOf = gramChooser(contains);
    needs.forEach((need, rule) => {
      if (need === 'any') this.always.push(rule);
      else for (const atom of need) this.add(atom, rule, gramOf);
    });
    for (const f of this.fields.values()) f.finish();
    for (const name of this.fields.keys()) for (let i = name.indexOf('.'); i >= 0; i = name.indexOf('.', i + 1)) this.parents.add(name.slice(0, i));
  }

  get unindexed(): number {
    return this.always.length;
  }

  private add(atom: Atom, rule: number, gramOf: (literal: string) => string): void {
    let f = this.fields.get(atom.field);
    if (!f) this.fields.set(atom.field, (f = new FieldAtoms()));
    switch (atom.kind) {
      case 'present':
        f.present.push(rule);
        return;
      case 'num':
        return push(f.num, atom.value, rule);
      case 'eq':
        return push(f.eq, atom.key, rule);
      case 'prefix':
        return push(f.prefix, atom.key, rule);
      case 'suffix':
        return push(f.suffix, atom.key, rule);
      case 'contains':
        return push(f.gram, gramOf(atom.key), rule);
    }
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

  /** Fill `found` with every rule an atom of this event hits, once each. */
  private collect(event: Event): void {
    this.found.length = 0;
    if (++this.stamp === 0x7fffffff) {
      this.stamp = 1;
      this.mark.fill(0);
      for (const f of this.fields.values()) f.seen = 0;
    }
    this.visit(event, undefined);
  }

  /**
   * Every path of the event as fieldGetter resolves names: keys joined with dots
   * whether nested or literally dotted, arrays transparent and flattened.
   */
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
    if (t === undefined) return;
    const s = fold(t);
    this.take(f.eq.get(s));
    for (const n of f.prefixLengths) {
      if (n > s.length) break;
      this.take(f.prefix.get(s.slice(0, n)));
    }
    for (const n of f.suffixLengths) {
      if (n > s.length) break;
      this.take(f.suffix.get(s.slice(s.length - n)));
    }
    if (f.gram.size > 0) for (let i = 0; i + GRAM <= s.length; i++) this.take(f.gram.get(s.slice(i, i + GRAM)));
  }

  private take(rules: readonly number[] | undefined): void {
    if (rules === undefined) return;
    for (const r of rules) {
      if (this.mark[r] !== this.stamp) {
        this.mark[r] = this.stamp;
        this.found.push(r);
      }
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
