/**
 * pySigma's string forms of values, which pipelines match and rewrite:
 * `str(SigmaString)` escapes literal `*`/`?` and prints wildcards bare;
 * values compare as pySigma's types do.
 */
import { text } from '../../common/pattern.ts';
import { DEFERRED_PLACEHOLDER } from '../modifiers.ts';
import { mergeText, parseSigmaString, type SigmaString } from '../sigma-string.ts';
import type { SigmaValue } from '../values.ts';

/** pySigma `SigmaString.to_plain()`. */
export function sigmaText(s: SigmaString): string {
  return s.map((t) => (t.kind === 'text' ? t.text.replaceAll('*', '\\*').replaceAll('?', '\\?').replace(DEFERRED_PLACEHOLDER, '%$1%') : t.kind === 'star' ? '*' : '?')).join('');
}

/** A value as the pipeline sees it in messages and labels. */
export function showValue(v: SigmaValue): string {
  switch (v.kind) {
    case 'string':
      return sigmaText(v.s);
    case 'number':
    case 'boolean':
      return String(v.value);
    case 'null':
      return 'null';
    case 're':
      return `/${v.source}/${v.flags}`;
    case 'cidr':
      return v.text;
    case 'compare':
      return `${v.op} ${v.value}`;
    case 'fieldref':
      return `fieldref ${v.other}`;
    case 'exists':
      return `exists ${String(v.value)}`;
    case 'timepart':
      return `${v.part} ${v.value}`;
    case 'expansion':
      return `(${v.values.map(showValue).join(' | ')})`;
  }
}

/** pySigma `sigma_type(x)` for a YAML scalar from a pipeline (no modifiers). */
export function sigmaTypeOf(x: unknown): SigmaValue {
  if (typeof x === 'string') return { kind: 'string', s: parseSigmaString(x), cased: false };
  if (typeof x === 'number') return { kind: 'number', value: x };
  if (typeof x === 'boolean') return { kind: 'boolean', value: x };
  return { kind: 'null' };
}

/** `value == other` between pySigma types (a SigmaString equals a str by parsing it). */
export function sameValue(v: SigmaValue, x: unknown): boolean {
  switch (v.kind) {
    case 'string':
      return typeof x === 'string' && sigmaText(v.s) === sigmaText(parseSigmaString(x));
    case 'number':
      return typeof x === 'number' && x === v.value;
    case 'boolean':
      return typeof x === 'boolean' && x === v.value;
    case 'null':
      return x === null;
    default:
      return false;
  }
}

/** Map the plain-text parts of a string, keeping wildcards (pySigma `map_str_parts`). */
export function mapTextParts(s: SigmaString, f: (t: string) => string): SigmaString {
  return mergeText(s.map((t) => (t.kind === 'text' ? text(f(t.text)) : t)));
}

export const hasSpecial = (s: SigmaString): boolean => s.some((t) => t.kind !== 'text');
