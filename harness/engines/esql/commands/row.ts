import type { Command } from '../ast.ts';
import { compileFields } from './eval.ts';
import { sourceStage, type PlanContext, type Stage } from './stage.ts';

/** ROW: one row of literal (or computed) fields. */
export function compileRow(cmd: Command & { command: 'row' }, ctx: PlanContext): Stage {
  const fields = compileFields(cmd.fields, [], ctx);
  return sourceStage(fields.columns, (emit) => {
    fields.open({ push: emit, end: () => undefined }).push([]);
  });
}
