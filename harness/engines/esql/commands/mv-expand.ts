import type { Command } from '../ast.ts';
import { QuerySyntaxError } from '../../common/query-syntax-error.ts';
import type { Column, Scalar, Value } from '../types.ts';
import type { PlanContext, Stage } from './stage.ts';

/** MV_EXPAND: one row per value of a multi-valued column; a null or single value stays one row. */
export function compileMvExpand(cmd: Command & { command: 'mv_expand' }, input: readonly Column[], ctx: PlanContext): Stage {
  const i = input.findIndex((c) => c.name === cmd.field.pattern);
  if (i < 0) throw new QuerySyntaxError(`Unknown column [${cmd.field.pattern}]`, ctx.source, cmd.field.start);
  return {
    columns: input,
    open: (next) => ({
      push: (r) => {
        const v = r[i] as Value;
        if (!Array.isArray(v)) return next.push(r);
        for (const x of v as Scalar[]) {
          const copy = r.slice();
          copy[i] = x;
          if (!next.push(copy)) return false;
        }
        return true;
      },
      end: () => next.end(),
    }),
  };
}
