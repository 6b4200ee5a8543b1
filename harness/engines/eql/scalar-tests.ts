import { scalarText } from '../common/fields.ts';
import { compilePattern, type StringMatcher } from '../common/pattern-matcher.ts';
import { type Pattern, ONE, STAR, text } from '../common/pattern.ts';
import { compileRegex } from '../common/regex.ts';
import type { CmpOp, Scalar } from './ast.ts';
import { luceneToJs } from '../common/lucene-regex.ts';
import { applyCmp, numericText } from './values.ts';

/**
 * Tests of one scalar value against the literal right-hand side of an
 * operator, compiled once: equality with keyword-style coercion, `:` and
 * `like` wildcards, `in` lists, Lucene regexes and ranges. Case-insensitive
 * tests fold literals at compile time and the value once per test (or take
 * it pre-folded from `fieldReadLower`).
 */
export type ScalarTest = (x: unknown) => boolean;

const fold = (s: string): string => s.toLowerCase();

/** `:` / `like` pattern text → wildcard tokens (`*` any run, `?` one char; no escapes, eql.md §5). */
export function wildcardPattern(s: string, foldCase = false): Pattern {
  const out: Pattern[number][] = [];
  let buf = '';
  for (const ch of foldCase ? fold(s) : s) {
    if (ch === '*' || ch === '?') {
      if (buf) out.push(text(buf));
      buf = '';
      out.push(ch === '*' ? STAR : ONE);
    } else buf += ch;
  }
  if (buf) out.push(text(buf));
  return out;
}

/** Text of a scalar for string matching (numbers and booleans as keyword text). */
export const asText = (x: unknown): string | undefined => (typeof x === 'string' ? x : scalarText(x));

/** Case-sensitive (or `~`: insensitive) equality with one literal. */
export function eqTest(lit: Scalar, ci: boolean): ScalarTest {
  if (typeof lit === 'string') {
    const n = numericText(lit);
    const hasNum = !Number.isNaN(n);
    if (!ci) return hasNum ? (x) => x === lit || x === n : (x) => x === lit || (typeof x === 'boolean' && String(x) === lit);
    const m = compilePattern([text(lit)], 'insensitive');
    return (x) => (typeof x === 'string' ? m(x) : hasNum ? x === n : typeof x === 'boolean' && String(x) === fold(lit));
  }
  if (typeof lit === 'number') {
    const t = scalarText(lit);
    return (x) => x === lit || (typeof x === 'string' && (x === t || numericText(x) === lit));
  }
  if (typeof lit === 'boolean') {
    const t = String(lit);
    return (x) => x === lit || x === t;
  }
  return () => false;
}

/**
 * `:` against literals: strings are case-insensitive anchored wildcards, others equality.
 * `prefolded`: string values arrive already lower-cased (from `fieldReadLower`).
 */
export function seqTest(lits: readonly Scalar[], prefolded = false): ScalarTest {
  const strings = lits.filter((l): l is string => typeof l === 'string');
  const others = lits.filter((l) => typeof l !== 'string').map((l) => eqTest(l, false));
  const strTest = insensitiveStrings(strings, true, prefolded);
  if (others.length === 0) return strTest;
  return (x) => strTest(x) || others.some((t) => t(x));
}

/**
 * Case-insensitive match of a value against several literals: the value is
 * folded once (or arrives folded), exact literals go in a Set, patterns use
 * sensitive matchers over folded text.
 */
