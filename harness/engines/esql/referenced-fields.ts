import type { Command, Expr, Query } from './ast.ts';
import { exprChildren } from './expr-children.ts';

function exprFields(e: Expr, out: Set<string>): void {
  if (e.type === 'field') out.add(e.name);
  else for (const c of exprChildren(e)) exprFields(c, out);
}

function commandFields(c: Command, out: Set<string>): void {
  switch (c.command) {
    case 'from':
    case 'limit':
      return;
    case 'row':
    case 'eval':
      for (const f of c.fields) exprFields(f.expr, out);
      return;
    case 'where':
      exprFields(c.condition, out);
      return;
    case 'stats':
      for (const a of c.aggregates) {
        exprFields(a.expr, out);
        if (a.filter) exprFields(a.filter, out);
      }
      for (const g of c.groups) exprFields(g.expr, out);
      return;
    case 'keep':
    case 'drop':
      for (const p of c.patterns) out.add(p.pattern);
      return;
    case 'rename':
      for (const r of c.renames) out.add(r.from.pattern);
      return;
    case 'sort':
      for (const k of c.keys) exprFields(k.expr, out);
      return;
    case 'mv_expand':
      out.add(c.field.pattern);
      return;
    case 'dissect':
    case 'grok':
      exprFields(c.input, out);
      return;
    case 'completion':
      exprFields(c.prompt, out);
      return;
  }
}

/**
 * The column names a query reads (KEEP/DROP patterns as written). An index
 * built from JSON events adds the mapped ones among them that no event holds.
 */
export function referencedFields(q: Query): Set<string> {
  const out = new Set<string>();
  for (const c of q.commands) commandFields(c, out);
  return out;
}
