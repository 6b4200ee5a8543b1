import type { DetectContext } from '../../../core/detector.ts';
import type { Event } from '../../../core/event.ts';
import type { IndexMapping } from '../../../mapping/index.ts';
import type { Query } from '../ast.ts';
import { compileEsqlAst, type EsqlQuery, type EsqlResult } from '../index.ts';
import { tableAlerts, type AlertShape, type TableAlert } from './alerts.ts';
import { beforeFirstStats, expandedFields, isAggregating, resultHasId, tracedQuery } from './provenance.ts';
import { queryAnchor, type Anchor } from './anchors.ts';
import { SingleEventRunner } from './single-event.ts';
import { eventTables, refusedDocument, tableTyping, type EventTables, type TableTyping } from './tables.ts';
import { nowOf, outsideWindow, ruleWindow, type RuleWindow } from './window.ts';

/** Kibana's default `max_signals`. */
const DEFAULT_MAX_SIGNALS = 100;
/** A LIMIT that lifts Elasticsearch's default of 1000 rows without capping anything. */
const ALL_ROWS = 2 ** 31 - 1;

/** One execution of the rule over a case: what it saw and what it made of it. */
export interface Execution {
  readonly now: number;
  /** Positions of the case events inside the window. */
  readonly seen: readonly number[];
  readonly tables: EventTables;
  readonly result: EsqlResult;
  readonly alerts: readonly TableAlert[];
}

/**
 * An ES|QL rule compiled for the harness: its query (with event tracking,
 * provenance.ts), its window (window.ts), its tables' typing (tables.ts) and
 * how result rows become alerts (alerts.ts).
 */
export class EsqlRuleProgram {
  readonly window: RuleWindow;
  readonly aggregating: boolean;
  readonly typing: TableTyping;
  /** The query as run: events carried along (provenance.ts), Kibana's LIMIT appended. */
  readonly tracedAst: Query;
  private readonly traced: EsqlQuery;
  private readonly singleQuery: Query;
  private single: SingleEventRunner | undefined;
  /** The single-event query calls NOW(): its answer depends on when the rule runs. */
  private readonly readsNow: boolean;
  /** What an event must hold to match on its own (anchors.ts), when the query says. */
  readonly anchor: Anchor | undefined;
  private readonly shape: AlertShape;
  /** Kibana keys this rule's alerts by `_id` (non-aggregating, `_id` in the result). */
  readonly keyedById: boolean;

  constructor(
    readonly ast: Query,
    body: Readonly<Record<string, unknown>>,
    mapping: IndexMapping,
  ) {
    this.window = ruleWindow(body);
    this.aggregating = isAggregating(ast);
    const maxSignals = typeof body.max_signals === 'number' && body.max_signals > 0 ? body.max_signals : DEFAULT_MAX_SIGNALS;
    // Kibana asks for pages of max_signals + 1 rows (`| limit`). An aggregating query's first
    // page is all it reads; a non-aggregating one pages on, excluding the documents already
    // read, until max_signals alerts exist — in effect every row (esql.ts, excludedDocuments).
    this.tracedAst = tracedQuery(ast, this.aggregating ? maxSignals + 1 : ALL_ROWS).query;
    this.traced = compileEsqlAst(this.tracedAst);
    this.keyedById = resultHasId(ast);
    this.shape = { aggregating: this.aggregating, keyedById: this.keyedById, expanded: expandedFields(ast), maxSignals };
    this.typing = tableTyping(ast, mapping);
    this.anchor = queryAnchor(ast, this.typing);
    // Built on the first `matches`: loading a rule set need not pay for it.
    this.singleQuery = this.aggregating ? tracedQuery(beforeFirstStats(ast), 1).query : this.tracedAst;
    this.readsNow = this.singleQuery.commands.some((c) => /\bnow\s*\(/i.test(ast.source.slice(c.start, c.end)));
  }

  /** The tables of the events inside the window at `now`. */
  tablesAt(events: readonly Event[], context?: DetectContext): { now: number; seen: number[]; tables: EventTables } {
    const now = nowOf(this.window, events, context?.now) ?? 0;
    const seen: number[] = [];
    events.forEach((e, i) => {
      if (outsideWindow(this.window, e, now) === undefined && refusedDocument(e) === undefined) seen.push(i);
    });
    const tables = eventTables(
      this.typing,
      seen.map((i) => events[i] as Event),
      seen,
    );
    return { now, seen, tables };
  }

  execute(events: readonly Event[], context?: DetectContext): Execution {
    const { now, seen, tables } = this.tablesAt(events, context);
    const result = this.traced.run(tables.resolver, { now });
    const alerts = tableAlerts(this.shape, result.columns, result.rows, (id) => tables.eventOfId.get(id));
    return { now, seen, tables, result, alerts };
  }

  /** Alerts as event positions; a row whose events the query lost points at every event it saw. */
  detect(events: readonly Event[], context?: DetectContext): number[][] {
    const x = this.execute(events, context);
    return x.alerts.map((a) => [...(a.events ?? x.seen)]);
  }

  /**
   * One event on its own, at its own time (and, when the query calls NOW(),
   * at the end of the window that still sees it): a non-aggregating query returns a
   * row for it; an aggregating one keeps it through the commands before its
   * first STATS (it can count in a group). The prefilter contract
   * (runner/crossfire-index.ts) holds: a rule no event matches cannot alert —
   * except a STATS without BY over no rows, whose single row (COUNT = 0) a
   * later WHERE may keep (documented in docs/esql-rules.md).
   */
  matches(event: Event): boolean {
    if (refusedDocument(event) !== undefined) return false;
    this.single ??= new SingleEventRunner(this.singleQuery, this.typing);
    const t = this.window.timestampOf(event) ?? 0;
    if (this.single.rows(event, t) > 0) return true;
    // A run sees the event while now is in [t, t - from]: a condition on NOW() is tried at both ends.
    return this.readsNow && this.single.rows(event, t - this.window.fromMs) > 0;
  }
}
