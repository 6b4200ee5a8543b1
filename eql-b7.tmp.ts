import { benchData } from './harness/bench/corpus.ts';
import { compileEql } from './harness/engines/eql/index.ts';
const d = benchData('eql_rules');
const cats = d.queries.map((q) => /^\s*(\w+)\s+where/.exec(q)![1]!);
const qs = cats.map((c) => compileEql(`${c} where false`));
const full = d.queries.map((q) => compileEql(q));
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
for (let rep = 0; rep < 5; rep++) {
  let t0 = cpu();
  let n = 0;
  for (const e of d.events) for (const q of qs) if (q.matches(e)) n++;
  let dt = cpu() - t0;
  const a = ((qs.length * d.events.length) / dt / 1000).toFixed(1);
  t0 = cpu();
  for (const e of d.events) for (const q of full) if (q.matches(e)) n++;
  dt = cpu() - t0;
  console.log('cpu-time: cat-only', a, 'full', ((qs.length * d.events.length) / dt / 1000).toFixed(1), 'M/s', n);
}
