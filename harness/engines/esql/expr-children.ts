import type { Expr } from './ast.ts';

/** The sub-expressions of an ES|QL expression, for walks that treat every kind alike. */
export function exprChildren(e: Expr): readonly Expr[] {
  switch (e.type) {
    case 'list':
      return e.items;
    case 'call':
      return e.args;
    case 'binary':
    case 'and':
    case 'or':
      return [e.left, e.right];
    case 'neg':
    case 'not':
    case 'isNull':
    case 'cast':
    case 'like':
    case 'rlike':
      return [e.operand];
    case 'in':
      return [e.operand, ...e.list];
    case 'match':
      return [e.field, e.query];
    case 'literal':
    case 'field':
    case 'param':
      return [];
  }
}
