import { benchData } from './harness/bench/corpus.ts';
const d = benchData('eql_rules');
const cats = d.queries.map((q) => /^\s*(\w+)\s+where/.exec(q)![1]!);
for (let rep = 0; rep < 3; rep++) {
  let n = 0;
  const t0 = performance.now();
  for (const e of d.events as any[]) for (const c of cats) { const v = e.event.category; if (v === c) n++; }
  const dt = performance.now() - t0;
  console.log('inline', ((cats.length * d.events.length) / dt / 1000).toFixed(1), 'M/s', n);
}
// shapes
const shapes = new Set(d.events.map((e) => Object.keys(e).join(',')));
const evShapes = new Set(d.events.map((e: any) => Object.keys(e.event).join(',')));
console.log('top shapes', shapes.size, 'event shapes', evShapes.size);
