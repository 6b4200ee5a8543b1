import type { Command, Field } from '../ast.ts';
import { compileExpr } from '../compile/expr.ts';
import { Scope, type Evaluator } from '../compile/scope.ts';
import type { Column, Value } from '../types.ts';
import { mapStage, type PlanContext, type Row, type Stage } from './stage.ts';

/**
 * EVAL: each field sees the columns defined before it (including earlier
 * fields of the same EVAL); a name defined again replaces the earlier column.
 */
export function compileFields(fields: readonly Field[], input: readonly Column[], ctx: PlanContext): Stage {
  let columns: Column[] = [...input];
  const steps: { eval: Evaluator['eval']; at: number; replace: boolean }[] = [];
  for (const f of fields) {
    const ev = compileExpr(f.expr, new Scope(columns, ctx.source, ctx.rt));
    const existing = columns.findIndex((c) => c.name === f.name);
    const col: Column = { name: f.name, type: ev.type };
    if (existing >= 0) {
      columns = [...columns.slice(0, existing), ...columns.slice(existing + 1), col];
      steps.push({ eval: ev.eval, at: existing, replace: true });
    } else {
      columns = [...columns, col];
      steps.push({ eval: ev.eval, at: -1, replace: false });
    }
  }
  const width = input.length;
  return mapStage(columns, (row) => {
        let r: Value[] = [...row];
        // A JSON-event row stops at its last present field; pad it so new columns land at their index.
        for (let i = r.length; i < width; i++) r.push(null);
        for (const s of steps) {
          const v = s.eval(r);
          if (s.replace) r.splice(s.at, 1);
          r = [...r, v];
        }
        return r as Row;
  });
}

export function compileEval(cmd: Command & { command: 'eval' }, input: readonly Column[], ctx: PlanContext): Stage {
  return compileFields(cmd.fields, input, ctx);
}

