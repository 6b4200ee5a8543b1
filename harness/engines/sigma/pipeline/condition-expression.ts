/**
 * `rule_cond_expr`, `detection_item_cond_expr`, `field_name_cond_expr`: a
 * boolean expression over named conditions (pySigma
 * `condition_expressions.py`): identifiers `[A-Za-z0-9_-]+`, `not` binds
 * tighter than `and`, `and` tighter than `or`, parentheses.
 */
import { PipelineConfigError } from './model.ts';
import type { DocPath } from '../../../core/located-error.ts';

export type Expr = { readonly op: 'id'; readonly name: string } | { readonly op: 'not'; readonly e: Expr } | { readonly op: 'and' | 'or'; readonly l: Expr; readonly r: Expr };

/** Parse an expression; every identifier must be one of `names`, and every name must be used (as pySigma checks). */
export function parseConditionExpression(text: string, names: readonly string[], path: DocPath): Expr {
  const tokens = [...text.matchAll(/\s*([()]|[A-Za-z0-9_-]+|\S)/g)].map((m) => ({ t: m[1]!, at: (m.index ?? 0) + m[0].length - m[1]!.length }));
  let i = 0;
  const fail = (msg: string): never => {
    throw new PipelineConfigError(`condition expression '${text}': ${msg}`, path);
  };
  const used = new Set<string>();
  const primary = (): Expr => {
    const tok = tokens[i++];
    if (!tok) return fail('ends too early');
    if (tok.t === '(') {
      const e = or();
      if (tokens[i++]?.t !== ')') fail(`missing ')' for '(' at column ${tok.at + 1}`);
      return e;
    }
    if (tok.t === 'not') return { op: 'not', e: primary() };
    if (!/^[A-Za-z0-9_-]+$/.test(tok.t) || tok.t === 'and' || tok.t === 'or') return fail(`unexpected '${tok.t}' at column ${tok.at + 1}`);
    if (!names.includes(tok.t)) fail(`condition identifier '${tok.t}' not found`);
    used.add(tok.t);
    return { op: 'id', name: tok.t };
  };
  const and = (): Expr => {
    let l = primary();
    while (tokens[i]?.t === 'and') {
      i++;
      l = { op: 'and', l, r: primary() };
    }
    return l;
  };
  const or = (): Expr => {
    let l = and();
    while (tokens[i]?.t === 'or') {
      i++;
      l = { op: 'or', l, r: and() };
    }
    return l;
  };
  const e = or();
  if (i < tokens.length) fail(`unexpected '${tokens[i]!.t}' at column ${tokens[i]!.at + 1}`);
  const unused = names.filter((n) => !used.has(n));
  if (unused.length > 0) fail(`contains unreferenced condition items: ${unused.join(', ')}`);
  return e;
}

export function evalExpr(e: Expr, value: (name: string) => boolean): boolean {
  switch (e.op) {
    case 'id':
      return value(e.name);
    case 'not':
      return !evalExpr(e.e, value);
    case 'and':
      return evalExpr(e.l, value) && evalExpr(e.r, value);
    case 'or':
      return evalExpr(e.l, value) || evalExpr(e.r, value);
  }
}
