import { benchData } from './harness/bench/corpus.ts';
import { compileEql } from './harness/engines/eql/index.ts';
import { fieldRead } from './harness/engines/eql/field-access.ts';
const d = benchData('eql_rules');
const cats = d.queries.map((q) => /^\s*(\w+)\s+where/.exec(q)![1]!);
const r = fieldRead('event.category');
for (let rep = 0; rep < 3; rep++) {
  let n = 0;
  const t0 = performance.now();
  for (const e of d.events) for (const c of cats) { const v = r(e); if (v === c) n++; }
  const dt = performance.now() - t0;
  console.log('cat only', ((cats.length * d.events.length) / dt / 1000).toFixed(1), 'M/s', n);
}
const qs = d.queries.map((q) => compileEql(q));
for (let rep = 0; rep < 3; rep++) {
  const t0 = performance.now();
  let n = 0;
  for (const e of d.events) for (const q of qs) if (q.matches(e)) n++;
  const dt = performance.now() - t0;
  console.log('full', ((qs.length * d.events.length) / dt / 1000).toFixed(1), 'M/s', n);
}
// per query time
const per = qs.map((q) => { const t0 = performance.now(); for (const e of d.events) q.matches(e); return performance.now() - t0; });
per.map((t, i) => [i, t] as const).sort((a, b) => b[1] - a[1]).slice(0, 12).forEach(([i, t]) => console.log(i, t.toFixed(1), 'ms', d.queries[i]!.slice(0, 100).replace(/\n/g, ' ')));
