import type { Command, Expr } from '../engines/esql/ast.ts';
import { extractedKeys } from './esql-want-extract.ts';

/**
 * What a column name stands for at one point of the pipeline: its EVAL
 * expression (in the names of that point), a key a GROK / DISSECT extracts from
 * its input, or a value the query derives opaquely (COMPLETION, STATS outputs).
 */
export type Def = { readonly expr: Expr; readonly env: Defs } | { readonly extract: Extract<Command, { command: 'grok' | 'dissect' }>; readonly env: Defs } | 'opaque';
export type Defs = ReadonlyMap<string, Def>;

/** The columns defined before command `k` (EVAL, RENAME, GROK / DISSECT keys, INLINE STATS outputs). */
export function definitionsBefore(commands: readonly Command[], k: number): Defs {
  const defs = new Map<string, Def>();
  for (const c of commands.slice(0, k)) {
    switch (c.command) {
      case 'eval':
        for (const f of c.fields) defs.set(f.name, { expr: f.expr, env: new Map(defs) });
        break;
      case 'rename':
        for (const r of c.renames) {
          const d = defs.get(r.from.pattern) ?? { expr: { type: 'field', name: r.from.pattern, start: r.from.start, end: r.from.end } as Expr, env: new Map() };
          defs.delete(r.from.pattern);
          defs.set(r.to.pattern, d);
        }
        break;
      case 'dissect':
      case 'grok': {
        const env = new Map(defs);
        for (const key of extractedKeys(c)) defs.set(key, { extract: c, env });
        break;
      }
      case 'completion':
        defs.set(c.target, 'opaque');
        break;
      case 'stats':
        for (const f of [...c.aggregates, ...c.groups]) defs.set(f.name, 'opaque');
        break;
      default:
        break;
    }
  }
  return defs;
}
