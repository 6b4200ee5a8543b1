/**
 * Sigma string values (rules spec "Wildcards" + "Escaping"), parsed exactly as
 * pySigma's `SigmaString` does: `*` and `?` are wildcards; a backslash escapes
 * `*`, `?` and `\`; before any other character (or at the end) it stays literal.
 */
import { ONE, STAR, text, type Pattern, type PatternToken } from '../common/pattern.ts';

const SPECIAL = /[\\*?]/;

/** Placeholders (`%name%`, `expand`) are resolved as the modifier runs, so a Sigma string is a Pattern. */
export type SigmaToken = PatternToken;
export type SigmaString = Pattern;

/**
 * @example parseSigmaString('C:\\Windows\\\\*') // [text('C:\\Windows\\'), STAR]
 */
export function parseSigmaString(s: string): SigmaString {
  // Most values have no wildcard and no escape: one text token, no scan.
  if (!SPECIAL.test(s)) return s === '' ? [] : [text(s)];
  const out: SigmaToken[] = [];
  let acc = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\') {
      if (i + 1 === s.length) acc += c;
      else {
        const n = s[++i]!;
        acc += n === '*' || n === '?' || n === '\\' ? n : c + n;
      }
    } else if (c === '*' || c === '?') {
      if (acc !== '') out.push(text(acc));
      acc = '';
      out.push(c === '*' ? STAR : ONE);
    } else acc += c;
  }
  if (acc !== '') out.push(text(acc));
  return out;
}

/** A literal string as a SigmaString (no wildcard parsing): used for encoder output. */
export const literal = (s: string): SigmaString => (s === '' ? [] : [text(s)]);

export const hasWildcard = (s: SigmaString): boolean => s.some((t) => t.kind === 'star' || t.kind === 'one');

/** Merge adjacent text tokens (encoders and expansions split them). */
export function mergeText(s: readonly SigmaToken[]): SigmaString {
  const out: SigmaToken[] = [];
  for (const t of s) {
    const last = out[out.length - 1];
    if (t.kind === 'text') {
      if (t.text === '') continue;
      if (last?.kind === 'text') out[out.length - 1] = text(last.text + t.text);
      else out.push(t);
    } else out.push(t);
  }
  return out;
}

/** The plain text of a wildcard-free string (wildcards printed as-is). */
export function plainText(s: SigmaString): string {
  return s.map((t) => (t.kind === 'text' ? t.text : t.kind === 'star' ? '*' : '?')).join('');
}

/** Cartesian product of per-position alternatives (windash, placeholders): every combination, in order. */
export function product(parts: readonly (readonly SigmaString[])[]): SigmaString[] {
  let acc: SigmaToken[][] = [[]];
  for (const alts of parts) {
    const next: SigmaToken[][] = [];
    for (const prefix of acc) for (const alt of alts) next.push([...prefix, ...alt]);
    acc = next;
  }
  return acc.map(mergeText);
}
