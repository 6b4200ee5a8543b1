import type { AggField, Command, NamePattern, Query } from '../ast.ts';
import { globRegExp } from '../glob.ts';

/**
 * Which case events a result row came from, found by running a rewritten
 * query that carries them along: FROM asks for METADATA `_id` (each event's
 * row id, tables.ts), KEEPs keep it, DROPs spare it, and each aggregating
 * STATS adds `EVENTS_COLUMN = VALUES(<id column>)`, so an output row holds
 * the `_id` of its event (no STATS) or the `_id`s of its group. The rows and
 * the other columns are unchanged; only columns are added. A query that
 * renames or overwrites the carried column loses it: its rows then point at
 * every event of the window (documented in docs/esql-rules.md).
 */
export const EVENTS_COLUMN = '_harness.events';

export interface TracedQuery {
  readonly query: Query;
  /** The column that names a row's events in the output: `_id` (one event) or EVENTS_COLUMN (a group). */
  readonly carrier: '_id' | typeof EVENTS_COLUMN;
}

const matchesName = (patterns: readonly NamePattern[], name: string): boolean => patterns.some((p) => globRegExp(p.pattern).test(name));

function pattern(name: string, at: Command): NamePattern {
  return { pattern: name, start: at.start, end: at.end };
}

/** An aggregating query: one with a STATS (not INLINE STATS), as Kibana's computeIsESQLQueryAggregating decides. */
export function isAggregating(q: Query): boolean {
  return q.commands.some((c) => c.command === 'stats' && !c.inline);
}

/** `q` with its events carried to the output and the result capped at `limit` rows (Kibana appends `| limit`; see execute.ts). */
export function tracedQuery(q: Query, limit: number): TracedQuery {
  let carrier: TracedQuery['carrier'] = '_id';
  const commands: Command[] = [];
  for (const c of q.commands) {
    switch (c.command) {
      case 'from':
        commands.push(c.metadata.includes('_id') ? c : { ...c, metadata: [...c.metadata, '_id'] });
        break;
      case 'keep':
        commands.push(matchesName(c.patterns, carrier) ? c : { ...c, patterns: [...c.patterns, pattern(carrier, c)] });
        break;
      case 'drop': {
        const patterns = c.patterns.filter((p) => !globRegExp(p.pattern).test(carrier));
        if (patterns.length > 0) commands.push({ ...c, patterns });
        break;
      }
      case 'stats': {
        if (c.inline) {
          commands.push(c);
          break;
        }
        const from = carrier;
        const agg: AggField = { name: EVENTS_COLUMN, expr: { type: 'call', name: 'VALUES', args: [{ type: 'field', name: from, start: c.start, end: c.end }], star: false, start: c.start, end: c.end }, start: c.start, end: c.end };
        commands.push({ ...c, aggregates: [...c.aggregates, agg] });
        carrier = EVENTS_COLUMN;
        break;
      }
      default:
        commands.push(c);
    }
  }
  const last = q.commands.at(-1) ?? q.commands[0];
  if (last) commands.push({ command: 'limit', count: limit, start: last.end, end: last.end });
  return { query: { source: q.source, commands }, carrier };
}

/**
 * Does the result Kibana reads hold `_id` (so it keys non-aggregating alerts by it)?
 * Kibana injects `METADATA _id` into every non-aggregating query and appends `_id`
 * to each KEEP until a command may have removed or changed it — a DROP of `_id` or
 * any wildcard DROP, a RENAME or EVAL of `_id`, DISSECT or GROK
 * (@kbn/securitysolution-utils injectMetadataId, used by esql/utils/get_transformed_query.ts).
 */
export function resultHasId(q: Query): boolean {
  if (isAggregating(q)) return false;
  let has = true;
  let injecting = true;
  for (const c of q.commands.slice(1)) {
    switch (c.command) {
      case 'keep':
        has = injecting || matchesName(c.patterns, '_id');
        break;
      case 'drop':
        if (c.patterns.some((p) => p.pattern === '_id' || p.pattern.includes('*'))) injecting = false;
        has &&= !matchesName(c.patterns, '_id');
        break;
      case 'rename':
        if (c.renames.some((r) => globRegExp(r.from.pattern).test('_id'))) {
          injecting = false;
          has = false;
        }
        break;
      case 'eval':
        if (c.fields.some((f) => f.name === '_id')) injecting = false;
        break;
      case 'dissect':
      case 'grok':
        injecting = false;
        break;
      default:
        break;
    }
  }
  return has;
}

/** The fields MV_EXPAND expands (Kibana adds their values to a non-aggregating alert's id). */
export function expandedFields(q: Query): string[] {
  return q.commands.flatMap((c) => (c.command === 'mv_expand' ? [c.field.pattern] : []));
}

/** The commands before the first aggregating STATS: what one event must pass to count in any group. */
export function beforeFirstStats(q: Query): Query {
  const i = q.commands.findIndex((c) => c.command === 'stats' && !c.inline);
  return i < 0 ? q : { source: q.source, commands: q.commands.slice(0, i) };
}
