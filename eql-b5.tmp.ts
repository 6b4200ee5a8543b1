import { benchData } from './harness/bench/corpus.ts';
import { compileEql } from './harness/engines/eql/index.ts';
const d = benchData('eql_rules');
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const qs = d.queries.map((q) => { const c = compileEql(q); return (e: any) => c.matches(e); });
const cats = d.queries.map((q) => /^\s*(\w+)\s+where/.exec(q)![1]!);
const qc = cats.map((c) => { const x = compileEql(`${c} where false`); return (e: any) => x.matches(e); });
for (let rep = 0; rep < 5; rep++) {
  for (const [name, set] of [['full', qs], ['cat-only', qc]] as const) {
    const t0 = cpu(); const w0 = performance.now();
    const counts = set.map((m) => { let n = 0; for (const e of d.events) if (m(e)) n++; return n; });
    const dt = cpu() - t0; const wt = performance.now() - w0;
    console.log(name, 'cpu', (5e6 / dt / 1000).toFixed(1), 'wall', (5e6 / wt / 1000).toFixed(1), 'M/s', counts.reduce((a, b) => a + b));
  }
}
