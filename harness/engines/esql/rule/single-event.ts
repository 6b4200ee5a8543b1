import type { Event } from '../../../core/event.ts';
import type { Query } from '../ast.ts';
import type { EsqlIndex, Row, Sink, Stage } from '../commands/stage.ts';
import { indexFromEvents } from '../events-index.ts';
import { globRegExp } from '../glob.ts';
import { compilePlan } from '../plan.ts';
import type { Column } from '../types.ts';
import { Warnings } from '../warnings.ts';
import { documentOf, eventIndex, type TableTyping } from './tables.ts';

interface Compiled {
  readonly stages: readonly Stage[];
  /** The one-row table the plan's FROM reads; its row is replaced per event. */
  readonly rows: Row[];
}

/**
 * Does a query return a row for one event on its own? `matches` runs for every
 * event of a stream or a cross-fire pass, so the plan is compiled once per
 * shape of table — the event's index and the types of the columns the query
 * reads (other fields cannot change a WHERE) — and rerun with the event's row
 * and time (NOW() reads the runtime when evaluated).
 */
export class SingleEventRunner {
  private readonly plans = new Map<string, Compiled>();
  private readonly rt: { warnings: Warnings; now: number };
  private readonly empties: ReadonlyMap<string, EsqlIndex>;
  private readonly read: (name: string) => boolean;

  constructor(
    private readonly query: Query,
    private readonly typing: TableTyping,
  ) {
    this.rt = { warnings: new Warnings(query.source), now: 0 };
    this.empties = new Map(typing.emptyIndices.map((n) => [n, indexFromEvents(n, [], typing.types, typing.wanted)]));
    const exact = new Set(typing.wanted.filter((w) => !w.includes('*')));
    const globs = typing.wanted.filter((w) => w.includes('*')).map(globRegExp);
    this.read = (n) => exact.has(n) || globs.some((re) => re.test(n));
  }

  /** The number of rows (capped at the query's LIMIT) the query returns for `event` at `now`. */
  rows(event: Event, now: number): number {
    const name = eventIndex(event) ?? this.typing.defaultIndex;
    const full = indexFromEvents(name, [documentOf(event)], this.typing.types, this.typing.wanted);
    const keep = full.columns.map((c, i) => (this.read(c.name) ? i : -1)).filter((i) => i >= 0);
    const columns: Column[] = keep.map((i) => full.columns[i] as Column);
    const source = full.rows[0] ?? [];
    const row: Row = keep.map((i) => source[i] ?? null);
    const key = `${name}\u0000${columns.map((c) => `${c.name}:${c.type}`).join(',')}`;
    let plan = this.plans.get(key);
    if (!plan) {
      const rows: Row[] = [row];
      const own: EsqlIndex = { name, columns, rows, ordered: true };
      const indices = new Map(this.empties);
      indices.set(name, own);
      const stages = compilePlan(this.query, { source: this.query.source, rt: this.rt, indices: { names: () => [...indices.keys()], get: (n) => indices.get(n) } });
      this.plans.set(key, (plan = { stages, rows }));
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
