import { LocatedError } from '../../../core/located-error.ts';

/**
 * pySigma's extended temporal condition (`SigmaExtendedCorrelationCondition`):
 * a boolean expression over referenced rule names with `and`, `or`, `not` and
 * parentheses (precedence not > and > or), e.g. `recon_a and (recon_b or not recon_c)`.
 * Only for `temporal`; evaluated over the set of rules seen in the window.
 */
export type RuleExpr =
  | { readonly kind: 'rule'; readonly name: string; readonly offset: number }
  | { readonly kind: 'not'; readonly child: RuleExpr }
  | { readonly kind: 'and' | 'or'; readonly children: readonly RuleExpr[] };

const PATH = ['correlation', 'condition'] as const;
const TOKEN = /\s*(?:(\()|(\))|([A-Za-z0-9_][A-Za-z0-9_.-]*))/y;

interface Token {
  readonly text: string;
  readonly offset: number;
}

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let pos = 0;
  while (pos < src.length) {
    if (/^\s*$/.test(src.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(src);
    if (!m) {
      const at = pos + (src.slice(pos).length - src.slice(pos).trimStart().length);
      throw new LocatedError('sigma/correlation', `unexpected character '${src[at]}' in correlation condition`, PATH, { offset: at });
    }
    out.push({ text: m[1] ?? m[2] ?? m[3]!, offset: TOKEN.lastIndex - m[0].trimStart().length });
    pos = TOKEN.lastIndex;
  }
  return out;
}

/** Recursive descent over the tokens; every error names its offset in the condition text. */
export function parseRuleExpr(src: string): RuleExpr {
  const toks = tokenize(src);
  let i = 0;
  const peek = (): Token | undefined => toks[i];
  const fail = (msg: string, at: number): never => {
    throw new LocatedError('sigma/correlation', msg, PATH, { offset: at });
  };
  const binary = (op: 'and' | 'or', next: () => RuleExpr): RuleExpr => {
    const children = [next()];
    while (peek()?.text === op) {
      i++;
      children.push(next());
    }
    return children.length === 1 ? children[0]! : { kind: op, children };
  };
  const primary = (): RuleExpr => {
    const t = peek();
    if (!t) return fail('correlation condition ends where a rule name was expected', src.length);
    i++;
    if (t.text === 'not') return { kind: 'not', child: primary() };
    if (t.text === '(') {
      const e = or();
      if (peek()?.text !== ')') fail("missing ')' in correlation condition", peek()?.offset ?? src.length);
      i++;
      return e;
    }
    if (t.text === ')' || t.text === 'and' || t.text === 'or') return fail(`unexpected '${t.text}' where a rule name was expected`, t.offset);
    return { kind: 'rule', name: t.text, offset: t.offset };
  };
  const and = (): RuleExpr => binary('and', primary);
  const or = (): RuleExpr => binary('or', and);
  const e = or();
  const rest = peek();
  if (rest) fail(`unexpected '${rest.text}' after the end of the correlation condition`, rest.offset);
  return e;
}

/** Rule names in order of first appearance. */
export function ruleNames(e: RuleExpr, out: string[] = []): string[] {
  switch (e.kind) {
    case 'rule':
      if (!out.includes(e.name)) out.push(e.name);
      return out;
    case 'not':
      return ruleNames(e.child, out);
    case 'and':
    case 'or':
      for (const c of e.children) ruleNames(c, out);
      return out;
  }
}

/** Compile once to a closure over "which rule positions were seen in the window". */
export function compileRuleExpr(e: RuleExpr, position: (name: string) => number): (seen: ReadonlySet<number>) => boolean {
  switch (e.kind) {
    case 'rule': {
      const p = position(e.name);
      return (seen) => seen.has(p);
    }
    case 'not': {
      const c = compileRuleExpr(e.child, position);
      return (seen) => !c(seen);
    }
    case 'and': {
      const cs = e.children.map((c) => compileRuleExpr(c, position));
      return (seen) => cs.every((c) => c(seen));
    }
    case 'or': {
      const cs = e.children.map((c) => compileRuleExpr(c, position));
      return (seen) => cs.some((c) => c(seen));
    }
  }
}

export function printRuleExpr(e: RuleExpr): string {
  switch (e.kind) {
    case 'rule':
      return e.name;
    case 'not':
      return `not ${printRuleExpr(e.child)}`;
    case 'and':
    case 'or':
      return `(${e.children.map(printRuleExpr).join(` ${e.kind} `)})`;
  }
}
