/**
 * What an event must have for a Sigma rule to match, read off the rule's
 * predicate tree (`constraints().logic`): a few *needs*, each a set of atoms of
 * which every matching event has at least one. The rule index (rule-index.ts)
 * hashes the atoms; a need only ever over-approximates, so the rule's own
 * `matches` still decides.
 *
 * The atoms follow the Sigma value tests (engines/sigma/value-tests.ts): every
 * test but `null` and `exists: false` needs a value; a case-insensitive
 * wildcard compares the folded value with folded literals (pattern-matcher.ts),
 * so the folded value equals / starts with / ends with / contains them.
 */
import { normalizePattern, type Pattern } from '../engines/common/pattern.ts';
import type { Leaf, Predicate } from '../engines/common/predicate.ts';
import { requiredLiterals } from '../engines/common/regex-literals.ts';

/** Prefix and suffix atoms keep at most this many folded characters. */
export const AFFIX = 16;
/**
 * `contains` literals shorter than this are not indexed on a field (pieces that short are
 * common, and every character of a value costs a probe); a keyword may be one shorter,
 * as a keyword rule has no field presence to fall back on.
 */
export const MIN_CONTAINS = 4;
export const MIN_KEYWORD = 3;

/**
 * Something one field of a matching event has: any value (`present`), a value that is
 * numerically `value`, a value whose text has a non-ASCII character, or a value whose
 * case-folded text equals / starts with / ends with / contains `key` (already folded).
 * Field `null`: any leaf value of the event (keyword search, fields.ts leafValues).
 */
export type Atom =
  | { readonly kind: 'present'; readonly field: string }
  | { readonly kind: 'num'; readonly field: string; readonly value: number }
  | { readonly kind: 'nonascii'; readonly field: string | null }
  | { readonly kind: 'eq' | 'prefix' | 'suffix' | 'contains'; readonly field: string | null; readonly key: string };

/** A matching event has at least one of the atoms ([]: no event matches). */
export type Need = readonly Atom[];

const fold = (s: string): string => s.toLowerCase();
const isAscii = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 128) return false;
  return true;
};

/** Roughly how likely an event is to have the atom (lower is rarer). */
function atomCost(a: Atom): number {
  switch (a.kind) {
    case 'present':
      return 50;
    case 'eq':
    case 'num':
    case 'nonascii':
      return 1;
    case 'prefix':
    case 'suffix':
      return a.key.length >= 8 ? 1.5 : a.key.length >= 6 ? 2 : a.key.length >= 4 ? 6 : 15;
    case 'contains':
      return a.key.length >= 8 ? 2 : 4;
  }
}

export function needCost(need: Need): number {
  let c = 0;
  for (const a of need) c += atomCost(a);
  return c;
}

const byCost = (a: Need, b: Need): number => needCost(a) - needCost(b);

function cheapest(needs: readonly Need[]): Need | undefined {
  let best: Need | undefined;
  for (const n of needs) if (best === undefined || needCost(n) < needCost(best)) best = n;
  return best;
}

function containsNeed(field: string | null, key: string): Need | undefined {
  if (!isAscii(key)) return [{ kind: 'nonascii', field }];
  if (key.length >= (field === null ? MIN_KEYWORD : MIN_CONTAINS)) return [{ kind: 'contains', field, key }];
  return field === null ? undefined : [{ kind: 'present', field }];
}

/** A case-insensitive wildcard match: the whole text, else the cheapest of its affixes and literals. */
function patternNeed(field: string | null, pattern: Pattern): Need | undefined {
  const p = normalizePattern(pattern);
  if (p.length === 0) return [{ kind: 'eq', field, key: '' }];
  const first = p[0]!;
  const last = p[p.length - 1]!;
  if (p.length === 1 && first.kind === 'text') return [{ kind: 'eq', field, key: fold(first.text) }];
  const options: Need[] = field === null ? [] : [[{ kind: 'present', field }]];
  if (last.kind === 'text') options.push([{ kind: 'suffix', field, key: fold(last.text).slice(-AFFIX) }]);
  if (first.kind === 'text') options.push([{ kind: 'prefix', field, key: fold(first.text).slice(0, AFFIX) }]);
  for (const t of p) {
    const n = t.kind === 'text' ? containsNeed(field, fold(t.text)) : undefined;
    if (n) options.push(n);
  }
  return cheapest(options);
}

