import { benchData } from './harness/bench/corpus.ts';
import { compileEql } from './harness/engines/eql/index.ts';
import { readStats } from './harness/engines/eql/field-access.ts';
const d = benchData('eql_rules');
const qs = d.queries.map((q) => compileEql(q));
readStats.raw = 0;
for (const e of d.events) for (const q of qs) q.matches(e);
console.log('raw reads per event', readStats.raw / d.events.length);
