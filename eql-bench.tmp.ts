import { benchData } from './harness/bench/corpus.ts';
import { compileEql } from './harness/engines/eql/index.ts';
import { readFileSync } from 'node:fs';
const d = benchData('eql_rules');
const exp = JSON.parse(readFileSync('../shared/bench/eql_rules_expected.json', 'utf8')).queries;
const count = (q: string) => { const c = compileEql(q); let n = 0; for (const e of d.events) if (c.matches(e)) n++; return n; };
const rw: Record<number, [string, string]> = { 11: ['event.type != "deletion"', '(event.type != null and event.type != "deletion")'], 35: ['event.type != "deletion"', '(event.type != null and event.type != "deletion")'], 42: ['event.type != "deletion"', '(event.type != null and event.type != "deletion")'], 18: ['user.id != "0"', '(user.id != null and user.id != "0")'] };
for (const [i, [a, b]] of Object.entries(rw)) { const q = d.queries[+i]!; console.log(i, q.includes(a), count(q.replace(a, b)), exp[+i].matches); }
