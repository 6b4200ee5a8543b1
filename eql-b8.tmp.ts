import { benchData } from './harness/bench/corpus.ts';
import { fieldRead } from './harness/engines/eql/field-access.ts';
import { compileEql } from './harness/engines/eql/index.ts';
const d = benchData('eql_rules');
const cats = d.queries.map((q) => /^\s*(\w+)\s+where/.exec(q)![1]!);
const read = fieldRead('event.category');
const mk = (cat: string) => (e: unknown) => { const v = read(e); if (v !== cat && !(Array.isArray(v) && v.includes(cat))) return false; return false; };
const qs = cats.map(mk);
const qs2 = cats.map((c) => compileEql(`${c} where false`));
const ms = qs2.map((q) => q.matches);
for (let r = 0; r < 4; r++) {
  let t0 = performance.now(); let n = 0;
  for (const e of d.events) for (const q of qs) if (q(e)) n++;
  let dt = performance.now() - t0;
  const a = (5e6 / dt / 1000).toFixed(1);
  t0 = performance.now();
  for (const e of d.events) for (const q of ms) if (q(e)) n++;
  dt = performance.now() - t0;
  console.log('direct', a, 'matches-fn', (5e6 / dt / 1000).toFixed(1));
}
