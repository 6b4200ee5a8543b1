import { HarnessError } from '../core/diagnostics.ts';
import type { Event } from '../core/event.ts';
import { compileEql, type EqlOptions } from './eql/index.ts';
import { compileQuery, parseKql } from './kql/index.ts';
import { parseLucene } from './lucene/index.ts';
import { ecsMapping, type IndexMapping } from '../mapping/index.ts';
import { ECS_FIELD_TYPES } from './elastic/ecs-field-types.ts';

export const QUERY_LANGUAGES = ['eql', 'kuery', 'lucene'] as const;
export type QueryLanguage = (typeof QUERY_LANGUAGES)[number];

/**
 * Results of a bare query: the event indices of each hit (one per event, or
 * one per sequence); `cut` when an EQL query found more than its `size`.
 */
export type QueryRun = (events: readonly Event[]) => { readonly hits: number[][]; readonly cut: boolean };

interface Positioned {
  readonly line?: unknown;
  readonly column?: unknown;
}

/** A query syntax error as a located diagnostic; the "file" is the `--query` argument. */
function asDiagnostic(e: unknown, language: QueryLanguage): HarnessError {
  const p = e as Positioned;
  const line = typeof p.line === 'number' ? p.line : 1;
  const column = typeof p.column === 'number' ? p.column : 1;
  return new HarnessError([{ code: `${language}/syntax`, severity: 'error', message: (e as Error).message, span: { file: '--query', line, column } }]);
}

/**
 * Compile one bare query of the given language (the `match --language`
 * contract), its fields typed by `mapping` (default: ECS).
 */
export function compileBareQuery(language: QueryLanguage, query: string, eql: EqlOptions = {}, mapping: IndexMapping = ecsMapping()): QueryRun {
  try {
    switch (language) {
      case 'eql': {
        const size = eql.size ?? 10;
        // One result more than the size tells whether results were cut, without counting them all.
        const q = compileEql(query, { ...eql, size: size + 1, mapping });
        return (events) => {
          const all = q.run(events).map((r) => [...r.events]);
          const cut = all.length > size;
          return { hits: !cut ? all : q.keepsLast ? all.slice(all.length - size) : all.slice(0, size), cut };
        };
      }
      case 'kuery':
      case 'lucene': {
        const q = compileQuery(language === 'kuery' ? parseKql(query) : parseLucene(query), { mapping, fieldTypes: ECS_FIELD_TYPES });
        return (events) => ({ hits: events.flatMap((ev, i) => (q.matches(ev) ? [[i]] : [])), cut: false });
      }
    }
  } catch (e) {
    if (e instanceof Error && !(e instanceof HarnessError)) throw asDiagnostic(e, language);
    throw e;
  }
}
