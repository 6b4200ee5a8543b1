import type { Event } from '../../../core/event.ts';
import { conjuncts, type Command, type Expr, type Query } from '../ast.ts';
import type { EsqlIndex, PlanContext, Row, Stage } from '../commands/stage.ts';
import { runStage, scopeOf } from '../commands/stage.ts';
import { compileExpr } from '../compile/expr.ts';
import type { Evaluator } from '../compile/scope.ts';
import { indexFromEvents } from '../events-index.ts';
import { compilePlan, mergeWheres } from '../plan.ts';
import type { Column, Value } from '../types.ts';
import { Warnings } from '../warnings.ts';
import { beforeFirstStats } from './provenance.ts';
import { documentOf, type TableTyping } from './tables.ts';

/**
 * How far one event gets through the row-level part of a query (the commands
 * before its first STATS): the WHERE conjuncts in pipeline order, and the first
 * one no row of the event passes, with the rows it saw and a way to evaluate
 * any expression on them. The engine's own plan and expression compiler do
 * the work, so a caller searching for a passing event (the generator) learns
 * exactly what the engine would do, conjunct by conjunct.
 */
export interface Progress {
  /** Conjuncts passed before the first that fails (all of them: `passed === total`). */
  readonly passed: number;
  readonly total: number;
  /** The first conjunct no row passes, with the position of its WHERE among the commands. */
  readonly failing?: { readonly expr: Expr; readonly command: number; readonly rows: readonly Row[]; readonly evaluate: (e: Expr, row: Row) => Value | undefined };
}

interface WhereStage {
  readonly command: number;
  readonly parts: readonly { readonly expr: Expr; readonly ev: Evaluator }[];
  readonly ctx: PlanContext;
  readonly input: Stage;
}

/** The plan over one table shape (the columns an event's fields make), its one row replaced per event. */
interface Compiled {
  readonly stages: readonly Stage[];
  readonly wheres: ReadonlyMap<number, WhereStage>;
  readonly rows: Row[];
}

export class RowProgress {
  private readonly rt: { warnings: Warnings; now: number };
  private readonly prefix: Query;
  private readonly plans = new Map<string, Compiled>();
  /** The current event as JSON (METADATA _source). */
  private json = '{}';
  private readonly ctx: PlanContext;
  /** The commands the stages run (consecutive WHEREs merged, as the plan does). */
  readonly commands: readonly Command[];
  readonly total: number;

  constructor(
    query: Query,
    private readonly typing: TableTyping,
  ) {
    this.prefix = beforeFirstStats(query);
    this.rt = { warnings: new Warnings(query.source), now: 0 };
    this.ctx = { source: query.source, rt: this.rt, indices: { names: () => [...typing.empty.keys()], get: (n) => typing.empty.get(n) } };
    this.commands = mergeWheres(this.prefix.commands);
    this.total = this.commands.reduce((n, c) => n + (c.command === 'where' ? conjuncts(c.condition).length : 0), 0);
  }

  /** The plan for a table of these columns: FROM reads the event's own index (as the engine builds it from the event, tables.ts). */
  private planFor(columns: readonly Column[]): Compiled {
    const key = columns.map((c) => `${c.name}:${c.type}`).join(',');
    let plan = this.plans.get(key);
    if (plan) return plan;
    const rows: Row[] = [];
    const own: EsqlIndex = { name: this.typing.defaultIndex, columns, rows, ordered: true, source: () => this.json };
    const indices = new Map(this.typing.empty);
    indices.set(this.typing.defaultIndex, own);
    const ctx: PlanContext = { source: this.prefix.source, rt: this.rt, indices: { names: () => [...indices.keys()], get: (n) => indices.get(n) } };
    const stages = compilePlan(this.prefix, ctx);
    const wheres = new Map<number, WhereStage>();
    this.commands.forEach((c, k) => {
      const input = stages[k - 1];
      if (c.command !== 'where' || !input) return;
      const scope = scopeOf(input.columns, ctx);
      wheres.set(k, { command: k, parts: conjuncts(c.condition).map((expr) => ({ expr, ev: compileExpr(expr, scope) })), ctx, input });
    });
    this.plans.set(key, (plan = { stages, wheres, rows }));
    return plan;
  }

  /** The value of an expression that reads no column (`SPACE(100)`, `"a" + "b"`); undefined when it reads one or fails. */
  constant(e: Expr): Value | undefined {
    try {
      const ev = compileExpr(e, scopeOf([], this.ctx));
      return ev.constant ? ev.eval([]) : undefined;
    } catch {
      return undefined;
    }
  }

  /** The progress of `event` (read as a document of the query's default index) at `now`. */
  of(event: Event, now: number): Progress {
    const doc = documentOf(event);
    const ix = indexFromEvents(this.typing.defaultIndex, [doc], this.typing.types, this.typing.wanted);
    const plan = this.planFor(ix.columns);
    plan.rows.length = 0;
    plan.rows.push(ix.rows[0] ?? []);
    this.json = JSON.stringify(doc);
    this.rt.now = now;
    this.rt.warnings.reset();
    let rows: Row[] = [];
    let passed = 0;
    for (let k = 0; k < plan.stages.length; k++) {
      const where = plan.wheres.get(k);
      if (where) {
        // The conjuncts in order: the rows that pass each go on to the next.
        for (const part of where.parts) {
          const kept = rows.filter((r) => part.ev.eval(r) === true);
          if (!kept.length) return { passed, total: this.total, failing: { expr: part.expr, command: k, rows, evaluate: evaluatorIn(where) } };
          rows = kept;
          passed++;
        }
        continue;
      }
      rows = runStage(plan.stages[k]!, rows, k === 0);
    }
    return { passed, total: this.total };
  }
}

/** An expression of a WHERE's own scope on one of its input rows; undefined when it does not compile there. */
function evaluatorIn(where: WhereStage): (e: Expr, row: Row) => Value | undefined {
  const scope = scopeOf(where.input.columns, where.ctx);
  return (e, row) => {
    try {
      return compileExpr(e, scope).eval(row);
    } catch {
      return undefined;
    }
  };
}
