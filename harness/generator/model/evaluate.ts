import type { Event } from '../../core/event.ts';
import type { Rule } from '../../core/rule.ts';
import { ECS_FIELD_TYPES } from '../../engines/elastic/ecs-field-types.ts';
import { planField } from '../../engines/kql/field-semantics.ts';
import { networkContains, parseIp, parseNetwork, type Network } from '../../engines/common/cidr.ts';
import { fieldGetter, leafValues, scalarText, type FieldGetter } from '../../engines/common/fields.ts';
import { compilePattern, type StringMatcher } from '../../engines/common/pattern-matcher.ts';
import type { Pattern } from '../../engines/common/pattern.ts';
import { assertNever, leavesOf, type Leaf, type Predicate } from '../../engines/common/predicate.ts';
import { compileRegex } from '../../engines/common/regex.ts';
import { parseTimestamp } from '../../engines/common/time.ts';
import { andTruth, notTruth, orTruth, verdictOf, type ModelVerdict, type Truth } from './truth.ts';

/**
 * The generator's own model of a Predicate tree — independent of every engine:
 * it decides what a variant or a near miss should do from the constraint tree
 * alone. Where the tree does not say enough to decide (opaque leaves, ranges
 * over non-numeric text, `exists` on a present-but-null value, whose meaning
 * differs between Sigma and Elasticsearch), it answers `U` and callers back off.
 */
export interface ModelOptions {
  /** `kleene`: SQL-style nulls — a comparison on a missing / null field is null (`N`), and `not null` is null. */
  readonly nulls: 'two-valued' | 'kleene';
  /**
   * Analysed-text fields (KQL / Lucene): their `match` leaves hold token-wise — a literal
   * leaf when its words occur consecutively among the value's tokens, a wildcard leaf when
   * one token matches it (semantics/kql.md §9) — and a `regex` leaf that does not hold
   * on the raw value is `U` unless none of the value's text could match.
   */
  readonly witness?: (field: string | null) => boolean;
}

export const TWO_VALUED: ModelOptions = { nulls: 'two-valued' };
export const KLEENE: ModelOptions = { nulls: 'kleene' };

/**
 * Analysed-text fields of Elastic indices (ECS `message`, `error.message`, `*.text`
 * multi-fields, and the mapping table the project ships for KQL / Lucene rules), plus
 * free-text search (no field): KQL and Lucene match words inside them.
 */
export function isAnalysedText(field: string | null): boolean {
  return field === null || field.endsWith('.text') || planField(field, { fieldTypes: ECS_FIELD_TYPES }).semantics === 'text';
}

const KQL_MODEL: ModelOptions = { nulls: 'two-valued', witness: isAnalysedText };

/**
 * The model for a rule's language. ES|QL is Kleene. EQL is two-valued (semantics/eql.md §7: ES turns
 * filters into bool queries, so `f != "x"` holds on a missing `f`); the Kleene mode is
 * kept for engines with SQL-style nulls.
 */
export function modelOptionsFor(rule: Pick<Rule, 'language'>): ModelOptions {
  // ES|QL's WHERE is three-valued: a comparison with a missing field is null and drops the row.
  if (rule.language === 'esql') return KLEENE;
  return rule.language === 'kuery' || rule.language === 'lucene' ? KQL_MODEL : TWO_VALUED;
}

type LeafTest = (event: Event, opts: ModelOptions) => Truth;

const compiled = new WeakMap<object, LeafTest>();

/** Truth of one leaf on one event (compiled once per leaf object, then cached). */
export function leafTruth(leaf: Leaf, event: Event, opts: ModelOptions): Truth {
  let test = compiled.get(leaf);
  if (!test) {
    test = compileLeaf(leaf);
    compiled.set(leaf, test);
  }
  const t = test(event, opts);
  if (t === 'F' && opts.witness && (leaf.kind === 'match' || leaf.kind === 'regex') && opts.witness(leaf.field)) {
    if (leaf.kind === 'regex') return witnessMiss(leaf, event);
    return textValues(leaf.field, event).some((v) => phraseIn(leaf.pattern, v)) ? 'T' : 'F';
  }
  return t;
}

