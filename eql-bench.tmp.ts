import { benchData } from './harness/bench/corpus.ts';
import { compileEql } from './harness/engines/eql/index.ts';
import { readFileSync } from 'node:fs';
const d = benchData('eql_rules');
const exp = JSON.parse(readFileSync('../shared/bench/eql_rules_expected.json', 'utf8')).queries;
const qs = d.queries.map((q) => compileEql(q));
const counts = new Array(qs.length).fill(0);
for (let rep = 0; rep < 3; rep++) {
  counts.fill(0);
  const t0 = performance.now();
  for (const e of d.events) for (let i = 0; i < qs.length; i++) if (qs[i]!.matches(e)) counts[i]++;
  const dt = performance.now() - t0;
  console.log(`${((qs.length * d.events.length) / dt / 1000).toFixed(1)}M evals/s (${dt.toFixed(0)} ms)`);
}
for (let i = 0; i < qs.length; i++) {
  const x = exp[i];
  if (counts[i] !== x.matches) console.log(i, 'got', counts[i], 'ref', x.matches, 'cs', x.matches_case_sensitive, 'notnull', x.matches_not_null_is_true, x.same_events_case_sensitive, x.same_events_not_null_is_true);
}
