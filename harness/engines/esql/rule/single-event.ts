import type { Event } from '../../../core/event.ts';
import type { Query } from '../ast.ts';
import type { EsqlIndex, Row, Sink, Stage } from '../commands/stage.ts';
import { eventLeaves, fieldPlan, type FieldPlan } from '../events-index.ts';
import { compilePlan } from '../plan.ts';
import type { Column } from '../types.ts';
import { Warnings } from '../warnings.ts';
import { eventIndex, type TableTyping } from './tables.ts';

/**
 * An event's leaves by dotted path, read once per event for every rule that
 * asks (many ES|QL rules test the same event in a cross-fire pass or a stream).
 * Metadata keys (`_index`) are leaves too, but no rule's columns name them.
 */
const LEAVES = new WeakMap<Event, ReadonlyMap<string, readonly unknown[]>>();
function leavesOf(event: Event): ReadonlyMap<string, readonly unknown[]> {
  let m = LEAVES.get(event);
  if (!m) LEAVES.set(event, (m = eventLeaves(event)));
  return m;
}

interface Compiled {
  readonly stages: readonly Stage[];
  /** The one-row table the plan's FROM reads; its row is replaced per event. */
  readonly rows: Row[];
}

/**
 * Does a query return a row for one event on its own? `matches` runs for every
 * event of a stream or a cross-fire pass, so the plan is compiled once per
 * index name over a fixed table: the columns the query reads (present or not),
 * typed by the mapping or the query's own use of them, never by one event's
 * values — then rerun with each event's row and time (NOW() reads the runtime
 * when evaluated). Other fields cannot change whether a row survives.
 */
export class SingleEventRunner {
  private readonly plans = new Map<string, Compiled>();
  private readonly rt: { warnings: Warnings; now: number };
  private readonly empties: ReadonlyMap<string, EsqlIndex>;
  /** The columns the query reads, in one order for every event, with their readers. */
  private readonly fields: readonly FieldPlan[];
  private readonly columns: readonly Column[];

  constructor(
    private readonly query: Query,
    private readonly typing: TableTyping,
  ) {
    this.rt = { warnings: new Warnings(query.source), now: 0 };
    this.empties = typing.empty;
    // The fields the query names (tables.ts turns its KEEP/DROP patterns into one field each).
    this.fields = (this.empties.get(typing.defaultIndex)?.columns ?? []).flatMap((c) => fieldPlan(c.name, typing.types) ?? []);
    this.columns = this.fields.map((f) => f.column);
  }

  /** The number of rows (capped at the query's LIMIT) the query returns for `event` at `now`. */
  rows(event: Event, now: number): number {
    const name = eventIndex(event) ?? this.typing.defaultIndex;
    const leaves = leavesOf(event);
    const row: Row = this.fields.map((plan) => plan.value(leaves.get(plan.column.name)));
    let plan = this.plans.get(name);
    if (!plan) {
      const rows: Row[] = [row];
      const own: EsqlIndex = { name, columns: this.columns, rows, ordered: true };
      const indices = new Map(this.empties);
      indices.set(name, own);
      const stages = compilePlan(this.query, { source: this.query.source, rt: this.rt, indices: { names: () => [...indices.keys()], get: (n) => indices.get(n) } });
      this.plans.set(name, (plan = { stages, rows }));
    }
    plan.rows[0] = row;
    this.rt.now = now;
    this.rt.warnings.reset();
    let count = 0;
    let sink: Sink = { push: () => (count++, true), end: () => undefined };
    for (let i = plan.stages.length - 1; i >= 1; i--) sink = (plan.stages[i] as Stage).open(sink);
    plan.stages[0]?.produce?.(sink);
    return count;
  }
}
