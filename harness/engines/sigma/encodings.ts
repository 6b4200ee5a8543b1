/**
 * Encoding modifiers (modifiers appendix "Encoding", pySigma `modifiers.py`):
 * base64, base64offset, utf16le/wide, utf16be, utf16 and windash. Pure string
 * functions; the modifier registry handles types and errors.
 */
import { text } from '../common/pattern.ts';
import { literal, product, type SigmaString, type SigmaToken } from './sigma-string.ts';

/** The byte-order mark utf16 prepends, as pySigma does, as the character U+FEFF. */
export const BOM = '\ufeff';

/** UTF-8 bytes of a string, except that a leading U+FEFF written by utf16 becomes the UTF-16LE BOM FF FE. */
export function encodedBytes(s: string, utf16Applied: boolean): Buffer {
  if (utf16Applied && s.startsWith(BOM)) return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s.slice(1), 'utf8')]);
  return Buffer.from(s, 'utf8');
}

export const base64 = (data: Buffer): string => data.toString('base64');

const START = [0, 2, 3] as const;
const END = [undefined, -3, -2] as const;

/**
 * The three Base64 forms of `data` at the three byte alignments it can have inside a longer blob.
 * @example base64Offsets(Buffer.from('IEX')) // ['SUVY', 'lFW', 'JRV']
 */
export function base64Offsets(data: Buffer): string[] {
  return [0, 1, 2].map((i) => {
    const enc = base64(Buffer.concat([Buffer.alloc(i, 0x20), data]));
    const end = END[(data.length + i) % 3];
    return enc.slice(START[i], end);
  });
}

/** UTF-16 code units as characters: ASCII `c` → `c\0` (LE) or `\0c` (BE). pySigma allows ASCII only. */
export function utf16Text(s: string, endian: 'le' | 'be'): string | undefined {
  let out = '';
  for (const ch of s) {
    const code = ch.charCodeAt(0);
    if (ch.length > 1 || code > 0x7f) return undefined;
    out += endian === 'le' ? `${ch}\0` : `\0${ch}`;
  }
  return out;
}

/** Encode each text token; undefined when a token cannot be encoded. */
export function encodeTokens(s: SigmaString, f: (t: string) => string | undefined): SigmaString | undefined {
  const out: SigmaToken[] = [];
  for (const t of s) {
    if (t.kind !== 'text') {
      out.push(t);
      continue;
    }
    const enc = f(t.text);
    if (enc === undefined) return undefined;
    out.push(text(enc));
  }
  return out;
}

export const DASHES: readonly string[] = ['-', '/', '\u2013', '\u2014', '\u2015'];

/** A `-` or `/` at the start of a word: preceded by a non-word character (or start), followed by a word character. */
const WINDASH = /(?<![\p{L}\p{N}_])[-/](?=[\p{L}\p{N}_])/gu;

/**
 * Every combination of the five dash characters at each dash that starts a word (pySigma `\B[-/]\b`).
 * @example windash(literal(' -enc ')).length // 5
 */
export function windash(s: SigmaString): SigmaString[] {
  const parts: SigmaString[][] = [];
  const alternatives = DASHES.map((d) => literal(d));
  for (const t of s) {
    if (t.kind !== 'text') {
      parts.push([[t]]);
      continue;
    }
    let last = 0;
    for (const m of t.text.matchAll(WINDASH)) {
      if (m.index > last) parts.push([literal(t.text.slice(last, m.index))]);
      parts.push(alternatives);
      last = m.index + 1;
    }
    if (last < t.text.length) parts.push([literal(t.text.slice(last))]);
  }
  return product(parts);
}
