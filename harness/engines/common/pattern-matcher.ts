import { type CaseMode, type Pattern, normalizePattern } from './pattern.ts';

/** A compiled string test. Input is the raw event string; folding happens inside. */
export type StringMatcher = (value: string) => boolean;

const fold = (s: string): string => s.toLowerCase();

/**
 * Compile a wildcard pattern, anchored to the whole value, into the cheapest
 * test that decides it: equality, startsWith, endsWith, includes, or a regex.
 * Case-insensitive mode folds both sides with Unicode-aware `toLowerCase`.
 * @example compilePattern([STAR, text('\\cmd.exe')], 'insensitive')('C:\\X\\CMD.EXE') // true
 */
export function compilePattern(pattern: Pattern, mode: CaseMode): StringMatcher {
  const p = normalizePattern(pattern);
  const ci = mode === 'insensitive';
  const lit = (i: number): string | undefined => {
    const t = p[i];
    return t?.kind === 'text' ? (ci ? fold(t.text) : t.text) : undefined;
  };
  const shape = p.map((t) => (t.kind === 'text' ? 'T' : t.kind === 'star' ? '*' : '?')).join('');
  const prep = ci ? fold : (s: string) => s;
  switch (shape) {
    case '':
      return (v) => v === '';
    case '*':
      return () => true;
    case 'T': {
      const a = lit(0)!;
      return ci ? (v) => v.length === a.length ? fold(v) === a : false : (v) => v === a;
    }
    case 'T*': {
      const a = lit(0)!;
      return (v) => prep(v).startsWith(a);
    }
    case '*T': {
      const a = lit(1)!;
      return (v) => prep(v).endsWith(a);
    }
    case '*T*': {
      const a = lit(1)!;
      return (v) => prep(v).includes(a);
    }
    case 'T*T': {
      const a = lit(0)!;
      const b = lit(2)!;
      return (v) => {
        const s = prep(v);
        return s.length >= a.length + b.length && s.startsWith(a) && s.endsWith(b);
      };
    }
    default: {
      const re = patternToRegExp(p, ci);
      return (v) => re.test(ci ? fold(v) : v);
    }
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Anchored regex for a pattern; `s` so wildcards cross newlines, `u` so `?` is one code point. */
export function patternToRegExp(pattern: Pattern, foldLiterals: boolean): RegExp {
  const body = normalizePattern(pattern)
    .map((t) => (t.kind === 'star' ? '.*' : t.kind === 'one' ? '.' : escapeRegExp(foldLiterals ? fold(t.text) : t.text)))
    .join('');
  return new RegExp(`^${body}$`, 'su');
}
