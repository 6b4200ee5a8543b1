import type { Command } from '../ast.ts';
import { QuerySyntaxError } from '../../common/query-syntax-error.ts';
import type { Column } from '../types.ts';
import { mapStage, type PlanContext, type Stage } from './stage.ts';

/**
 * RENAME a AS b (or b = a), applied one after another: a column renamed onto
 * an existing name replaces that column, and later renames see earlier ones.
 */
export function compileRename(cmd: Command & { command: 'rename' }, input: readonly Column[], ctx: PlanContext): Stage {
  let cols: { col: Column; src: number }[] = input.map((col, src) => ({ col, src }));
  for (const { from, to } of cmd.renames) {
    const i = cols.findIndex((c) => c.col.name === from.pattern);
    if (i < 0) throw new QuerySyntaxError(`Unknown column [${from.pattern}]`, ctx.source, from.start);
    const moved = { col: { name: to.pattern, type: (cols[i] as { col: Column }).col.type }, src: (cols[i] as { src: number }).src };
    cols = cols.flatMap((c, j) => (j === i ? [moved] : c.col.name === to.pattern ? [] : [c]));
  }
  const order = cols.map((c) => c.src);
  return mapStage(cols.map((c) => c.col), (r) => order.map((i) => r[i] ?? null));
}
