/**
 * Wildcard patterns as structure (pySigma's SigmaString): a list of literal
 * text and wildcard tokens, turned into a matcher once at compile time.
 * Never an in-band sentinel character.
 */
export type PatternToken =
  | { readonly kind: 'text'; readonly text: string }
  /** Any run of characters, including none, newlines and backslashes. */
  | { readonly kind: 'star' }
  /** Exactly one character. */
  | { readonly kind: 'one' };

export type Pattern = readonly PatternToken[];

export type CaseMode = 'insensitive' | 'sensitive';

export const STAR: PatternToken = { kind: 'star' };
export const ONE: PatternToken = { kind: 'one' };

export function text(t: string): PatternToken {
  return { kind: 'text', text: t };
}

/** Merge adjacent text tokens and collapse runs of `*`, so fast paths can see the shape. */
export function normalizePattern(p: Pattern): Pattern {
  const out: PatternToken[] = [];
  for (const tok of p) {
    const last = out[out.length - 1];
    if (tok.kind === 'text') {
      if (tok.text === '') continue;
      if (last?.kind === 'text') out[out.length - 1] = text(last.text + tok.text);
      else out.push(tok);
    } else if (tok.kind === 'star') {
      if (last?.kind !== 'star') out.push(STAR);
    } else out.push(ONE);
  }
  return out;
}

export function hasWildcards(p: Pattern): boolean {
  return p.some((t) => t.kind !== 'text');
}

/** The pattern as literal text, when it has no wildcards. */
export function literalOf(p: Pattern): string | undefined {
  if (hasWildcards(p)) return undefined;
  return p.map((t) => (t.kind === 'text' ? t.text : '')).join('');
}

/** `*x*` unless the pattern already starts / ends with `*`. */
export function wrapContains(p: Pattern): Pattern {
  return wrapStart(wrapEnd(p));
}
export function wrapStart(p: Pattern): Pattern {
  return p[0]?.kind === 'star' ? p : [STAR, ...p];
}
export function wrapEnd(p: Pattern): Pattern {
  return p[p.length - 1]?.kind === 'star' ? p : [...p, STAR];
}

/** Print as Sigma writes it (`*`, `?`, and backslash escapes for literal ones). */
export function printPattern(p: Pattern): string {
  return p
    .map((t) => (t.kind === 'star' ? '*' : t.kind === 'one' ? '?' : t.text.replace(/([*?\\])/g, '\\$1')))
    .join('');
}
