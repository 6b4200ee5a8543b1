import type { Expr } from '../engines/esql/ast.ts';
import type { Assignment } from './esql-assignment.ts';
import { MAX_CANDIDATES } from './esql-assignment.ts';
import { walk } from './esql-plant.ts';
import type { Defs } from './esql-defs.ts';
import { regexSamples } from './esql-want-samples.ts';

/**
 * Candidates for a condition no backwards reading reaches (arithmetic over
 * LENGTH / REPLACE counts: `count::double / length::double > 0.5`): the source
 * texts it reads, through the EVAL chain, given more and more matches of the
 * patterns its REPLACE calls count — appended to the current text or alone.
 * The caller keeps whichever the engine then passes; nothing here decides.
 */
const REPEATS = [1, 10, 100, 1000, 4000];

interface Reads {
  readonly fields: Set<string>;
  readonly patterns: Set<string>;
}

function collect(e: Expr, defs: Defs, out: Reads, seen: Set<string>): void {
  for (const x of walk(e)) {
    if (x.type === 'field') {
      const d = defs.get(x.name);
      if (d === undefined) out.fields.add(x.name);
      else if (d !== 'opaque' && 'expr' in d && !seen.has(x.name)) {
        seen.add(x.name);
        collect(d.expr, d.env, out, seen);
      }
    }
    if (x.type === 'call' && x.name.toUpperCase() === 'REPLACE') {
      const re = x.args[1];
      if (re?.type === 'literal' && re.literal.kind === 'string') out.patterns.add(re.literal.value);
    }
  }
}

export function sampledTexts(e: Expr, defs: Defs, current: (field: string) => unknown, seed = 1): Assignment[] {
  const reads: Reads = { fields: new Set(), patterns: new Set() };
  collect(e, defs, reads, new Set());
  const samples = [...reads.patterns].flatMap((p) => regexSamples(p, seed).slice(0, 1));
  const out: Assignment[] = [];
  for (const f of reads.fields) {
    const cur = current(f);
    if (cur !== undefined && typeof cur !== 'string') continue;
    for (const s of samples)
      for (const n of REPEATS) {
        const more = s.repeat(n);
        out.push(new Map([[f, cur ? `${cur} ${more}` : more]]), new Map([[f, more]]));
      }
  }
  return out.slice(0, MAX_CANDIDATES * 2);
}