function leafNeed(p: Leaf): Need | undefined {
  if (p.kind === 'match') {
    if (p.mode === 'insensitive') return patternNeed(p.field, p.pattern);
    // Case-sensitive: folding keeps equality but not affixes (a final sigma folds by context).
    const whole = p.pattern.every((t) => t.kind === 'text');
    if (whole) return [{ kind: 'eq', field: p.field, key: fold(p.pattern.map((t) => (t.kind === 'text' ? t.text : '')).join('')) }];
    return p.field === null ? undefined : [{ kind: 'present', field: p.field }];
  }
  if (p.kind === 'regex') {
    const lits = requiredLiterals(p.source, p.flags);
    const parts = lits?.map((key) => containsNeed(p.field, key));
    if (parts && parts.every((n) => n !== undefined)) return parts.flat();
    return p.field === null ? undefined : [{ kind: 'present', field: p.field }];
  }
  if (p.field === null || p.kind === 'null') return undefined;
  const field = p.field;
  switch (p.kind) {
    case 'equals':
      // Numbers compare numerically (numericOf); a boolean also as its text ('true', 'TRUE').
      return typeof p.value === 'number' ? [{ kind: 'num', field, value: p.value }] : [{ kind: 'eq', field, key: String(p.value) }];
    default:
      return [{ kind: 'present', field }];
  }
}

/**
 * A disjunction holds through one branch, so each need of it is one need per branch, merged.
 * Two per branch when that stays small (A∧B ∨ C gives A∨C and B∨C), else the cheapest.
 */
function disjunction(branches: readonly Need[][]): Need[] {
  if (branches.some((b) => b.length === 0)) return [];
  const sorted = branches.map((b) => [...b].sort(byCost));
  const width = sorted.reduce((w, b) => w * Math.min(2, b.length), 1) <= 4 ? 2 : 1;
  let combos: Atom[][] = [[]];
  for (const b of sorted) combos = combos.flatMap((c) => b.slice(0, width).map((n) => [...c, ...n]));
  return combos;
}

/** Every need of `p` holding (`positive`) or failing, in negation normal form: all of them hold. */
function needsOf(p: Predicate, positive: boolean): Need[] {
  switch (p.kind) {
    case 'and':
    case 'or': {
      const each = p.children.map((c) => needsOf(c, positive));
      return (p.kind === 'and') === positive ? each.flat() : disjunction(each);
    }
    case 'not':
      return needsOf(p.child, !positive);
    case 'const':
      return p.value === positive ? [] : [[]];
    case 'null':
      // Neither missing nor null: some value.
      return positive ? [] : [[{ kind: 'present', field: p.field }]];
    default: {
      const n = positive ? leafNeed(p) : undefined;
      return n === undefined ? [] : [n];
    }
  }
}

/**
 * The cheapest few distinct needs of a rule's logic (at most `max`, all must hold); none
 * when nothing can be pruned on (pure negations), `[[]]` when it can never match.
 * @example ruleNeeds({ kind: 'match', field: 'Image', pattern: [STAR, text('\\cmd.exe')], mode: 'insensitive' })
 * // [[{ kind: 'suffix', field: 'Image', key: '\\cmd.exe' }]]
 */
export function ruleNeeds(logic: Predicate, max = 4): Need[] {
  const all = needsOf(logic, true);
  if (all.some((n) => n.length === 0)) return [[]];
  const seen = new Set<string>();
  const out: Need[] = [];
  const sorted = [...all].sort(byCost);
  // A need that field presence satisfies prunes little and costs a visit per event: only as a last resort.
  const useful = sorted.filter((n) => !n.some((a) => a.kind === 'present'));
  for (const n of useful.length > 0 ? useful : sorted.slice(0, 1)) {
    // Dropping a need only prunes less, so a cheap signature is enough to skip repeats.
    const key = `${n.length}:${JSON.stringify(n.slice(0, 4))}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(n);
    if (out.length === max) break;
  }
  return out;
}