/** Tokens per semantics/kql.md §9: runs of letters, digits, `_`, keeping `.` and `'` between two of them; lower-cased. */
export function analyse(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}_]+(?:['.][\p{L}\p{N}_]+)*/gu) ?? []);
}

/** Does the value hold the leaf's words in order (a literal leaf) or a token the glob matches (a wildcard leaf)? */
function phraseIn(pattern: Pattern, value: string): boolean {
  const tokens = analyse(value);
  if (pattern.every((t) => t.kind === 'text')) {
    const want = analyse(pattern.map((t) => (t.kind === 'text' ? t.text : '')).join(''));
    if (want.length === 0) return false;
    for (let i = 0; i + want.length <= tokens.length; i++) if (want.every((w, k) => tokens[i + k] === w)) return true;
    return false;
  }
  // A wildcard leaf on analysed text is one glob matched against single tokens.
  const m = compilePattern(pattern, 'insensitive');
  return tokens.some((t) => m(t));
}

function textValues(field: string | null, event: Event): string[] {
  const names = field === null ? [] : field.endsWith('.text') ? [field, field.slice(0, -5)] : [field];
  const values = field === null ? leafValues(event) : names.flatMap((n) => present(getter(n)(event)));
  return values.map(scalarText).filter((x): x is string => x !== undefined);
}

const getters = new Map<string, FieldGetter>();
const getter = (n: string): FieldGetter => {
  let g = getters.get(n);
  if (!g) getters.set(n, (g = fieldGetter(n)));
  return g;
};

/**
 * An analysed-text leaf that does not hold as written may still hold token-wise (`U`) —
 * unless no literal word of it occurs anywhere in the text it reads, case-folded: every
 * token match needs its literal parts inside the value, so then it is surely `F`.
 */
function witnessMiss(leaf: Extract<Leaf, { kind: 'match' | 'regex' }>, event: Event): Truth {
  const texts = textValues(leaf.field, event).map((x) => x.toLowerCase());
  if (texts.length === 0) return 'F';
  if (leaf.kind === 'regex') return 'U';
  const words = leaf.pattern.flatMap((t) => (t.kind === 'text' ? t.text.toLowerCase().split(/[^\p{L}\p{N}_]+/u) : [])).filter(Boolean);
  if (words.length === 0) return 'U';
  return texts.some((x) => words.some((w) => x.includes(w))) ? 'U' : 'F';
}

export function evaluate(p: Predicate, event: Event, opts: ModelOptions): Truth {
  switch (p.kind) {
    case 'and':
      return andTruth(p.children.map((c) => evaluate(c, event, opts)));
    case 'or':
      return orTruth(p.children.map((c) => evaluate(c, event, opts)));
    case 'not':
      return notTruth(evaluate(p.child, event, opts));
    case 'const':
      return p.value ? 'T' : 'F';
    default:
      return leafTruth(p, event, opts);
  }
}

export function modelVerdict(p: Predicate, event: Event, opts: ModelOptions): ModelVerdict {
  return verdictOf(evaluate(p, event, opts));
}

/** The truth of every leaf, in tree order: two events with equal vectors are alike for the tree. */
export function leafVector(predicates: readonly Predicate[], event: Event, opts: ModelOptions): string {
  let s = '';
  for (const p of predicates) for (const l of leavesOf(p)) s += leafTruth(l, event, opts);
  return s;
}

const isNumericText = (s: string): boolean => /^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/.test(s);

/** Present values: the getter's values without nulls. */
function present(values: readonly unknown[]): unknown[] {
  return values.filter((v) => v !== null && v !== undefined);
}

function missing(opts: ModelOptions): Truth {
  return opts.nulls === 'kleene' ? 'N' : 'F';
}

/** `any value satisfies` over the present values; a missing field is F (two-valued) or N (EQL). */
function anyOf(get: FieldGetter, test: (v: unknown) => Truth): LeafTest {
  return (event, opts) => {
    const values = present(get(event));
    if (values.length === 0) return missing(opts);
    return orTruth(values.map(test));
  };
}

const bool = (b: boolean): Truth => (b ? 'T' : 'F');

function textTest(m: (s: string) => boolean): (v: unknown) => Truth {
  return (v) => {
    const t = scalarText(v);
    return t === undefined ? 'F' : bool(m(t));
  };
}

function compileLeaf(leaf: Leaf): LeafTest {
  switch (leaf.kind) {
    case 'match': {
      const m: StringMatcher = compilePattern(leaf.pattern, leaf.mode);
      if (leaf.field === null) return (event) => orTruth(leafValues(event).map(textTest(m)));
      return anyOf(fieldGetter(leaf.field), textTest(m));
    }
    case 'regex': {
      const flags = leaf.flags;
      let re: { test(s: string): boolean };
      try {
        re = compileRegex(leaf.source, { ignoreCase: flags.includes('i'), multiline: flags.includes('m'), dotAll: flags.includes('s') });
      } catch {
        return () => 'U';
      }
      const m = (s: string) => re.test(s);
      if (leaf.field === null) return (event) => orTruth(leafValues(event).map(textTest(m)));
      return anyOf(fieldGetter(leaf.field), textTest(m));
    }
    case 'cidr': {
      let net: Network;
      try {
        net = parseNetwork(leaf.network);
      } catch {
        return () => 'U';
      }
      return anyOf(fieldGetter(leaf.field), (v) => {
        const t = scalarText(v);
        const ip = t === undefined ? undefined : parseIp(t);
        return bool(ip !== undefined && networkContains(net, ip));
      });
    }
    case 'range':
      return anyOf(fieldGetter(leaf.field), rangeTest(leaf.op, leaf.value));
    case 'equals': {
      const want = leaf.value;
      return anyOf(fieldGetter(leaf.field), (v) => {
        if (typeof want === 'number') {
          if (typeof v === 'number') return bool(v === want);
          if (typeof v === 'string' && isNumericText(v)) return bool(Number(v) === want);
          return 'F';
        }
        if (typeof v === 'boolean') return bool(v === want);
        if (typeof v === 'string') return bool(v.toLowerCase() === String(want));
        return 'F';
      });
    }
    case 'exists': {
      const get = fieldGetter(leaf.field);
      return (event) => {
        const values = get(event);
        if (values.length === 0) return 'F';
        // Present-with-null exists for Sigma, not for Elasticsearch: the tree does not say which.
        return present(values).length > 0 ? 'T' : 'U';
      };
    }
    case 'null': {
      const get = fieldGetter(leaf.field);
      return (event) => bool(present(get(event)).length === 0);
    }
    case 'fieldref': {
      const get = fieldGetter(leaf.field);
      const other = fieldGetter(leaf.other);
      const fold = leaf.mode === 'insensitive' ? (s: string) => s.toLowerCase() : (s: string) => s;
      const rel = { equals: (a: string, b: string) => a === b, contains: (a: string, b: string) => a.includes(b), startswith: (a: string, b: string) => a.startsWith(b), endswith: (a: string, b: string) => a.endsWith(b) }[leaf.position];
      return (event, opts) => {
        const a = present(get(event)).map(scalarText).filter((s): s is string => s !== undefined);
        const b = present(other(event)).map(scalarText).filter((s): s is string => s !== undefined);
        if (a.length === 0 || b.length === 0) return missing(opts);
        return bool(a.some((x) => b.some((y) => rel(fold(x), fold(y)))));
      };
    }
    case 'opaque':
      return () => 'U';
    default:
      return assertNever(leaf);
  }
}

function rangeTest(op: 'gt' | 'gte' | 'lt' | 'lte', bound: number | string): (v: unknown) => Truth {
  const cmp = (a: number, b: number): boolean => (op === 'gt' ? a > b : op === 'gte' ? a >= b : op === 'lt' ? a < b : a <= b);
  const numericBound = typeof bound === 'number' ? bound : isNumericText(bound) ? Number(bound) : undefined;
  if (numericBound !== undefined) {
    return (v) => {
      if (typeof v === 'number') return bool(cmp(v, numericBound));
      if (typeof v === 'string' && isNumericText(v)) return bool(cmp(Number(v), numericBound));
      // Ranges over text compare differently per engine (keyword order, date parsing).
      return 'U';
    };
  }
  // A date bound: exact only when both sides are absolute timestamps ("now-1d" is not).
  const t = parseTimestamp(bound);
  if (t === undefined) return () => 'U';
  return (v) => {
    const x = typeof v === 'string' ? parseTimestamp(v) : undefined;
    return x === undefined ? 'U' : bool(cmp(x, t));
  };
}
