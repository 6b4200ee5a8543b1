import type { DetectContext, Trace } from '../../../core/detector.ts';
import type { Event } from '../../../core/event.ts';
import { conjuncts, type Command, type Query } from '../ast.ts';
import type { Row, Stage } from '../commands/stage.ts';
import { runStage, scopeOf, type PlanContext } from '../commands/stage.ts';
import { compileExpr } from '../compile/expr.ts';
import { compilePlan, mergeWheres } from '../plan.ts';
import type { Column, Value } from '../types.ts';
import { scalarToString } from '../values.ts';
import { Warnings } from '../warnings.ts';
import type { EsqlRuleProgram } from './execute.ts';
import { EVENTS_COLUMN } from './provenance.ts';
import { eventIndex, fromMatcher, refusedDocument } from './tables.ts';
import { isoOrNumber, outsideWindow } from './window.ts';

/**
 * `explain` for an ES|QL rule over a case: which events the window let in,
 * then the table after each pipe stage (row count, the columns the query
 * reads or makes, a few rows), and for a WHERE each dropped row with the
 * first conjunct that was not true — so a failing case says where the query
 * lost its rows.
 */
const MAX_ROWS = 8;
const MAX_COLUMNS = 8;

const leaf = (label: string, result: boolean | null, detail?: string): Trace => ({ label, result, ...(detail ? { detail } : {}), children: [] });

const MAX_CELL = 120;

function cell(v: Value, c: Column): string {
  if (v === null || v === undefined) return 'null';
  const short = (s: string): string => (s.length > MAX_CELL ? `${s.slice(0, MAX_CELL)}… (${s.length} characters)` : s);
  const one = (s: string | number | boolean): string => (typeof s === 'string' ? JSON.stringify(short(s)) : scalarToString(s, c.type));
  return Array.isArray(v) ? `[${v.map(one).join(', ')}]` : one(v as string | number | boolean);
}

/** Run each stage to the end and keep its output table. */
function stageTables(stages: readonly Stage[]): Row[][] {
  const out: Row[][] = [];
  let prev: Row[] = [];
  stages.forEach((s, i) => {
    prev = runStage(s, prev, i === 0);
    out.push(prev);
  });
  return out;
}

/** Rows a WHERE dropped, each with the first conjunct that was false or null. */
function whereDrops(cmd: Command & { command: 'where' }, input: readonly Column[], rows: readonly Row[], kept: ReadonlySet<Row>, ctx: PlanContext, name: (r: Row) => string): Trace[] {
  const scope = scopeOf(input, ctx);
  const parts = conjuncts(cmd.condition).map((e) => ({ text: ctx.source.slice(e.start, e.end), ev: compileExpr(e, scope) }));
  return rows
    .filter((r) => !kept.has(r))
    .slice(0, MAX_ROWS)
    .map((r) => {
      const failed = parts.find((p) => p.ev.eval(r) !== true);
      const v = failed?.ev.eval(r);
      return leaf(`dropped ${name(r)}`, false, failed ? `${failed.text} is ${v === null ? 'null' : Array.isArray(v) ? 'multi-valued (null)' : String(v)}` : 'condition not true');
    });
}

export function explainCase(program: EsqlRuleProgram, events: readonly Event[], context?: DetectContext): Trace {
  const { now, seen } = program.tablesAt(events, context);
  const inFrom = fromMatcher(program.ast);
  const windowNode: Trace = {
    label: `window ${program.window.fromText} … now (${isoOrNumber(now)}): ${seen.length} of ${events.length} event(s)`,
    result: seen.length > 0,
    children: events.flatMap((e, i) => {
      const why = outsideWindow(program.window, e, now) ?? refusedDocument(e);
      if (why) return [leaf(`event ${i} not seen`, false, why)];
      const ix = eventIndex(e);
      return ix !== undefined && !inFrom(ix) ? [leaf(`event ${i} not read`, false, `_index ${ix} matches no FROM pattern`)] : [];
    }),
  };
  const { tables } = program.tablesAt(events, context);
  const query: Query = program.tracedAst;
  const ctx: PlanContext = { source: query.source, rt: { warnings: new Warnings(query.source), now }, indices: tables.resolver };
  let stages: Stage[];
  let outputs: Row[][];
  try {
    stages = compilePlan(query, ctx);
    outputs = stageTables(stages);
  } catch (e) {
    return { label: 'ES|QL rule', result: false, children: [windowNode, leaf('the query fails', false, (e as Error).message)] };
  }
  const commands = mergeWheres(query.commands);
  const wanted = new Set(program.typing.wanted);
  const inputNames = new Set(stages[0]?.columns.map((c) => c.name) ?? []);
  const stageNodes = stages.map((s, k): Trace => {
    const cmd = commands[k] as Command;
    const rows = outputs[k] ?? [];
    const idAt = s.columns.findIndex((c) => c.name === '_id');
    const groupAt = s.columns.findIndex((c) => c.name === EVENTS_COLUMN);
    const eventsOf = (r: Row): string => {
      const ids = idAt >= 0 ? [r[idAt]] : groupAt >= 0 ? (Array.isArray(r[groupAt]) ? (r[groupAt] as Value[]) : [r[groupAt]]) : [];
      const at = ids.flatMap((id) => (id === null || id === undefined ? [] : [tables.eventOfId.get(String(id))])).filter((x) => x !== undefined);
      return at.length ? ` (event${at.length > 1 ? 's' : ''} ${at.join(', ')})` : '';
    };
    const shown = s.columns
      .map((c, i) => ({ c, i }))
      .filter(({ c }) => c.name !== '_id' && c.name !== EVENTS_COLUMN && (wanted.has(c.name) || !inputNames.has(c.name)))
      // A column the query names but no row fills (a later EVAL/STATS output) is noise here.
      .filter(({ c, i }) => !inputNames.has(c.name) || rows.some((r) => r[i] !== null && r[i] !== undefined))
      .slice(0, MAX_COLUMNS);
    const rowLines = rows.slice(0, MAX_ROWS).map((r, n) => leaf(`row ${n}${eventsOf(r)}: ${shown.map(({ c, i }) => `${c.name}=${cell(r[i] ?? null, c)}`).join(', ') || '(no columns shown)'}`, true));
    const more = rows.length > MAX_ROWS ? [leaf(`… ${rows.length - MAX_ROWS} more row(s)`, true)] : [];
    const prev = k > 0 ? (outputs[k - 1] ?? []) : [];
    const drops = cmd.command === 'where' && k > 0 ? whereDrops(cmd, (stages[k - 1] as Stage).columns, prev, new Set(rows), ctx, (r) => `row ${prev.indexOf(r)}${eventsOf(r)}`) : [];
    const text = cmd.command === 'limit' && cmd.start === cmd.end ? `LIMIT ${cmd.count} (appended, as Kibana does)` : query.source.slice(cmd.start, cmd.end).replace(/\s+/g, ' ').trim();
    const label = `${text} → ${rows.length} row${rows.length === 1 ? '' : 's'}`;
    return { label, result: rows.length > 0, children: [...drops, ...rowLines, ...more] };
  });
  const alerts = program.execute(events, context).alerts.length;
  return { label: `ES|QL rule: ${alerts} alert${alerts === 1 ? '' : 's'}`, result: alerts > 0, children: [windowNode, ...stageNodes] };
}
