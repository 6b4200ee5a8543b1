import { benchData } from './harness/bench/corpus.ts';
import { compileEql } from './harness/engines/eql/index.ts';
const d = benchData('eql_rules');
const qs = d.queries.map((q) => compileEql(q));
for (let rep = 0; rep < 5; rep++) {
  const t0 = performance.now();
  let n = 0;
  for (const e of d.events) for (const q of qs) if (q.matches(e)) n++;
  const dt = performance.now() - t0;
  console.log('full', ((qs.length * d.events.length) / dt / 1000).toFixed(1), 'M/s', n);
}
