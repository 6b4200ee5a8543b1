import type { Event } from '../../../core/event.ts';
import { conjuncts, type Command, type Expr, type Query } from '../ast.ts';
import type { EsqlIndex, PlanContext, Row, Sink, Stage } from '../commands/stage.ts';
import { scopeOf } from '../commands/stage.ts';
import { compileExpr } from '../compile/expr.ts';
import type { Evaluator } from '../compile/scope.ts';
import { eventLeaves, fieldPlan, type FieldPlan } from '../events-index.ts';
import { compilePlan, mergeWheres } from '../plan.ts';
import type { Value } from '../types.ts';
import { Warnings } from '../warnings.ts';
import { beforeFirstStats } from './provenance.ts';
import type { TableTyping } from './tables.ts';

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

export class RowProgress {
  private readonly fields: readonly FieldPlan[];
  private readonly rows: Row[] = [];
  private readonly rt: { warnings: Warnings; now: number };
  private readonly stages: readonly Stage[];
  /** The commands the stages run (consecutive WHEREs merged, as the plan does). */
  readonly commands: readonly Command[];
  private readonly wheres = new Map<number, WhereStage>();
  private readonly ctx: PlanContext;
  readonly total: number;

  constructor(query: Query, typing: TableTyping) {
    const prefix = beforeFirstStats(query);
    this.rt = { warnings: new Warnings(query.source), now: 0 };
    this.fields = (typing.empty.get(typing.defaultIndex)?.columns ?? []).flatMap((c) => fieldPlan(c.name, typing.types) ?? []);
    const own: EsqlIndex = { name: typing.defaultIndex, columns: this.fields.map((f) => f.column), rows: this.rows, ordered: true };
    const indices = new Map(typing.empty);
    indices.set(typing.defaultIndex, own);
    const ctx: PlanContext = { source: query.source, rt: this.rt, indices: { names: () => [...indices.keys()], get: (n) => indices.get(n) } };
    this.ctx = ctx;
    this.stages = compilePlan(prefix, ctx);
    this.commands = mergeWheres(prefix.commands);
    let total = 0;
    this.commands.forEach((c, k) => {
      const input = this.stages[k - 1];
      if (c.command !== 'where' || !input) return;
      const scope = scopeOf(input.columns, ctx);
      const parts = conjuncts(c.condition).map((expr) => ({ expr, ev: compileExpr(expr, scope) }));
      total += parts.length;
      this.wheres.set(k, { command: k, parts, ctx, input });
    });
    this.total = total;
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

  /** The progress of `event` (its own index is ignored: it is read as the query's default index) at `now`. */
  of(event: Event, now: number): Progress {
    const leaves = eventLeaves(event);
    this.rows.length = 0;
    this.rows.push(this.fields.map((p) => p.value(leaves.get(p.column.name))));
    this.rt.now = now;
    this.rt.warnings.reset();
    let rows: Row[] = [];
    let passed = 0;
    for (let k = 0; k < this.stages.length; k++) {
      const stage = this.stages[k]!;
      const where = this.wheres.get(k);
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
      rows = run(stage, k, rows);
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

function run(stage: Stage, k: number, input: readonly Row[]): Row[] {
  const out: Row[] = [];
  const collect: Sink = { push: (r) => (out.push(r), true), end: () => undefined };
  if (k === 0 && stage.produce) stage.produce(collect);
  else {
    const sink = stage.open(collect);
    for (const r of input) if (!sink.push(r)) break;
    sink.end();
  }
  return out;
}
