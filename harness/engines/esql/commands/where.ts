import type { Command } from '../ast.ts';
import { compileExpr } from '../compile/expr.ts';
import type { Column } from '../types.ts';
import { MULTI_VALUE } from '../warnings.ts';
import { scopeOf, type PlanContext, type Stage } from './stage.ts';

/** WHERE keeps the rows whose condition is true (null and false drop the row). */
export function compileWhere(cmd: Command & { command: 'where' }, input: readonly Column[], ctx: PlanContext): Stage {
  const scope = scopeOf(input, ctx);
  const cond = compileExpr(cmd.condition, scope);
  if (cond.type !== 'boolean' && cond.type !== 'null')
    throw scope.error(`Condition expression needs to be boolean, found [${cond.type.toUpperCase()}]`, cmd.condition);
  const w = ctx.rt.warnings;
  const test = cond.eval;
  return {
    columns: input,
    open: (next) => ({
      push: (r) => {
        const v = test(r);
        if (Array.isArray(v)) w.failure(cmd.condition, MULTI_VALUE);
        else if (v === true) return next.push(r);
        return true;
      },
      end: () => next.end(),
    }),
  };
}
