import type { BinaryOp, Expr, Literal, TimeUnit } from '../ast.ts';
import type { Lexer, Token } from './lexer.ts';

const UNITS: Record<string, TimeUnit> = {
  millisecond: 'millisecond', milliseconds: 'millisecond', ms: 'millisecond',
  second: 'second', seconds: 'second', sec: 'second', s: 'second',
  minute: 'minute', minutes: 'minute', min: 'minute', m: 'minute',
  hour: 'hour', hours: 'hour', h: 'hour', hr: 'hour', hrs: 'hour',
  day: 'day', days: 'day', d: 'day',
  week: 'week', weeks: 'week', w: 'week',
  month: 'month', months: 'month', mo: 'month',
  quarter: 'quarter', quarters: 'quarter', q: 'quarter',
  year: 'year', years: 'year', yr: 'year', y: 'year',
};

type Dist<T> = T extends unknown ? Omit<T, 'start' | 'end'> : never;
type ExprBody = Dist<Expr>;

/**
 * Token cursor plus the expression grammar (precedence, lowest first):
 * OR, AND, NOT, comparison/LIKE/RLIKE/IN/IS NULL/`:`, + -, * / %, unary -, `::`, primary.
 */
export class ExprParser {
  pos = 0;
  constructor(readonly lx: Lexer) {}

  peek(): Token {
    return this.lx.tokenAt(this.pos);
  }
  next(): Token {
    const t = this.peek();
    this.pos = t.end;
    return t;
  }
  isOp(op: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.text === op;
  }
  /** The next token is the keyword `a` (or `b`); words are given in lower case. */
  isKw(a: string, b?: string): boolean {
    const t = this.peek();
    if (t.kind !== 'ident' || (t.text.length !== a.length && t.text.length !== b?.length)) return false;
    const lower = t.text.toLowerCase();
    return lower === a || lower === b;
  }
  acceptOp(op: string): boolean {
    if (!this.isOp(op)) return false;
    this.next();
    return true;
  }
  acceptKw(word: string): boolean {
    if (!this.isKw(word)) return false;
    this.next();
    return true;
  }
  expectOp(op: string): Token {
    if (!this.isOp(op)) throw this.unexpected(`'${op}'`);
    return this.next();
  }
  expectKw(word: string): Token {
    if (!this.isKw(word)) throw this.unexpected(word.toUpperCase());
    return this.next();
  }
  unexpected(wanted: string): Error {
    const t = this.peek();
    const got = t.kind === 'eof' ? 'end of query' : `'${this.lx.src.slice(t.start, t.end)}'`;
    return this.lx.error(`expected ${wanted}, found ${got}`, t.start);
  }
  text(start: number, end: number): string {
    return this.lx.src.slice(start, end);
  }
  private node(start: number, body: ExprBody): Expr {
    return Object.assign(body, { start, end: this.lastEnd }) as Expr;
  }
  /** End of the last consumed token (the cursor may sit before spaces). */
  get lastEnd(): number {
    return this.pos;
  }

  /** A dotted field name; parts may be backquoted (`a`.`b c`). */
  qualifiedName(): { name: string; start: number; end: number } {
    const first = this.peek();
    if (first.kind !== 'ident' && first.kind !== 'quoted') throw this.unexpected('a field name');
    this.next();
    let name = first.text;
    while (this.isOp('.') && this.lx.tokenAt(this.pos).start === this.pos) {
      const after = this.lx.tokenAt(this.pos + 1);
      if ((after.kind !== 'ident' && after.kind !== 'quoted' && after.kind !== 'integer') || after.start !== this.pos + 1) break;
      this.next();
      name += '.' + this.next().text;
    }
    return { name, start: first.start, end: this.pos };
  }

  boolean(): Expr {
    let left = this.and();
    while (this.isKw('or')) {
      this.next();
      const right = this.and();
      left = { type: 'or', left, right, start: left.start, end: right.end };
    }
    return left;
  }
  private and(): Expr {
    let left = this.not();
    while (this.isKw('and')) {
      this.next();
      const right = this.not();
      left = { type: 'and', left, right, start: left.start, end: right.end };
    }
    return left;
  }
  private not(): Expr {
    const t = this.peek();
    if (this.isKw('not')) {
      this.next();
      const operand = this.not();
      return { type: 'not', operand, start: t.start, end: operand.end };
    }
    return this.predicate();
  }
  private isCallAhead(): boolean {
    const t = this.peek();
    const after = this.lx.tokenAt(t.end);
    return after.kind === 'op' && after.text === '(' && after.start === t.end;
  }

  private predicate(): Expr {
    const left = this.additive();
    const start = left.start;
    const t = this.peek();
    if (t.kind === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(t.text)) {
      this.next();
      const right = this.additive();
      return { type: 'binary', op: t.text as BinaryOp, left, right, start, end: right.end };
    }
    if (t.kind === 'op' && t.text === ':') {
      this.next();
      const query = this.additive();
      return { type: 'match', field: left, query, start, end: query.end };
    }
    const negated = this.isKw('not');
    const save = this.pos;
    if (negated) this.next();
    if (this.isKw('like', 'rlike')) {
      const kind = this.next().text.toLowerCase() as 'like' | 'rlike';
      const patterns: string[] = [];
      if (this.acceptOp('(')) {
        do patterns.push(this.stringToken()); while (this.acceptOp(','));
        this.expectOp(')');
      } else patterns.push(this.stringToken());
      return { type: kind, operand: left, patterns, negated, start, end: this.lastEnd };
    }
    if (this.isKw('in')) {
      this.next();
      this.expectOp('(');
      const list: Expr[] = [];
      do list.push(this.additive()); while (this.acceptOp(','));
      this.expectOp(')');
      return { type: 'in', operand: left, list, negated, start, end: this.lastEnd };
    }
    if (negated) {
      this.pos = save;
      return left;
    }
    if (this.isKw('is')) {
      this.next();
      const neg = this.acceptKw('not');
      this.expectKw('null');
      return { type: 'isNull', operand: left, negated: neg, start, end: this.lastEnd };
    }
    return left;
  }
  private stringToken(): string {
    const t = this.peek();
    if (t.kind !== 'string') throw this.unexpected('a string pattern');
    this.next();
    return t.text;
  }

