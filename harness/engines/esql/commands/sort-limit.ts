import type { Command } from '../ast.ts';
import { compileExpr } from '../compile/expr.ts';
import type { Column } from '../types.ts';
import { compareForSort } from '../values.ts';
import { blockingStage, scopeOf, type PlanContext, type Row, type Stage } from './stage.ts';

/** SORT: a stable sort; multi-values sort by their least value ascending and greatest descending. */
export function compileSort(cmd: Command & { command: 'sort' }, input: readonly Column[], ctx: PlanContext): Stage {
  const scope = scopeOf(input, ctx);
  const keys = cmd.keys.map((k) => ({ ...k, ev: compileExpr(k.expr, scope) }));
  return blockingStage(input, (rows) => {
      const decorated = rows.map((row, i) => ({ row, i, vals: keys.map((k) => k.ev.eval(row)) }));
      decorated.sort((a, b) => {
        for (let k = 0; k < keys.length; k++) {
          const key = keys[k] as (typeof keys)[number];
          const x = a.vals[k] ?? null;
          const y = b.vals[k] ?? null;
          if (x === null || y === null) {
            if (x === y) continue;
            return (x === null) === key.nullsFirst ? -1 : 1;
          }
          const c = compareForSort(x, y, key.ev.type, key.descending);
          if (c !== 0) return key.descending ? -c : c;
        }
        return a.i - b.i;
      });
      return decorated.map((d) => d.row as Row);
  });
}

export function compileLimit(cmd: Command & { command: 'limit' }, input: readonly Column[]): Stage {
  return {
    columns: input,
    open: (next) => {
      let n = 0;
      return {
        push: (r) => {
          if (n >= cmd.count) return false;
          n++;
          return next.push(r) && n < cmd.count;
        },
        end: () => next.end(),
      };
    },
  };
}
