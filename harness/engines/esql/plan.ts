import type { Command, Expr, Query } from './ast.ts';
import { compileDissect } from './commands/dissect.ts';
import { compileEval } from './commands/eval.ts';
import { compileFrom } from './commands/from.ts';
import { compileGrokCommand } from './commands/grok.ts';
import { compileDrop, compileKeep } from './commands/keep-drop.ts';
import { compileMvExpand } from './commands/mv-expand.ts';
import { compileRename } from './commands/rename.ts';
import { compileRow } from './commands/row.ts';
import { compileLimit, compileSort } from './commands/sort-limit.ts';
import { compileStats } from './commands/stats.ts';
import { completionReason } from './commands/completion.ts';
import type { PlanContext, Stage } from './commands/stage.ts';
import { compileWhere } from './commands/where.ts';
import type { Column } from './types.ts';

/** Elasticsearch returns at most 1000 rows unless the query says LIMIT. */
export const DEFAULT_LIMIT = 1000;

function compileCommand(cmd: Command, input: readonly Column[], ctx: PlanContext): Stage {
  switch (cmd.command) {
    case 'from':
      return compileFrom(cmd, ctx);
    case 'row':
      return compileRow(cmd, ctx);
    case 'where':
      return compileWhere(cmd, input, ctx);
    case 'eval':
      return compileEval(cmd, input, ctx);
    case 'stats':
      return compileStats(cmd, input, ctx);
    case 'keep':
      return compileKeep(cmd, input, ctx);
    case 'drop':
      return compileDrop(cmd, input, ctx);
    case 'rename':
      return compileRename(cmd, input, ctx);
    case 'sort':
      return compileSort(cmd, input, ctx);
    case 'limit':
      return compileLimit(cmd, input);
    case 'mv_expand':
      return compileMvExpand(cmd, input, ctx);
    case 'dissect':
      return compileDissect(cmd, input, ctx);
    case 'grok':
      return compileGrokCommand(cmd, input, ctx);
    case 'completion':
      throw completionReason(cmd);
  }
}

/**
 * Consecutive WHEREs become one AND, as Elasticsearch's optimizer combines
 * them: each condition then sees every row and reports its own warnings.
 */
export function mergeWheres(commands: readonly Command[]): Command[] {
  const out: Command[] = [];
  for (const c of commands) {
    const prev = out.at(-1);
    if (c.command === 'where' && prev?.command === 'where') {
      const condition: Expr = { type: 'and', left: prev.condition, right: c.condition, start: prev.condition.start, end: c.condition.end };
      out[out.length - 1] = { ...prev, condition, end: c.end };
    } else out.push(c);
  }
  return out;
}

/** Compile the commands in order, each against the previous one's columns. */
export function compilePlan(query: Query, ctx: PlanContext): Stage[] {
  const stages: Stage[] = [];
  let columns: readonly Column[] = [];
  for (const cmd of mergeWheres(query.commands)) {
    const s = compileCommand(cmd, columns, ctx);
    stages.push(s);
    columns = s.columns;
  }
  return stages;
}
