import { HarnessError } from '../core/diagnostics.ts';
import type { Event } from '../core/event.ts';
import { compileEql, type EqlOptions } from './eql/index.ts';
import { compileKql } from './kql/index.ts';
import { compileLucene } from './lucene/index.ts';

export const QUERY_LANGUAGES = ['eql', 'kuery', 'lucene'] as const;
export type QueryLanguage = (typeof QUERY_LANGUAGES)[number];

/**
 * A bare query over events as they arrive: `push` returns the hits it can give at
 * once (KQL / Lucene: this event, if it matches); `finish` the rest (EQL, whose
 * results are ordered by time and cut at a size, over the events it retained).
 * Each hit is the input positions of its events.
 */
export interface QueryStream {
  push(event: Event, position: number): number[][];
  finish(): number[][];
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

/** Compile one bare query of the given language (the `match --language` contract); each call of the result starts a stream. */
export function compileBareQuery(language: QueryLanguage, query: string, eql: EqlOptions = {}): () => QueryStream {
  try {
    switch (language) {
      case 'eql': {
        const q = compileEql(query, eql);
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
            finish: () => q.run(kept).map((r) => r.events.map((k) => positions[k]!)),
          };
        };
      }
      case 'kuery':
      case 'lucene': {
        const q = language === 'kuery' ? compileKql(query) : compileLucene(query);
        return () => ({ push: (e, i) => (q.matches(e) ? [[i]] : []), finish: () => [] });
      }
    }
  } catch (e) {
    if (e instanceof Error && !(e instanceof HarnessError)) throw asDiagnostic(e, language);
    throw e;
  }
}
