import { QuerySyntaxError } from '../common/query-syntax-error.ts';
import { STAR, text, type Pattern, type PatternToken } from '../common/pattern.ts';
import { labelOf, type FieldName, type QueryNode, type RangeOp } from './query-ast.ts';

/**
 * Hand-written recursive-descent parser for KQL, following Kibana's peggy
 * grammar (kql.md §1–§2) production by production. Errors mimic peggy's
 * "furthest failure" report: every failed expectation is recorded as a bit at
 * its offset, and the message lists those at the furthest offset, sorted as
 * Kibana's KQLSyntaxError prints them.
 */

// Expectation bits, one per description Kibana prints.
const E = {
  LPAREN: 1, RPAREN: 2, LBRACE: 4, RBRACE: 8, NOT: 16, AND: 32, OR: 64, FIELD: 128,
  VALUE: 256, LITERAL: 512, WS: 1024, EOF: 2048, COLON: 4096, RANGE: 8192,
} as const;
const DESCRIPTIONS: readonly (readonly [number, readonly string[]])[] = [
  [E.LPAREN, ['"("']], [E.RPAREN, ['")"']], [E.LBRACE, ['"{"']], [E.RBRACE, ['"}"']], [E.NOT, ['NOT']],
  [E.AND, ['AND']], [E.OR, ['OR']], [E.FIELD, ['field name']], [E.VALUE, ['value']], [E.LITERAL, ['literal']],
  [E.WS, ['whitespace']], [E.EOF, ['end of input']], [E.COLON, ['":"']], [E.RANGE, ['"<"', '"<="', '">"', '">="']],
];

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13 || c === 0xa0 || c === 0xfeff;
/** `\ ( ) : < > " * { }` — special in unquoted literals. */
const isSpecial = (c: number): boolean => c === 92 || c === 40 || c === 41 || c === 58 || c === 60 || c === 62 || c === 34 || c === 42 || c === 123 || c === 125;
const lower = (c: number): number => (c >= 65 && c <= 90 ? c + 32 : c);
const HEX4 = /^[0-9a-fA-F]{4}$/;

/** A parsed literal (quoted or unquoted), before it becomes a field name or a value. */
interface Literal {
  readonly text: string;
  /** Non-null when an unescaped `*` occurs (unquoted only). */
  readonly pattern: Pattern | null;
  readonly quoted: boolean;
  readonly start: number;
  readonly end: number;
}

type Scope = 'top' | 'paren' | 'nested';

class KqlParser {
  private pos = 0;
  private failPos = -1;
  private failMask = 0;
  constructor(private readonly src: string) {}

  parse(): QueryNode {
    this.skipSpaces();
    if (this.pos === this.src.length) return { kind: 'all', label: '(empty query)' };
    const begin = this.pos;
    const q = this.orQuery('top');
    if (q) {
      this.skipSpaces(false);
      if (this.pos === this.src.length) return q;
      this.fail(this.pos, E.EOF);
    } else this.fail(begin, E.EOF);
    throw this.error();
  }

  // ---- expectations and errors ----

  private fail(pos: number, mask: number): void {
    if (pos > this.failPos) {
      this.failPos = pos;
      this.failMask = mask;
    } else if (pos === this.failPos) this.failMask |= mask;
  }

  private error(): QuerySyntaxError {
    const items = DESCRIPTIONS.filter(([bit]) => (this.failMask & bit) !== 0).flatMap(([, d]) => d).sort();
    const found = this.failPos < this.src.length ? `"${this.src[this.failPos]}"` : 'end of input';
    return new QuerySyntaxError(`Expected ${items.join(', ')} but ${found} found.`, this.src, this.failPos);
  }

  // ---- whitespace and keywords ----

  /** Skip whitespace; `expected` records that more whitespace was possible (peggy's `Space*`), which Kibana omits after a complete query. */
  private skipSpaces(expected = true): void {
    while (this.pos < this.src.length && isSpace(this.src.charCodeAt(this.pos))) this.pos++;
    if (expected) this.fail(this.pos, E.WS);
  }

  private spacesFrom(p: number): number {
    while (p < this.src.length && isSpace(this.src.charCodeAt(p))) p++;
    return p;
  }

