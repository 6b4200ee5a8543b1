import { elasticQueries } from './harness/bench/corpus.ts';
import { compileEql } from './harness/engines/eql/index.ts';
const qs = elasticQueries('eql');
let ok = 0;
const t0 = performance.now();
const errs: string[] = [];
for (const q of qs) { try { compileEql(q.query); ok++; } catch (e) { errs.push(`${q.file}: ${(e as Error).message}`); } }
const dt = performance.now() - t0;
console.log(ok, '/', qs.length, dt.toFixed(0), 'ms');
const t1 = performance.now(); for (const q of qs) { try { compileEql(q.query); } catch {} } console.log('second pass', (performance.now() - t1).toFixed(0), 'ms');
console.log(errs.slice(0, 30).join('\n'));
