import { benchData } from './harness/bench/corpus.ts';
const d = benchData('eql_rules');
const cats = new Map<string, number>();
for (const e of d.events) { const c = (e as any).event?.category; cats.set(c, (cats.get(c) ?? 0) + 1); }
console.log([...cats].sort((a,b)=>b[1]-a[1]).slice(0,15));
console.log(JSON.stringify(d.events[0]));
console.log(JSON.stringify(d.events[1]));