  /** `space+ word space+` at p → offset after it, else -1 (the Or / And rules). */
  private binaryKeyword(p: number, word: 'or' | 'and'): number {
    if (!isSpace(this.src.charCodeAt(p))) return -1;
    const w = this.spacesFrom(p);
    if (!this.wordAt(w, word)) return -1;
    const after = w + word.length;
    return isSpace(this.src.charCodeAt(after)) ? this.spacesFrom(after) : -1;
  }

  /** `not space+` at p → offset after it, else -1. */
  private notKeyword(p: number): number {
    if (!this.wordAt(p, 'not') || !isSpace(this.src.charCodeAt(p + 3))) return -1;
    return this.spacesFrom(p + 3);
  }

  private wordAt(p: number, word: string): boolean {
    for (let i = 0; i < word.length; i++) if (lower(this.src.charCodeAt(p + i)) !== word.charCodeAt(i)) return false;
    return true;
  }

  // ---- queries ----

  private orQuery(scope: Scope): QueryNode | null {
    const start = this.pos;
    const first = this.andQuery(scope);
    if (!first) return null;
    const children = [first];
    for (;;) {
      const p = this.binaryKeyword(this.pos, 'or');
      if (p < 0) {
        this.fail(this.pos, E.OR);
        break;
      }
      this.pos = p;
      const next = this.andQuery(scope);
      if (!next) return null;
      children.push(next);
    }
    return children.length === 1 ? first : { kind: 'or', children, label: this.span(start) };
  }

  private andQuery(scope: Scope): QueryNode | null {
    const start = this.pos;
    const first = this.notQuery(scope);
    if (!first) return null;
    const children = [first];
    for (;;) {
      const p = this.binaryKeyword(this.pos, 'and');
      if (p < 0) {
        this.fail(this.pos, E.AND | (scope === 'paren' ? E.RPAREN : scope === 'nested' ? E.RBRACE : 0));
        break;
      }
      this.pos = p;
      const next = this.notQuery(scope);
      if (!next) return null;
      children.push(next);
    }
    return children.length === 1 ? first : { kind: 'and', children, label: this.span(start) };
  }

  private notQuery(scope: Scope): QueryNode | null {
    const start = this.pos;
    const p = this.notKeyword(this.pos);
    if (p < 0) return this.subQuery(scope, false);
    this.pos = p;
    const child = this.subQuery(scope, true);
    return child && { kind: 'not', child, label: this.span(start) };
  }

  /** `( query )`, `field:{ query }`, `field <op> literal`, `field: values` or free text. */
  private subQuery(scope: Scope, afterNot: boolean): QueryNode | null {
    const start = this.pos;
    if (this.src.charCodeAt(this.pos) === 40) {
      this.pos++;
      this.skipSpaces();
      const q = this.orQuery('paren');
      if (!q) return null;
      this.skipSpaces(false);
      if (this.src.charCodeAt(this.pos) !== 41) return this.failNull(this.pos, E.RPAREN);
      this.pos++;
      return q;
    }
    const lit = this.literal();
    if (!lit) return this.failNull(start, E.LPAREN | E.FIELD | E.VALUE | (afterNot ? 0 : E.NOT));
    const afterLit = this.pos;
    const p = this.spacesFrom(afterLit);
    const c = this.src.charCodeAt(p);
    if (c === 58) {
      this.pos = p + 1;
      this.skipSpaces();
      if (this.src.charCodeAt(this.pos) === 123) return this.nested(lit, start);
      return this.listOfValues(this.fieldName(lit), lit, E.LBRACE | E.WS);
    }
    if (c === 60 || c === 62) return this.range(lit, p, start);
    this.fail(p, E.COLON | E.RANGE | (p === afterLit ? E.WS : 0));
    return this.term(null, lit, lit);
  }

  /** The source text from `start` to here, as a label computed only when read (explain / logic). */
  private span(start: number): string {
    const end = this.pos;
    const s = this.src.slice(start, end);
    return s.length <= 80 && !/[\s]{2}|\n/.test(s) ? s : labelOf(s);
  }

  private failNull(pos: number, mask: number): null {
    this.fail(pos, mask);
    return null;
  }

  private nested(field: Literal, start: number): QueryNode | null {
    this.pos++;
    this.skipSpaces();
    const q = this.orQuery('nested');
    if (!q) return null;
    this.skipSpaces(false);
    if (this.src.charCodeAt(this.pos) !== 125) return this.failNull(this.pos, E.RBRACE);
    this.pos++;
    return { kind: 'nested', path: field.text, query: q, label: this.span(start) };
  }

