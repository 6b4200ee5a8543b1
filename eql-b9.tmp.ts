import { benchData } from './harness/bench/corpus.ts';
const d = benchData('eql_rules');
const evs = d.events as any[];
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const keys = ['event', 'host', 'process', 'file', 'user'];
function keyed(k: string) { return (o: any) => o[k]; }
const ks = keys.map(keyed);
for (let rep = 0; rep < 3; rep++) {
  let t0 = cpu(); let n = 0;
  for (const e of evs) for (const f of ks) if (f(e) !== undefined) n++;
  let dt = cpu() - t0;
  console.log('keyed', (dt * 1e6 / (evs.length * keys.length)).toFixed(1), 'ns/load');
  t0 = cpu();
  for (const e of evs) { if (e.event !== undefined) n++; if (e.host !== undefined) n++; if (e.process !== undefined) n++; if (e.file !== undefined) n++; if (e.user !== undefined) n++; }
  dt = cpu() - t0;
  console.log('named', (dt * 1e6 / (evs.length * keys.length)).toFixed(1), 'ns/load');
  t0 = cpu();
  const want = new Map(keys.map((k, i) => [k, i]));
  const slots: unknown[] = new Array(keys.length);
  for (const e of evs) { slots.fill(undefined); for (const k in e) { const i = want.get(k); if (i !== undefined) slots[i] = e[k]; } for (const s of slots) if (s !== undefined) n++; }
  dt = cpu() - t0;
  console.log('forin', (dt * 1e6 / (evs.length * keys.length)).toFixed(1), 'ns/load-equiv');
  t0 = cpu();
  for (const e of evs) { const ev = e.event; if (ev && ev.category !== undefined) n++; if (ev && ev.type !== undefined) n++; if (ev && ev.action !== undefined) n++; }
  dt = cpu() - t0;
  console.log('event.x named (3 loads + 1 root)', (dt * 1e6 / (evs.length * 3)).toFixed(1), 'ns per field');
}
