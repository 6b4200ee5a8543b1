import { QuerySyntaxError } from '../common/query-syntax-error.ts';
import type { CmpOp, EventFilter, Expr, Pipe, Query, Stage } from './ast.ts';
import { lookupFunction } from './functions.ts';
import { type Token, tokenize } from './lexer.ts';

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'in~', 'like', 'like~', 'regex', 'regex~', 'any', 'where', 'sequence', 'sample', 'by', 'with', 'maxspan', 'runs', 'until', 'true', 'false', 'null', 'join', 'of']);
const CMP_OPS = new Set(['==', '!=', '<', '<=', '>', '>=', ':', '!:']);
const UNITS: Record<string, number> = { nanos: 1e-6, micros: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Recursive-descent parser for Elasticsearch EQL; every error carries the offset. */
class Parser {
  private i = 0;
  private readonly toks: Token[];
  constructor(private readonly src: string) {
    this.toks = tokenize(src);
  }

  private get t(): Token {
    return this.toks[this.i]!;
  }
  private peek(k = 1): Token {
    return this.toks[Math.min(this.i + k, this.toks.length - 1)]!;
  }
  private fail(msg: string, at: number = this.t.start): never {
    throw new QuerySyntaxError(msg, this.src, at);
  }
  private describe(t: Token): string {
    return t.kind === 'eof' ? 'end of query' : `'${this.src.slice(t.start, t.end)}'`;
  }
  private isOp(text: string, t: Token = this.t): boolean {
    return t.kind === 'op' && t.text === text;
  }
  private isKw(text: string, t: Token = this.t): boolean {
    return t.kind === 'ident' && t.text === text;
  }
  private expectOp(text: string): Token {
    if (!this.isOp(text)) this.fail(`expected '${text}' but found ${this.describe(this.t)}`);
    return this.toks[this.i++]!;
  }
  private expectKw(text: string): Token {
    if (!this.isKw(text)) this.fail(`expected '${text}' but found ${this.describe(this.t)}`);
    return this.toks[this.i++]!;
  }

  parse(): Query {
    let q: Query;
    if (this.isKw('sequence')) q = this.sequence();
    else if (this.isKw('sample')) q = this.sample();
    else if (this.isKw('join')) this.fail('join is not supported by Elasticsearch EQL');
    else q = { kind: 'event', filter: this.eventFilter(), pipes: [] };
    const pipes = this.pipes();
    if (this.t.kind !== 'eof') this.fail(`unexpected ${this.describe(this.t)}`);
    return { ...q, pipes };
  }

  private pipes(): Pipe[] {
    const out: Pipe[] = [];
    while (this.isOp('|')) {
      this.i++;
      const name = this.t;
      if (name.kind !== 'ident' || (name.text !== 'head' && name.text !== 'tail')) {
        this.fail(`unknown pipe ${this.describe(name)}: Elasticsearch EQL supports only head and tail`);
      }
      this.i++;
      const num = this.t;
      if (num.kind !== 'number' || !num.integer) this.fail(`${name.text} needs a non-negative integer`);
      this.i++;
      out.push({ kind: name.text as 'head' | 'tail', n: Number(num.text) });
    }
    return out;
  }

  private eventFilter(): EventFilter {
    const t = this.t;
    let category: string | null;
    if (this.isKw('any')) category = null;
    else if (t.kind === 'string') category = t.text;
    else if (t.kind === 'ident' && !t.text.endsWith('~') && !KEYWORDS.has(t.text)) category = t.text;
    else this.fail(`expected an event category but found ${this.describe(t)}`);
    this.i++;
    if (!this.isKw('where')) this.fail(`expected 'where' but found ${this.describe(this.t)}`);
    this.i++;
    const condition = this.expr();
    return { category, condition, pos: t.start };
  }

  private joinKeys(): Expr[] {
    this.expectKw('by');
    const keys = [this.expr()];
    while (this.isOp(',')) {
      this.i++;
      keys.push(this.expr());
    }
    return keys;
  }

  private maxspan(): number {
    this.expectKw('with');
    this.expectKw('maxspan');
    this.expectOp('=');
    const num = this.t;
    if (num.kind !== 'number') this.fail(`expected a duration such as 5s but found ${this.describe(num)}`);
    this.i++;
    const unit = this.t;
    if (unit.kind !== 'ident' || unit.start !== num.end) this.fail('maxspan needs a time unit (ms, s, m, h, d)', num.end);
    const mult = UNITS[unit.text];
    if (mult === undefined) this.fail(`unknown time unit '${unit.text}' (use ms, s, m, h or d)`, unit.start);
    this.i++;
    return Number(num.text) * mult!;
  }

  private stage(allowMissing: boolean, allowRuns: boolean): Stage {
    const pos = this.t.start;
    let missing = false;
    if (this.isOp('!')) {
      if (!allowMissing) this.fail('missing-event stages ![...] are only allowed in sequences');
      missing = true;
      this.i++;
    }
    this.expectOp('[');
    const filter = this.eventFilter();
    this.expectOp(']');
    let keys: Expr[] = [];
    let runs = 1;
    const runsClause = (): void => {
      if (!allowRuns) this.fail("'with runs' is only allowed on sequence stages");
      this.i++;
      this.expectKw('runs');
      this.expectOp('=');
      const n = this.t;
      if (n.kind !== 'number' || !n.integer) this.fail('runs needs an integer');
      runs = Number(n.text);
      if (runs < 1 || runs > 100) this.fail('runs must be between 1 and 100', n.start);
      this.i++;
    };
    if (this.isKw('with') && this.isKw('runs', this.peek())) runsClause();
    if (this.isKw('by')) keys = this.joinKeys();
    if (runs === 1 && this.isKw('with') && this.isKw('runs', this.peek())) runsClause();
    return { filter, keys, runs, missing, pos };
  }

  private sequence(): Query {
    const seqTok = this.expectKw('sequence');
    let keys: Expr[] = [];
    let maxspanMs: number | undefined;
    if (this.isKw('by')) {
      keys = this.joinKeys();
      if (this.isKw('with')) maxspanMs = this.maxspan();
    } else if (this.isKw('with')) {
      maxspanMs = this.maxspan();
      if (this.isKw('by')) keys = this.joinKeys();
    }
    const stages: Stage[] = [];
    while (this.isOp('[') || this.isOp('!')) stages.push(this.stage(true, true));
    let until: Stage | undefined;
    if (this.isKw('until')) {
      this.i++;
      until = this.stage(false, false);
    }
    const expanded = stages.reduce((n, s) => n + s.runs, 0);
    if (expanded < 2) this.fail('a sequence needs at least two stages', seqTok.start);
    if (!stages.some((s) => !s.missing)) this.fail('a sequence needs at least one stage that is not a missing event', seqTok.start);
    if (stages.some((s) => s.missing) && maxspanMs === undefined) this.fail('a sequence with missing events ![...] needs "with maxspan"', seqTok.start);
    const width = keys.length + (stages[0]?.keys.length ?? 0);
    for (const s of [...stages, ...(until ? [until] : [])]) {
      if (keys.length + s.keys.length !== width) this.fail(`inconsistent join keys: expected ${width - keys.length} per stage, found ${s.keys.length}`, s.pos);
    }
    return { kind: 'sequence', keys, maxspanMs, stages, until, pipes: [] };
  }

  private sample(): Query {
    const tok = this.expectKw('sample');
    const keys = this.isKw('by') ? this.joinKeys() : [];
    const stages: Stage[] = [];
    while (this.isOp('[') || this.isOp('!')) stages.push(this.stage(false, false));
    if (stages.length < 2) this.fail('a sample needs at least two filters', tok.start);
    const width = keys.length + stages[0]!.keys.length;
    for (const s of stages) if (keys.length + s.keys.length !== width) this.fail('inconsistent join keys between sample filters', s.pos);
    return { kind: 'sample', keys, stages, pipes: [] };
  }

  // ---- expressions -------------------------------------------------------

  expr(): Expr {
    const first = this.and();
    if (!this.isKw('or')) return first;
    const items = [first];
    while (this.isKw('or')) {
      this.i++;
      items.push(this.and());
    }
    return { k: 'or', items, pos: first.pos };
  }

  private and(): Expr {
    const first = this.not();
    if (!this.isKw('and')) return first;
    const items = [first];
    while (this.isKw('and')) {
      this.i++;
      items.push(this.not());
    }
    return { k: 'and', items, pos: first.pos };
  }

  private not(): Expr {
    if (this.isKw('not')) {
      const pos = this.t.start;
      this.i++;
      return { k: 'not', e: this.not(), pos };
    }
    return this.comparison();
  }

  private comparison(): Expr {
    const l = this.additive();
    const t = this.t;
    if (this.isOp('=')) this.fail("'=' is not an operator: use '==' for equality");
    if (t.kind !== 'op' || !CMP_OPS.has(t.text)) return l;
    this.i++;
    let node: Expr;
    if (t.text === ':' || t.text === '!:') {
      const r = this.isOp('(') ? this.parenList() : [this.additive()];
      node = { k: 'seq', negated: t.text === '!:', l, r, pos: t.start };
    } else {
      node = { k: 'cmp', op: t.text as CmpOp, l, r: this.additive(), pos: t.start };
    }
    if (this.t.kind === 'op' && CMP_OPS.has(this.t.text)) this.fail('comparison operators cannot be chained');
    return node;
  }

  /** `( e1, e2, … )`; a single parenthesised expression is just that expression. */
  private parenList(): Expr[] {
    this.expectOp('(');
    const items = [this.expr()];
    while (this.isOp(',')) {
      this.i++;
      items.push(this.expr());
    }
    this.expectOp(')');
    return items;
  }

  private additive(): Expr {
    let l = this.multiplicative();
    while (this.isOp('+') || this.isOp('-')) {
      const t = this.toks[this.i++]!;
      l = { k: 'arith', op: t.text as '+' | '-', l, r: this.multiplicative(), pos: t.start };
    }
    return l;
  }

  private multiplicative(): Expr {
    let l = this.unary();
    while (this.isOp('*') || this.isOp('/') || this.isOp('%')) {
      const t = this.toks[this.i++]!;
      l = { k: 'arith', op: t.text as '*' | '/' | '%', l, r: this.unary(), pos: t.start };
    }
    return l;
  }

  private unary(): Expr {
    if (this.isOp('-') || this.isOp('+')) {
      const t = this.toks[this.i++]!;
      const e = this.unary();
      if (t.text === '+') return e;
      if (e.k === 'lit' && typeof e.value === 'number') return { ...e, value: -e.value, pos: t.start };
      return { k: 'neg', e, pos: t.start };
    }
    return this.postfix();
  }

  private postfix(): Expr {
    const l = this.primary();
    const t = this.t;
    if (t.kind !== 'ident') return l;
    if (t.text === 'not' && (this.isKw('in', this.peek()) || this.isKw('in~', this.peek()))) {
      this.i++;
      return this.inList(l, true);
    }
    if (t.text === 'in' || t.text === 'in~') return this.inList(l, false);
    if (t.text === 'like' || t.text === 'like~' || t.text === 'regex' || t.text === 'regex~') {
      this.i++;
      const patterns: string[] = [];
      const one = (): void => {
        const s = this.t;
        if (s.kind !== 'string') this.fail(`${t.text} needs a string literal but found ${this.describe(s)}`);
        patterns.push(s.text);
        this.i++;
      };
      if (this.isOp('(')) {
        this.i++;
        one();
        while (this.isOp(',')) {
          this.i++;
          one();
        }
        this.expectOp(')');
      } else one();
      const ci = t.text.endsWith('~');
      return { k: t.text.startsWith('like') ? 'like' : 'regex', ci, l, patterns, pos: t.start };
    }
    return l;
  }

  private inList(l: Expr, negated: boolean): Expr {
    const t = this.toks[this.i++]!;
    const list = this.parenList();
    return { k: 'in', negated, ci: t.text === 'in~', l, list, pos: t.start };
  }

  private primary(): Expr {
    const t = this.t;
    switch (t.kind) {
      case 'number':
        this.i++;
        return { k: 'lit', value: Number(t.text), integer: t.integer === true, pos: t.start };
      case 'string':
        this.i++;
        return { k: 'lit', value: t.text, integer: false, pos: t.start };
      case 'quoted':
        return this.field(false, t.start);
      case 'op':
        if (t.text === '(') {
          this.i++;
          const e = this.expr();
          if (this.isOp(',')) this.fail('a list of values is only allowed after in, :, like or regex');
          this.expectOp(')');
          return e;
        }
        if (t.text === '?') {
          this.i++;
          if (this.t.kind !== 'ident' && this.t.kind !== 'quoted') this.fail("expected a field name after '?'");
          return this.field(true, t.start);
        }
        return this.fail(`unexpected ${this.describe(t)}`);
      case 'ident': {
        if (t.text === 'true' || t.text === 'false') {
          this.i++;
          return { k: 'lit', value: t.text === 'true', integer: false, pos: t.start };
        }
        if (t.text === 'null') {
          this.i++;
          return { k: 'lit', value: null, integer: false, pos: t.start };
        }
        if (this.isOp('(', this.peek())) return this.call();
        if (KEYWORDS.has(t.text)) this.fail(`unexpected keyword '${t.text}'`);
        return this.field(false, t.start);
      }
      case 'eof':
        return this.fail('unexpected end of query');
    }
  }

  private call(): Expr {
    const t = this.toks[this.i++]!;
    const ci = t.text.endsWith('~');
    const raw = ci ? t.text.slice(0, -1) : t.text;
    const fn = lookupFunction(raw);
    if (!fn) this.fail(`unknown function [${raw}]`, t.start);
    if (ci && !fn!.ci) this.fail(`function ${fn!.name} has no case-insensitive ~ variant`, t.start);
    this.expectOp('(');
    const args: Expr[] = [];
    if (!this.isOp(')')) {
      args.push(this.expr());
      while (this.isOp(',')) {
        this.i++;
        args.push(this.expr());
      }
    }
    this.expectOp(')');
    if (args.length < fn!.min || args.length > fn!.max) {
      const want = fn!.min === fn!.max ? `${fn!.min}` : fn!.max === Infinity ? `at least ${fn!.min}` : `${fn!.min} to ${fn!.max}`;
      this.fail(`${fn!.name} takes ${want} argument${want === '1' ? '' : 's'}, got ${args.length}`, t.start);
    }
    return { k: 'call', name: fn!.name, ci, args, pos: t.start };
  }

  private field(optional: boolean, pos: number): Expr {
    const parts: string[] = [];
    const segment = (): void => {
      const s = this.t;
      if (s.kind === 'quoted') parts.push(s.text);
      else if (s.kind === 'ident' && !s.text.endsWith('~') && (parts.length > 0 || !KEYWORDS.has(s.text))) parts.push(s.text);
      else this.fail(`expected a field name but found ${this.describe(s)}`);
      this.i++;
    };
    segment();
    while (this.isOp('.')) {
      this.i++;
      segment();
    }
    if (this.isOp('[') && this.peek().kind === 'number') this.fail('array index is not supported', this.t.start);
    return { k: 'field', name: parts.join('.'), optional, pos };
  }
}

export function parseEql(src: string): Query {
  return new Parser(src).parse();
}