function insensitiveStrings(strings: readonly string[], wildcards: boolean, prefolded: boolean): ScalarTest {
  if (strings.length === 0) return () => false;
  const lower = (x: unknown): string | undefined => {
    if (typeof x === 'string') return prefolded ? x : fold(x);
    const t = asText(x);
    return t === undefined ? undefined : fold(t);
  };
  if (strings.length === 1) {
    const p = wildcards ? wildcardPattern(strings[0]!, true) : [text(fold(strings[0]!))];
    if (!prefolded) {
      const m = compilePattern(wildcards ? wildcardPattern(strings[0]!) : [text(strings[0]!)], 'insensitive');
      return (x) => {
        if (typeof x === 'string') return m(x);
        const t = asText(x);
        return t !== undefined && m(t);
      };
    }
    const m = compilePattern(p, 'sensitive');
    return (x) => {
      if (typeof x === 'string') return m(x);
      const t = lower(x);
      return t !== undefined && m(t);
    };
  }
  const exact = new Set<string>();
  const matchers: StringMatcher[] = [];
  for (const s of strings) {
    const p = wildcards ? wildcardPattern(s, true) : [text(fold(s))];
    if (p.every((t) => t.kind === 'text')) exact.add(fold(s));
    else matchers.push(compilePattern(p, 'sensitive'));
  }
  return (x) => {
    const f = lower(x);
    if (f === undefined) return false;
    if (exact.has(f)) return true;
    for (let i = 0; i < matchers.length; i++) if (matchers[i]!(f)) return true;
    return false;
  };
}

export function inTest(lits: readonly Scalar[], ci: boolean, prefolded = false): ScalarTest {
  if (ci) {
    const strings = lits.filter((l): l is string => typeof l === 'string');
    const others = lits.filter((l) => typeof l !== 'string').map((l) => eqTest(l, false));
    const st = insensitiveStrings(strings, false, prefolded);
    return others.length ? (x) => st(x) || others.some((t) => t(x)) : st;
  }
  if (lits.length === 1) return eqTest(lits[0]!, false);
  const strs = new Set<unknown>();
  const nums = new Set<unknown>();
  for (const l of lits) {
    if (typeof l === 'string') {
      strs.add(l);
      const n = numericText(l);
      if (!Number.isNaN(n)) nums.add(n);
    } else if (typeof l === 'number') {
      nums.add(l);
      strs.add(scalarText(l));
    } else if (typeof l === 'boolean') {
      nums.add(l);
      strs.add(String(l));
    }
  }
  return (x) => (typeof x === 'string' ? strs.has(x) : nums.has(x));
}

export function likeTest(patterns: readonly string[], ci: boolean, prefolded = false): ScalarTest {
  if (ci) return insensitiveStrings(patterns, true, prefolded);
  const ms = patterns.map((p) => compilePattern(wildcardPattern(p), 'sensitive'));
  if (ms.length === 1) {
    const m = ms[0]!;
    return (x) => {
      if (typeof x === 'string') return m(x);
      const t = asText(x);
      return t !== undefined && m(t);
    };
  }
  return (x) => {
    const t = asText(x);
    if (t === undefined) return false;
    for (const m of ms) if (m(t)) return true;
    return false;
  };
}

/** Lucene regex match of the whole value; throws an Error naming the bad pattern. */
export function regexTest(patterns: readonly string[], ci: boolean): ScalarTest {
  const res = patterns.map((p) => {
    try {
      return compileRegex(luceneToJs(p), { ignoreCase: ci, dotAll: true });
    } catch (err) {
      throw new Error(`invalid regex ${JSON.stringify(p)}: ${(err as Error).message}`, { cause: err });
    }
  });
  return (x) => {
    const t = asText(x);
    if (t === undefined) return false;
    for (const r of res) if (r.test(t)) return true;
    return false;
  };
}

export function rangeTest(op: CmpOp, lit: Scalar): ScalarTest {
  if (typeof lit === 'number') {
    switch (op) {
      case '<':
        return (x) => (typeof x === 'number' ? x < lit : applyCmp(op, x, lit));
      case '<=':
        return (x) => (typeof x === 'number' ? x <= lit : applyCmp(op, x, lit));
      case '>':
        return (x) => (typeof x === 'number' ? x > lit : applyCmp(op, x, lit));
      case '>=':
        return (x) => (typeof x === 'number' ? x >= lit : applyCmp(op, x, lit));
      default:
        break;
    }
  }
  if (lit === null || typeof lit === 'boolean') return () => false;
  return (x) => applyCmp(op, x, lit);
}