  additive(): Expr {
    let left = this.multiplicative();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.next().text as BinaryOp;
      const right = this.multiplicative();
      left = { type: 'binary', op, left, right, start: left.start, end: right.end };
    }
    return left;
  }
  private multiplicative(): Expr {
    let left = this.unary();
    while (this.isOp('*') || this.isOp('/') || this.isOp('%')) {
      const op = this.next().text as BinaryOp;
      const right = this.unary();
      left = { type: 'binary', op, left, right, start: left.start, end: right.end };
    }
    return left;
  }
  private unary(): Expr {
    const t = this.peek();
    if (t.kind === 'op' && (t.text === '-' || t.text === '+')) {
      this.next();
      const operand = this.unary();
      if (t.text === '+') return { ...operand, start: t.start };
      if (operand.type === 'literal' && (operand.literal.kind === 'integer' || operand.literal.kind === 'double') && operand.start === t.end) {
        return { type: 'literal', literal: { ...operand.literal, value: -operand.literal.value }, start: t.start, end: operand.end };
      }
      return { type: 'neg', operand, start: t.start, end: operand.end };
    }
    return this.cast();
  }
  private cast(): Expr {
    let e = this.primary();
    while (this.isOp('::')) {
      this.next();
      const ty = this.peek();
      if (ty.kind !== 'ident') throw this.unexpected('a type name');
      this.next();
      e = { type: 'cast', operand: e, to: ty.text.toLowerCase(), start: e.start, end: ty.end };
    }
    return e;
  }

  primary(): Expr {
    const t = this.peek();
    const start = t.start;
    switch (t.kind) {
      case 'integer':
      case 'decimal': {
        this.next();
        const u = this.peek();
        if (u.kind === 'ident' && UNITS[u.text.toLowerCase()] !== undefined) {
          this.next();
          return this.node(start, { type: 'literal', literal: { kind: 'span', amount: Number(t.text), unit: UNITS[u.text.toLowerCase()] as TimeUnit } });
        }
        const value = Number(t.text);
        const lit: Literal =
          t.kind === 'integer' && Number.isSafeInteger(value) ? { kind: 'integer', value } : { kind: 'double', value };
        return this.node(start, { type: 'literal', literal: lit });
      }
      case 'string':
        this.next();
        return this.node(start, { type: 'literal', literal: { kind: 'string', value: t.text } });
      case 'param':
        this.next();
        return this.node(start, { type: 'param', name: t.text });
      case 'op':
        if (t.text === '(') {
          this.next();
          const inner = this.boolean();
          this.expectOp(')');
          return { ...inner, start, end: this.lastEnd };
        }
        if (t.text === '[') return this.list();
        throw this.unexpected('an expression');
      case 'ident':
      case 'quoted':
        return this.identifierOrCall();
      case 'eof':
        throw this.unexpected('an expression');
    }
  }

  private list(): Expr {
    const start = this.next().start;
    const items: Expr[] = [];
    if (!this.isOp(']')) do items.push(this.unary()); while (this.acceptOp(','));
    this.expectOp(']');
    return this.node(start, { type: 'list', items });
  }

  private identifierOrCall(): Expr {
    const t = this.peek();
    const lower = t.text.toLowerCase();
    if (t.kind === 'ident') {
      if (lower === 'null') return this.next(), this.node(t.start, { type: 'literal', literal: { kind: 'null' } });
      if (lower === 'true' || lower === 'false')
        return this.next(), this.node(t.start, { type: 'literal', literal: { kind: 'boolean', value: lower === 'true' } });
      if (this.isCallAhead()) return this.call();
    }
    const q = this.qualifiedName();
    return { type: 'field', name: q.name, start: q.start, end: q.end };
  }

  private call(): Expr {
    const nameTok = this.next();
    this.expectOp('(');
    const args: Expr[] = [];
    let star = false;
    let options: Record<string, Expr> | undefined;
    if (this.isOp('*')) {
      this.next();
      star = true;
    } else if (!this.isOp(')')) {
      do {
        if (this.isOp('{')) options = this.options();
        else args.push(this.boolean());
      } while (this.acceptOp(','));
    }
    this.expectOp(')');
    const name = nameTok.text.toUpperCase();
    return this.node(nameTok.start, options ? { type: 'call', name, args, star, options } : { type: 'call', name, args, star });
  }

  /** `{"key": value, …}` — function options and COMPLETION's WITH map. */
  options(): Record<string, Expr> {
    this.expectOp('{');
    const out: Record<string, Expr> = {};
    if (!this.isOp('}'))
      do {
        const k = this.peek();
        if (k.kind !== 'string') throw this.unexpected('an option name string');
        this.next();
        this.expectOp(':');
        out[k.text] = this.isOp('{') ? this.nestedOptions() : this.unary();
      } while (this.acceptOp(','));
    this.expectOp('}');
    return out;
  }
  private nestedOptions(): Expr {
    const start = this.peek().start;
    this.options();
    return this.node(start, { type: 'literal', literal: { kind: 'null' } });
  }
}
