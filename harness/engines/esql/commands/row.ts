import type { Command } from '../ast.ts';
import { compileFields } from './eval.ts';
import type { PlanContext, Stage } from './stage.ts';

/** ROW: one row of literal (or computed) fields. */
export function compileRow(cmd: Command & { command: 'row' }, ctx: PlanContext): Stage {
  const fields = compileFields(cmd.fields, [], ctx);
  return { columns: fields.columns, run: () => fields.run([[]]) };
}