  private range(field: Literal, opPos: number, start: number): QueryNode | null {
    const eq = this.src.charCodeAt(opPos + 1) === 61;
    const op: RangeOp = this.src.charCodeAt(opPos) === 60 ? (eq ? 'lte' : 'lt') : eq ? 'gte' : 'gt';
    this.pos = opPos + (eq ? 2 : 1);
    this.skipSpaces();
    const value = this.literal();
    if (!value) return this.failNull(this.pos, E.LITERAL | E.WS);
    // A `*` in a range bound is plain text (ranges have no wildcards).
    const bound = value.pattern ? this.src.slice(value.start, value.end).trim() : value.text;
    return { kind: 'range', field: this.fieldName(field), op, value: bound, label: this.span(start), offset: start };
  }

  // ---- value lists: f:(a or b and not c) ----

  private listOfValues(field: FieldName, fieldLit: Literal, extra: number): QueryNode | null {
    const start = this.pos;
    if (this.src.charCodeAt(this.pos) === 40) {
      this.pos++;
      this.skipSpaces();
      const q = this.orValues(field, fieldLit);
      if (!q) return null;
      this.skipSpaces(false);
      if (this.src.charCodeAt(this.pos) !== 41) return this.failNull(this.pos, E.RPAREN);
      this.pos++;
      return q;
    }
    const lit = this.literal();
    if (!lit) return this.failNull(start, E.LPAREN | E.VALUE | extra);
    return this.term(field, fieldLit, lit);
  }

  private orValues(field: FieldName, fieldLit: Literal): QueryNode | null {
    const start = this.pos;
    const first = this.andValues(field, fieldLit);
    if (!first) return null;
    const children = [first];
    for (;;) {
      const p = this.binaryKeyword(this.pos, 'or');
      if (p < 0) {
        this.fail(this.pos, E.OR);
        break;
      }
      this.pos = p;
      const next = this.andValues(field, fieldLit);
      if (!next) return null;
      children.push(next);
    }
    return children.length === 1 ? first : { kind: 'or', children, label: `${fieldLit.text}:(${this.span(start)})` };
  }

  private andValues(field: FieldName, fieldLit: Literal): QueryNode | null {
    const start = this.pos;
    const first = this.notValues(field, fieldLit);
    if (!first) return null;
    const children = [first];
    for (;;) {
      const p = this.binaryKeyword(this.pos, 'and');
      if (p < 0) {
        this.fail(this.pos, E.AND | E.RPAREN);
        break;
      }
      this.pos = p;
      const next = this.notValues(field, fieldLit);
      if (!next) return null;
      children.push(next);
    }
    return children.length === 1 ? first : { kind: 'and', children, label: `${fieldLit.text}:(${this.span(start)})` };
  }

  private notValues(field: FieldName, fieldLit: Literal): QueryNode | null {
    const p = this.notKeyword(this.pos);
    if (p < 0) return this.listOfValues(field, fieldLit, E.NOT);
    this.pos = p;
    const child = this.listOfValues(field, fieldLit, 0);
    return child && { kind: 'not', child, label: `not ${child.label}` };
  }

  // ---- leaves ----

  private fieldName(lit: Literal): FieldName {
    if (!lit.pattern) return { name: lit.text, glob: false };
    return { name: lit.pattern.map((t) => (t.kind === 'text' ? t.text : '*')).join(''), glob: true };
  }

  private term(field: FieldName | null, fieldLit: Literal, value: Literal): QueryNode {
    const label = labelOf(field ? `${this.src.slice(fieldLit.start, fieldLit.end).trim()}: ${this.src.slice(value.start, value.end)}` : this.src.slice(value.start, value.end));
    if (!value.quoted && value.pattern === null && value.text === 'null') {
      const what = field ? `to find events without ${field.name}, write \`not ${field.name}:*\`` : 'quote it to search for the text "null"';
      throw new QuerySyntaxError(`unquoted null is not a value (${what})`, this.src, value.start);
    }
    if (value.pattern && value.pattern.length === 1) {
      // A lone `*`: exists (kql.md §7), or match-all for free text and `*:*`.
      if (field === null || (field.glob && field.name === '*')) return { kind: 'all', label };
      return { kind: 'exists', field, label };
    }
    const offset = field ? fieldLit.start : value.start;
    if (value.pattern) return { kind: 'term', field, value: { kind: 'pattern', pattern: value.pattern }, label, offset };
    return { kind: 'term', field, value: { kind: 'literal', text: value.text, phrase: value.quoted }, label, offset };
  }

