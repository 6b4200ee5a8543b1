import { QuerySyntaxError } from '../common/query-syntax-error.ts';

/**
 * EQL tokens (Elasticsearch dialect). Keywords are lower-case identifiers and
 * are recognised by the parser, so `AND` stays an identifier (and fails there).
 * A `~` glued to an identifier is part of it (`in~`, `startsWith~`).
 */
export type TokenKind = 'ident' | 'quoted' | 'string' | 'number' | 'op' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** Identifier name (with a trailing `~` when glued), decoded string, operator text or number text. */
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** Numbers: integer literal (no `.` or exponent). */
  readonly integer?: boolean;
}

const ONE_CHAR = new Set(['<', '>', ':', '(', ')', '[', ']', ',', '|', '+', '-', '*', '/', '%', '.', '!', '?', '=']);

/** The operator starting with char `c` (code `code`, next code `next`): `==`, `!=`, `<=`, `>=`, `!:` or one character. */
function operatorAt(code: number, next: number, c: string): string | undefined {
  switch (code) {
    case 61: // =
      return next === 61 ? '==' : '=';
    case 33: // !
      return next === 61 ? '!=' : next === 58 ? '!:' : '!';
    case 60: // <
      return next === 61 ? '<=' : '<';
    case 62: // >
      return next === 61 ? '>=' : '>';
    default:
      return ONE_CHAR.has(c) ? c : undefined;
  }
}

const isLetter = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
const isIdentStart = (c: string): boolean => isLetter(c) || c === '_' || c === '@';
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isSpaceCode = (d: number): boolean => d === 32 || d === 10 || d === 9 || d === 13;
/** Identifier part, by char code (the hot loop: letters, digits, `_`). */
const isIdentPartCode = (d: number): boolean => (d >= 97 && d <= 122) || (d >= 65 && d <= 90) || (d >= 48 && d <= 57) || d === 95;
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '\\': '\\', '"': '"', "'": "'" };

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  const err = (msg: string, at: number): never => {
    throw new QuerySyntaxError(msg, src, at);
  };
  let i = 0;
  const n = src.length;
  while (i < n) {
    const code = src.charCodeAt(i);
    if (isSpaceCode(code)) {
      do i++;
      while (i < n && isSpaceCode(src.charCodeAt(i)));
      continue;
    }
    const c = src[i]!;
    if (c === '/' && src[i + 1] === '/') {
      while (i < n && src[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '*') {
      // Nestable block comments, as the ANTLR grammar has them.
      const start = i;
      let depth = 0;
      while (i < n) {
        if (src.startsWith('/*', i)) {
          depth++;
          i += 2;
        } else if (src.startsWith('*/', i)) {
          depth--;
          i += 2;
          if (depth === 0) break;
        } else i++;
      }
      if (depth !== 0) err('unterminated comment', start);
      continue;
    }
    const start = i;
    if (isIdentStart(c)) {
      i++; // the start character (`@` is a start but not a part character: `@timestamp`)
      while (i < n && isIdentPartCode(src.charCodeAt(i))) i++;
      if (src.charCodeAt(i) === 126) i++; // ~
      out.push({ kind: 'ident', text: src.slice(start, i), start, end: i });
      continue;
    }
    if (c === '`') {
      let text = '';
      i++;
      for (;;) {
        if (i >= n) err('unterminated backquoted field name', start);
        if (src[i] === '`') {
          if (src[i + 1] === '`') {
            text += '`';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        text += src[i]!;
        i++;
      }
      if (text === '') err('empty backquoted field name', start);
      out.push({ kind: 'quoted', text, start, end: i });
      continue;
    }
    if (c === '"') {
      if (src.startsWith('"""', i)) {
        const close = src.indexOf('"""', i + 3);
        if (close < 0) err('unterminated raw string', start);
        const body = src.slice(i + 3, close);
        if (body.includes('\n')) err('raw strings must be on one line', start);
        i = close + 3;
        out.push({ kind: 'string', text: body, start, end: i });
        continue;
      }
      i++;
      let text = '';
      for (;;) {
        if (i >= n || src[i] === '\n' || src[i] === '\r') err('unterminated string', start);
        const ch = src[i]!;
        if (ch !== '"' && ch !== '\\' && ch !== '\n' && ch !== '\r') {
          let j = i + 1;
          while (j < n) {
            const d = src.charCodeAt(j);
            if (d === 34 || d === 92 || d === 10 || d === 13) break;
            j++;
          }
          text += src.slice(i, j);
          i = j;
          continue;
        }
        if (ch === '"') {
          i++;
          break;
        }
        if (ch === '\\') {
          const e = src[i + 1];
          if (e !== undefined && Object.hasOwn(SIMPLE_ESCAPES, e)) {
            text += SIMPLE_ESCAPES[e]!;
            i += 2;
            continue;
          }
          if (e === 'u' && src[i + 2] === '{') {
            const m = /^\\u\{([0-9a-fA-F]{2,8})\}/.exec(src.slice(i));
            if (!m) err('invalid unicode escape, expected \\u{XX} with 2 to 8 hex digits', i);
            const cp = parseInt(m![1]!, 16);
            if (cp > 0x10ffff) err('unicode escape out of range', i);
            text += String.fromCodePoint(cp);
            i += m![0].length;
            continue;
          }
          err(`invalid escape sequence '\\${e ?? ''}'`, i);
        }
        text += ch;
        i++;
      }
      out.push({ kind: 'string', text, start, end: i });
      continue;
    }
    if (c === "'") err('single-quoted strings are not supported, use double quotes', start);
    if (c === '?' && (src[i + 1] === '"' || src[i + 1] === "'")) err('raw strings ?"..." are not supported, use """..."""', start);
    const prev = out[out.length - 1];
    const afterPath = prev !== undefined && prev.end === start && (prev.kind === 'ident' || prev.kind === 'quoted');
    if (isDigit(c) || (c === '.' && isDigit(src[i + 1]) && !afterPath)) {
      let integer = true;
      while (isDigit(src[i])) i++;
      if (src[i] === '.' && (isDigit(src[i + 1]) || !isIdentStart(src[i + 1] ?? ''))) {
        integer = false;
        i++;
        while (isDigit(src[i])) i++;
      }
      if ((src[i] === 'e' || src[i] === 'E') && (isDigit(src[i + 1]) || ((src[i + 1] === '+' || src[i + 1] === '-') && isDigit(src[i + 2])))) {
        integer = false;
        i += 2;
        while (isDigit(src[i])) i++;
      }
      out.push({ kind: 'number', text: src.slice(start, i), start, end: i, integer });
      continue;
    }
    const op = operatorAt(code, src.charCodeAt(i + 1), c);
    if (!op) err(`unexpected character '${c}'`, start);
    i += op!.length;
    out.push({ kind: 'op', text: op!, start, end: i });
  }
  out.push({ kind: 'eof', text: '', start: n, end: n });
  return out;
}
