import { entryFamily, type EventCandidates } from '../../core/prefilter.ts';
import { compileEqlSet, type EqlSet } from '../eql/index.ts';
import type { IndexMapping } from '../../mapping/index.ts';
import { KqlQuerySet, prepareEvent, type CompiledQuery } from '../kql/index.ts';
import { anchorCandidates, type AnchorEntry } from '../esql/rule/anchors.ts';

/**
 * The Elastic rules' prefilter families (core/prefilter.ts), built on the
 * engines' own many-query indexes, which answer exactly as each query's
 * `matches` does (eql-set.test.ts, kql prepared.test.ts): EQL queries by event
 * category and required literals, KQL / Lucene queries by (field, literal)
 * anchors; ES|QL queries by one (field, value) conjunct. A rule's Kibana filters are not indexed; its own `matches` checks
 * them on the candidates.
 */
export interface EqlEntry {
  readonly query: string;
  readonly eventCategoryField: string;
  /** The mapping the rule's detector types its fields by: the set must read them alike. */
  readonly mapping?: IndexMapping;
}

function eqlCandidates(entries: readonly EqlEntry[]): EventCandidates {
  // One set per (category field, mapping): rules typed by different mappings read fields differently.
  const groups = new Map<string, Map<IndexMapping | undefined, number[]>>();
  entries.forEach((e, i) => {
    let byMapping = groups.get(e.eventCategoryField);
    if (!byMapping) groups.set(e.eventCategoryField, (byMapping = new Map()));
    const members = byMapping.get(e.mapping);
    if (members) members.push(i);
    else byMapping.set(e.mapping, [i]);
  });
  const sets: { set: EqlSet; members: readonly number[] }[] = [];
  const always: number[] = [];
  for (const [field, byMapping] of groups) for (const [mapping, members] of byMapping) {
    try {
      sets.push({ set: compileEqlSet(members.map((i) => entries[i]!.query), { eventCategoryField: field, ...(mapping ? { mapping } : {}) }), members });
    } catch {
      // A query the set cannot take (it compiled alone, as the detector did): its rules run on every event.
      always.push(...members);
    }
  }
  return {
    candidates(event) {
      const out = [...always];
      for (const { set, members } of sets) for (const q of set.matchesPerEvent(event)) out.push(members[q]!);
      return sets.length > 1 || always.length > 0 ? out.sort((a, b) => a - b) : out;
    },
  };
}

function kqlCandidates(queries: readonly CompiledQuery[]): EventCandidates {
  const set = new KqlQuerySet(queries);
  return {
    candidates(event) {
      const out: number[] = [];
      set.forEachMatch(prepareEvent(event), (i) => out.push(i));
      return out;
    },
  };
}

export const EQL_PREFILTER = entryFamily<EqlEntry>('eql', eqlCandidates);
export const KQL_PREFILTER = entryFamily<CompiledQuery>('kql', kqlCandidates);
/** ES|QL rules by a (field, value) conjunct of their first WHERE (esql/rule/anchors.ts). */
export const ESQL_PREFILTER = entryFamily<AnchorEntry>('esql', anchorCandidates);