  private literal(): Literal | null {
    return this.src.charCodeAt(this.pos) === 34 ? this.quoted() : this.unquoted();
  }

  /** `"…"`: escapes `\" \\ \t \r \n \uXXXX`; any other backslash is literal (kql.md §2). */
  private quoted(): Literal | null {
    const src = this.src;
    const start = this.pos;
    let out = '';
    let i = start + 1;
    for (;;) {
      if (i >= src.length) return null;
      const c = src.charCodeAt(i);
      if (c === 34) break;
      if (c === 92) {
        const n = src[i + 1];
        const esc = n === 't' ? '\t' : n === 'r' ? '\r' : n === 'n' ? '\n' : n === '\\' || n === '"' ? n : undefined;
        if (esc !== undefined) {
          out += esc;
          i += 2;
          continue;
        }
        if (n === 'u' && HEX4.test(src.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(src.slice(i + 2, i + 6), 16));
          i += 6;
          continue;
        }
      }
      out += src[i];
      i++;
    }
    this.pos = i + 1;
    return { text: out, pattern: null, quoted: true, start, end: this.pos };
  }

  /** Unquoted literal: may contain spaces, stops at specials and keywords; trimmed (kql.md §2). */
  private unquoted(): Literal | null {
    const src = this.src;
    const start = this.pos;
    const tokens: PatternToken[] = [];
    let buf = '';
    let i = start;
    while (i < src.length) {
      const c = src.charCodeAt(i);
      if (c === 92) {
        const esc = this.escapeAt(i);
        if (!esc) break;
        buf += esc[0];
        i = esc[1];
        continue;
      }
      if (c === 42) {
        if (buf) tokens.push(text(buf));
        buf = '';
        tokens.push(STAR);
        i++;
        continue;
      }
      if (isSpecial(c)) break;
      if (isSpace(c) && (this.binaryKeyword(i, 'or') >= 0 || this.binaryKeyword(i, 'and') >= 0)) break;
      if ((c === 110 || c === 78) && this.notKeyword(i) >= 0) break;
      buf += src[i];
      i++;
    }
    if (i === start) return null;
    if (buf) tokens.push(text(buf));
    this.pos = i;
    return trimLiteral(tokens, start, i);
  }

  /** An escape in an unquoted literal → [text, next offset], or undefined when the backslash is not a valid escape. */
  private escapeAt(i: number): readonly [string, number] | undefined {
    const src = this.src;
    const n = src[i + 1];
    if (n === undefined) return undefined;
    if (n === 't') return ['\t', i + 2];
    if (n === 'r') return ['\r', i + 2];
    if (n === 'n') return ['\n', i + 2];
    if (isSpecial(n.charCodeAt(0))) return [n, i + 2];
    if (n === 'u' && HEX4.test(src.slice(i + 2, i + 6))) return [String.fromCharCode(parseInt(src.slice(i + 2, i + 6), 16)), i + 6];
    for (const w of ['or', 'and', 'not']) if (this.wordAt(i + 1, w)) return [src.slice(i + 1, i + 1 + w.length), i + 1 + w.length];
    return undefined;
  }
}

/** Kibana trims the joined sequence: leading space before the first `*`, trailing after the last. */
function trimLiteral(tokens: PatternToken[], start: number, end: number): Literal {
  const first = tokens[0];
  // trimStart / trimEnd strip exactly `\s` (WhiteSpace and LineTerminator), without a regex.
  if (first?.kind === 'text') tokens[0] = text(first.text.trimStart());
  const last = tokens[tokens.length - 1];
  if (last?.kind === 'text') tokens[tokens.length - 1] = text(last.text.trimEnd());
  const kept = tokens.filter((t) => t.kind !== 'text' || t.text !== '');
  const hasStar = kept.some((t) => t.kind === 'star');
  const joined = kept.map((t) => (t.kind === 'text' ? t.text : '*')).join('');
  return { text: joined, pattern: hasStar ? kept : null, quoted: false, start, end };
}

/**
 * Parse a KQL query into the shared query tree.
 * @example parseKql('process.name: (cmd.exe or powershell.exe) and not user.name: SYSTEM')
 * @throws QuerySyntaxError with the offset of the furthest failure and what was expected there
 */
export function parseKql(query: string): QueryNode {
  return new KqlParser(query).parse();
}
