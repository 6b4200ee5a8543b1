import { isRecord, type Event } from '../../../core/event.ts';
import type { IndexMapping } from '../../../mapping/index.ts';
import type { Query } from '../ast.ts';
import type { EsqlIndex, IndexResolver } from '../commands/stage.ts';
import { gateFieldTypes } from '../corpus-gate.ts';
import { indexFromEvents, type FieldTypes } from '../events-index.ts';
import { globRegExp } from '../glob.ts';
import { patternReaches } from '../index-names.ts';

/**
 * The indices an ES|QL rule's FROM reads, built from a case's events. An
 * event names its index with a top-level `_index` (a metadata field, not part
 * of the document); without it, it belongs to the rule's first FROM pattern
 * (`logs-endpoint.events.process-*` → `logs-endpoint.events.process-default`).
 * Every FROM pattern also gets that default index, empty when no event names
 * it, so a concrete index name always resolves. Field types: the rule's mapping
 * (harness.config.yml `elastic.mappings`, ECS by default); a field the query
 * reads that the mapping lacks exists all the same, typed as the query uses it
 * (corpus-gate.ts) — the integration's own mapping would define it.
 */
export interface EventTables {
  readonly resolver: IndexResolver;
  /** METADATA `_id` value → the event's position in the case. */
  readonly eventOfId: ReadonlyMap<string, number>;
}

/** The plain pattern texts FROM lists (exclusions dropped, `cluster:` prefixes removed). */
export function fromPatterns(q: Query): string[] {
  const from = q.commands[0];
  if (from?.command !== 'from') return [];
  return from.indices
    .flatMap((p) => p.split(','))
    .map((p) => p.trim().replace(/^[^:]*:(?!:)/, ''))
    .filter((p) => p !== '' && !p.startsWith('-'));
}

/** The index an event without `_index` belongs to. */
export function defaultIndexName(q: Query): string {
  const first = fromPatterns(q)[0] ?? 'default';
  return first.replace(/\*/g, 'default');
}

/** The `_index` an event names, if any. */
export function eventIndex(e: Event): string | undefined {
  return typeof e._index === 'string' && e._index !== '' ? e._index : undefined;
}

/** Does an index name match one of the FROM patterns (after exclusions)? */
export function fromMatcher(q: Query): (index: string) => boolean {
  const from = q.commands[0];
  if (from?.command !== 'from') return () => false;
  const parts = from.indices.flatMap((p) => p.split(',')).map((p) => p.trim().replace(/^[^:]*:(?!:)/, ''));
  const include = parts.filter((p) => !p.startsWith('-')).map(patternReaches);
  const exclude = parts.filter((p) => p.startsWith('-')).map((p) => patternReaches(p.slice(1)));
  return (n) => include.some((reaches) => reaches(n)) && !exclude.some((reaches) => reaches(n));
}

/** The fixed part of a rule's tables: field types and the fields every index carries (names, no patterns). */
export interface TableTyping {
  readonly types: FieldTypes;
  readonly wanted: readonly string[];
  readonly defaultIndex: string;
  /** The index of each FROM pattern's default name, with no events (built once). */
  readonly empty: ReadonlyMap<string, EsqlIndex>;
}

/** Metadata fields (FROM … METADATA): never document fields. */
const METADATA_FIELDS = new Set(['_id', '_index', '_version', '_source', '_ignored', '_score', '_index_mode']);

export function tableTyping(q: Query, mapping: IndexMapping): TableTyping {
  const gate = gateFieldTypes([q], mapping);
  const types = gate.types;
  // A KEEP/DROP pattern (`KEEP *`) stands for one mapped field it matches: it still resolves, and
  // the thousands of other all-null columns would only widen every table (they never drop a row).
  const mapped = [...(types.names?.() ?? [])];
  const wanted = gate.wanted
    .filter((f) => !METADATA_FIELDS.has(f))
    .flatMap((f) => {
      if (!f.includes('*')) return [f];
      const re = globRegExp(f);
      const first = mapped.find((n) => re.test(n));
      return first === undefined ? [] : [first];
    });
  const defaultIndex = defaultIndexName(q);
  const names = [...new Set([defaultIndex, ...fromPatterns(q).map((p) => p.replace(/\*/g, 'default'))])];
  const empty = new Map(names.map((n) => [n, indexFromEvents(n, [], types, wanted)]));
  return { types, wanted, defaultIndex, empty };
}

/** Elasticsearch's `index.mapping.depth.limit` default: a field path of more objects than this is refused. */
export const DEPTH_LIMIT = 20;

/**
 * Why Elasticsearch would refuse to index an event (so no FROM reads it), or
 * undefined: a field deeper than the depth limit (dotted keys count their
 * parts; arrays add no depth). Stops at the limit, so a hostile nesting costs
 * no more than the limit.
 */
export function refusedDocument(e: Event): string | undefined {
  // Asked by every ES|QL rule of a cross-fire pass or a stream for the same event: answered once.
  let answer = REFUSED.get(e);
  if (answer === undefined) REFUSED.set(e, (answer = refusal(e) ?? ''));
  return answer === '' ? undefined : answer;
}

const REFUSED = new WeakMap<Event, string>();

function refusal(e: Event): string | undefined {
  const tooDeep = (v: unknown, depth: number): boolean => {
    if (Array.isArray(v)) return v.some((x) => tooDeep(x, depth));
    if (!isRecord(v)) return false;
    for (const [k, x] of Object.entries(v)) {
      const d = depth + k.split('.').length;
      if (d > DEPTH_LIMIT || (isRecord(x) || Array.isArray(x) ? tooDeep(x, d) : false)) return true;
    }
    return false;
  };
  return tooDeep(e, 0) ? `Elasticsearch refuses the document: a field is nested deeper than index.mapping.depth.limit (${DEPTH_LIMIT})` : undefined;
}

/** A document without metadata keys (`_index` says where it goes; Elasticsearch refuses the others in a document). */
export function documentOf(e: Event): Event {
  if (!Object.keys(e).some((k) => METADATA_FIELDS.has(k))) return e;
  return Object.fromEntries(Object.entries(e).filter(([k]) => !METADATA_FIELDS.has(k)));
}

/** The indices of `events` (positions `positions[i]` in the case) under `typing`. */
export function eventTables(typing: TableTyping, events: readonly Event[], positions: readonly number[]): EventTables {
  const byIndex = new Map<string, { docs: Event[]; at: number[] }>();
  for (const n of typing.empty.keys()) byIndex.set(n, { docs: [], at: [] });
  events.forEach((e, k) => {
    const name = eventIndex(e) ?? typing.defaultIndex;
    let slot = byIndex.get(name);
    if (!slot) byIndex.set(name, (slot = { docs: [], at: [] }));
    slot.docs.push(documentOf(e));
    slot.at.push(positions[k] as number);
  });
  const indices = new Map<string, EsqlIndex>();
  const eventOfId = new Map<string, number>();
  for (const [name, { docs, at }] of byIndex) {
    indices.set(name, docs.length === 0 ? (typing.empty.get(name) ?? indexFromEvents(name, [], typing.types, typing.wanted)) : indexFromEvents(name, docs, typing.types, typing.wanted));
    // FROM's METADATA _id of row i of an index is `<index>-<i>` (commands/from.ts).
    at.forEach((p, i) => eventOfId.set(`${name}-${i}`, p));
  }
  return { resolver: { names: () => [...indices.keys()], get: (n) => indices.get(n) }, eventOfId };
}
