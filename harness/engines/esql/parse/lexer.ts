import { QuerySyntaxError } from '../../common/query-syntax-error.ts';

export type TokenKind = 'ident' | 'quoted' | 'integer' | 'decimal' | 'string' | 'param' | 'op' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** Identifier name, string contents, number text or operator symbol. */
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

const OPS = ['::', '==', '!=', '<=', '>=', '=~', '<', '>', '+', '-', '*', '/', '%', '(', ')', '[', ']', '{', '}', ',', '.', '=', ':', '|'];
// Character tests by code (the lexer's hot path; regex tests per character cost more).
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isIdentStart = (c: number): boolean => isLetter(c) || c === 95 || c === 64;
const isIdentBody = (c: number): boolean => isLetter(c) || isDigit(c) || c === 95;
const IDENT_START = { test: (s: string): boolean => s !== '' && isIdentStart(s.charCodeAt(0)) };
const IDENT_BODY = { test: (s: string): boolean => s !== '' && isIdentBody(s.charCodeAt(0)) };
const DIGIT = { test: (s: string): boolean => s !== '' && isDigit(s.charCodeAt(0)) };

/**
 * An on-demand lexer: the parser asks for the token at an offset, so commands
 * with their own lexical rules (FROM index patterns, KEEP name patterns) can
 * read raw text at the same offset instead.
 */
export class Lexer {
  constructor(readonly src: string) {}

  error(message: string, offset: number): QuerySyntaxError {
    return new QuerySyntaxError(message, this.src, offset);
  }

  /** Offset of the first character at or after `pos` that is not space or comment. */
  skipSpace(pos: number): number {
    const s = this.src;
    for (;;) {
      const code = s.charCodeAt(pos);
      if (code === 32 || code === 9 || code === 10 || code === 13) {
        pos++;
        continue;
      }
      const c = s[pos];
      if (c === '/' && s[pos + 1] === '/') {
        while (pos < s.length && s[pos] !== '\n') pos++;
      } else if (c === '/' && s[pos + 1] === '*') {
        const close = s.indexOf('*/', pos + 2);
        if (close < 0) throw this.error('unterminated comment', pos);
        pos = close + 2;
      } else return pos;
    }
  }

  private readonly cache = new Map<number, Token>();

  /** The token at or after `offset` (memoised: the parser peeks at one offset many times). */
  tokenAt(offset: number): Token {
    let t = this.cache.get(offset);
    if (t === undefined) {
      t = this.lex(offset);
      this.cache.set(offset, t);
    }
    return t;
  }

  private lex(offset: number): Token {
    const s = this.src;
    const start = this.skipSpace(offset);
    if (start >= s.length) return { kind: 'eof', text: '', start, end: start };
    const c = s[start] as string;
    if (c === '"') return this.string(start);
    if (c === '`') return this.quoted(start);
    if (DIGIT.test(c) || (c === '.' && DIGIT.test(s[start + 1] ?? ''))) return this.number(start);
    if (IDENT_START.test(c)) {
      let end = start + 1;
      while (end < s.length && isIdentBody(s.charCodeAt(end))) end++;
      if ((c === '_' || c === '@') && end === start + 1) throw this.error(`invalid identifier '${c}'`, start);
      return { kind: 'ident', text: s.slice(start, end), start, end };
    }
    if (c === '?') {
      let end = start + 1;
      while (end < s.length && IDENT_BODY.test(s[end] as string)) end++;
      return { kind: 'param', text: s.slice(start, end), start, end };
    }
    for (const op of OPS) if (s.startsWith(op, start)) return { kind: 'op', text: op, start, end: start + op.length };
    throw this.error(`unexpected character '${c}'`, start);
  }

  private string(start: number): Token {
    const s = this.src;
    if (s.startsWith('"""', start)) {
      const close = s.indexOf('"""', start + 3);
      if (close < 0) throw this.error('unterminated triple-quoted string', start);
      let end = close + 3;
      while (s[end] === '"') end++; // """a"""" keeps the extra quotes inside, as the grammar's greedy match does
      return { kind: 'string', text: s.slice(start + 3, end - 3), start, end };
    }
    let out = '';
    let i = start + 1;
    for (;;) {
      const ch = s[i];
      if (ch === undefined || ch === '\n' || ch === '\r') throw this.error('unterminated string', start);
      if (ch === '"') return { kind: 'string', text: out, start, end: i + 1 };
      if (ch === '\\') {
        const e = s[i + 1];
        const map: Record<string, string> = { t: '\t', n: '\n', r: '\r', '"': '"', '\\': '\\' };
        const m = e === undefined ? undefined : map[e];
        if (m === undefined) throw this.error(`invalid escape sequence '\\${e ?? ''}'`, i);
        out += m;
        i += 2;
      } else {
        out += ch;
        i++;
      }
    }
  }

  private quoted(start: number): Token {
    const s = this.src;
    let out = '';
    let i = start + 1;
    for (;;) {
      const ch = s[i];
      if (ch === undefined) throw this.error('unterminated quoted identifier', start);
      if (ch === '`') {
        if (s[i + 1] === '`') {
          out += '`';
          i += 2;
          continue;
        }
        return { kind: 'quoted', text: out, start, end: i + 1 };
      }
      out += ch;
      i++;
    }
  }

  private number(start: number): Token {
    const s = this.src;
    let i = start;
    while (DIGIT.test(s[i] ?? '')) i++;
    let decimal = false;
    if (s[i] === '.' && !IDENT_START.test(s[i + 1] ?? '')) {
      decimal = true;
      i++;
      while (DIGIT.test(s[i] ?? '')) i++;
    }
    if ((s[i] === 'e' || s[i] === 'E') && /[-+0-9]/.test(s[i + 1] ?? '')) {
      let j = i + 1;
      if (s[j] === '+' || s[j] === '-') j++;
      if (DIGIT.test(s[j] ?? '')) {
        decimal = true;
        i = j;
        while (DIGIT.test(s[i] ?? '')) i++;
      }
    }
    return { kind: decimal ? 'decimal' : 'integer', text: s.slice(start, i), start, end: i };
  }
}

/** 1-based line and column of an offset, as Elasticsearch prints them in warnings ("Line 1:38"). */
export function lineColumn(src: string, offset: number): { line: number; column: number } {
  const before = src.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}
