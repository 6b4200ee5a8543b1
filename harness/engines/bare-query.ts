import { HarnessError } from '../core/diagnostics.ts';
import type { Event } from '../core/event.ts';
import { compileEql, type EqlOptions } from './eql/index.ts';
import { compileKql } from './kql/index.ts';
import { compileLucene } from './lucene/index.ts';

export const QUERY_LANGUAGES = ['eql', 'kuery', 'lucene'] as const;
export type QueryLanguage = (typeof QUERY_LANGUAGES)[number];

/** Results of a bare query: the event indices of each hit (one per event, or one per sequence). */
export type QueryRun = (events: readonly Event[]) => number[][];

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

/** Compile one bare query of the given language (the `match --language` contract). */
export function compileBareQuery(language: QueryLanguage, query: string, eql: EqlOptions = {}): QueryRun {
  try {
    switch (language) {
      case 'eql': {
        const q = compileEql(query, eql);
        return (events) => q.run(events).map((r) => [...r.events]);
      }
      case 'kuery':
      case 'lucene': {
        const q = language === 'kuery' ? compileKql(query) : compileLucene(query);
        return (events) => events.flatMap((ev, i) => (q.matches(ev) ? [[i]] : []));
      }
    }
  } catch (e) {
    if (e instanceof Error && !(e instanceof HarnessError)) throw asDiagnostic(e, language);
    throw e;
  }
}
