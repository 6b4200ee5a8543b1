import { HarnessError } from '../core/diagnostics.ts';
import type { Event } from '../core/event.ts';
import { compileEql, EQL_DEFAULT_SIZE, type EqlOptions } from './eql/index.ts';
import { compileQuery, parseKql } from './kql/index.ts';
import { parseLucene } from './lucene/index.ts';
import { ecsMapping, type IndexMapping } from '../mapping/index.ts';
import { ECS_FIELD_TYPES } from './elastic/ecs-field-types.ts';

export const QUERY_LANGUAGES = ['eql', 'kuery', 'lucene'] as const;
export type QueryLanguage = (typeof QUERY_LANGUAGES)[number];

/**
 * A bare query over events as they arrive: `push` returns the hits it can give at
 * once (KQL / Lucene: this event, if it matches); `finish` the rest (EQL, whose
 * results are ordered by time and cut at a size, over the events it retained),
 * with `cut` when an EQL query found more than its `size`.
 * Each hit is the input positions of its events.
 */
export interface QueryStream {
  push(event: Event, position: number): number[][];
  finish(): { readonly hits: number[][]; readonly cut: boolean };
}

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
 * contract), its fields typed by `mapping` (default: ECS); each call of the
 * result starts a stream.
 */
export function compileBareQuery(language: QueryLanguage, query: string, eql: EqlOptions = {}, mapping: IndexMapping = ecsMapping()): () => QueryStream {
  try {
    switch (language) {
      case 'eql': {
        const size = eql.size ?? EQL_DEFAULT_SIZE;
        // One result more than the size tells whether results were cut, without counting them all.
        const q = compileEql(query, { ...eql, size: size + 1, mapping });
        return () => {
          const kept: Event[] = [];
          const positions: number[] = [];
          return {
            push: (e, i) => {
              if (q.retains(e)) {
                kept.push(e);
                positions.push(i);
              }
              return [];
            },
            finish: () => {
              const all = q.run(kept).map((r) => r.events.map((k) => positions[k]!));
              const cut = all.length > size;
              return { hits: !cut ? all : q.keepsLast ? all.slice(all.length - size) : all.slice(0, size), cut };
            },
          };
        };
      }
      case 'kuery':
      case 'lucene': {
        const q = compileQuery(language === 'kuery' ? parseKql(query) : parseLucene(query), { mapping, fieldTypes: ECS_FIELD_TYPES });
        return () => ({ push: (e, i) => (q.matches(e) ? [[i]] : []), finish: () => ({ hits: [], cut: false }) });
      }
    }
  } catch (e) {
    if (e instanceof Error && !(e instanceof HarnessError)) throw asDiagnostic(e, language);
    throw e;
  }
}
