/**
 * The condition expression (rules spec "Condition"; pySigma `conditions.py`),
 * parsed by recursive descent into an AST with offsets:
 *
 *   cond     := and_expr ("or" and_expr)*
 *   and_expr := not_expr ("and" not_expr)*
 *   not_expr := "not" not_expr | operand
 *   operand  := ("1" | "any" | "all") "of" (PATTERN | "them") | IDENT | "(" cond ")"
 *
 * Operators are matched case-insensitively (pySigma wants lower case; a lint
 * concern, not an evaluation one). The obsolete aggregation pipe is rejected.
 */

export type CondAst =
  | { readonly kind: 'and' | 'or'; readonly children: readonly CondAst[]; readonly offset: number; readonly end: number }
  | { readonly kind: 'not'; readonly child: CondAst; readonly offset: number; readonly end: number }
  | { readonly kind: 'ident'; readonly name: string; readonly offset: number; readonly end: number }
  | { readonly kind: 'selector'; readonly quantifier: 'any' | 'all'; readonly pattern: string; readonly offset: number; readonly end: number };

/** A condition problem at `offset` into the condition text. */
export class ConditionError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

interface Token {
  readonly kind: 'word' | '(' | ')' | 'end';
  readonly text: string;
  readonly offset: number;
}

const WORD = /[A-Za-z0-9_*-]/;

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) i++;
    else if (c === '(' || c === ')') out.push({ kind: c, text: c, offset: i++ });
    else if (WORD.test(c)) {
      const start = i;
      while (i < src.length && WORD.test(src[i]!)) i++;
      out.push({ kind: 'word', text: src.slice(start, i), offset: start });
    } else if (c === '|') throw new ConditionError('sigma/condition-aggregation', "aggregation in a condition ('| count() …') is obsolete Sigma 1.x; use a correlation rule", i);
    else throw new ConditionError('sigma/condition-syntax', `unexpected character '${c}' in condition`, i);
  }
  out.push({ kind: 'end', text: '', offset: src.length });
  return out;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'of']);
const isKw = (t: Token, kw: string): boolean => t.kind === 'word' && t.text.toLowerCase() === kw;

class Parser {
  private pos = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  private peek(k = 0): Token {
    return this.tokens[Math.min(this.pos + k, this.tokens.length - 1)]!;
  }
  private next(): Token {
    return this.tokens[this.pos++]!;
  }

  parse(): CondAst {
    if (this.peek().kind === 'end') throw new ConditionError('sigma/condition-syntax', 'condition is empty', 0);
    const ast = this.or();
    const t = this.peek();
    if (t.kind !== 'end') throw new ConditionError('sigma/condition-syntax', `unexpected '${t.text}' in condition; expected 'and', 'or' or the end`, t.offset);
    return ast;
  }

  private or(): CondAst {
    const first = this.and();
    const children = [first];
    while (isKw(this.peek(), 'or')) {
      this.next();
      children.push(this.and());
    }
    return children.length === 1 ? first : { kind: 'or', children, offset: first.offset, end: children[children.length - 1]!.end };
  }

  private and(): CondAst {
    const first = this.not();
    const children = [first];
    while (isKw(this.peek(), 'and')) {
      this.next();
      children.push(this.not());
    }
    return children.length === 1 ? first : { kind: 'and', children, offset: first.offset, end: children[children.length - 1]!.end };
  }

  private not(): CondAst {
    const t = this.peek();
    if (isKw(t, 'not')) {
      this.next();
      const child = this.not();
      return { kind: 'not', child, offset: t.offset, end: child.end };
    }
    return this.operand();
  }

  private operand(): CondAst {
    const t = this.next();
    if (t.kind === '(') {
      const inner = this.or();
      const close = this.next();
      if (close.kind !== ')') throw new ConditionError('sigma/condition-syntax', `expected ')' to close the '(' at offset ${t.offset}`, close.offset);
      return { ...inner, offset: t.offset, end: close.offset + 1 };
    }
    if (t.kind !== 'word') throw new ConditionError('sigma/condition-syntax', t.kind === 'end' ? 'condition ends too early; expected an identifier' : `unexpected '${t.text}'; expected an identifier`, t.offset);
    const lower = t.text.toLowerCase();
    if (isKw(this.peek(), 'of')) {
      this.next();
      const target = this.next();
      if (lower !== '1' && lower !== 'any' && lower !== 'all') throw new ConditionError('sigma/condition-syntax', `'${t.text} of' is not a valid quantifier; use '1 of', 'any of' or 'all of'`, t.offset);
      if (target.kind !== 'word' || KEYWORDS.has(target.text.toLowerCase())) throw new ConditionError('sigma/condition-syntax', `expected an identifier pattern or 'them' after '${t.text} of'`, target.offset);
      const pattern = target.text.toLowerCase() === 'them' ? 'them' : target.text;
      return { kind: 'selector', quantifier: lower === 'all' ? 'all' : 'any', pattern, offset: t.offset, end: target.offset + target.text.length };
    }
    if (KEYWORDS.has(lower)) throw new ConditionError('sigma/condition-syntax', `unexpected '${t.text}'; expected an identifier`, t.offset);
    return { kind: 'ident', name: t.text, offset: t.offset, end: t.offset + t.text.length };
  }
}

/**
 * @example parseCondition('selection and not 1 of filter_*')
 */
export function parseCondition(src: string): CondAst {
  return new Parser(tokenize(src)).parse();
}
