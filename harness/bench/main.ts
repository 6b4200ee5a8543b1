/**
 * `npm run bench [-- <workload> … ] [--runs N]`: run each workload in its own
 * processes (one timing it, one measuring its peak memory: run-workload.ts),
 * print a table, write reports/bench.json atomically as
 * {"workloads": [{name, median_s, throughput, unit, peak_rss_mb, ok}]}.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.ts';
import type { Mode, WorkloadReport } from './run-workload.ts';
import { WORKLOADS, type Workload } from './workloads.ts';

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(`Usage: npm run bench [-- <workload> ...] [--runs N]\n\nWorkloads: ${WORKLOADS.map((w) => w.name).join(', ')}\nWrites reports/bench.json.`);
  process.exit(0);
}
/** Bad arguments: say what is wrong and stop (exit 2), before any workload runs. */
function usageError(message: string): never {
  console.error(`npm run bench: ${message}\nWorkloads: ${WORKLOADS.map((w) => w.name).join(', ')}`);
  process.exit(2);
}
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 5;
if (!Number.isInteger(runs) || runs < 1) usageError(`--runs needs a whole number of runs, got '${args[runsAt + 1] ?? ''}'`);
const options = args.filter((a) => a.startsWith('-') && a !== '--runs');
if (options.length) usageError(`unknown option '${options[0]}'`);
const names = args.filter((a, i) => !a.startsWith('-') && (runsAt < 0 || i !== runsAt + 1));
const unknown = names.filter((n) => !WORKLOADS.some((w) => w.name === n));
if (unknown.length) usageError(`unknown workload '${unknown[0]}'`);
const chosen = names.length ? WORKLOADS.filter((w) => names.includes(w.name)) : WORKLOADS;

const median = (xs: number[]) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** One child process running workload `w` in `mode` (run-workload.ts): its report, or a failed one saying why there is none. */
function runChild(w: Workload, mode: Mode): WorkloadReport {
  const flags = mode === 'memory' ? ['--expose-gc'] : [];
  const child = spawnSync(process.execPath, [...flags, '--import', 'tsx', join(import.meta.dirname, 'run-workload.ts'), w.name, String(runs), mode], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const line = child.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as WorkloadReport;
  } catch {
    // The child died before reporting (out of memory, a crash): keep its last words.
    const why = (child.stderr || child.error?.message || 'no result').trim().split('\n').filter((l) => l.trim() !== '').slice(-3).join(' ');
    return { name: w.name, unit: w.unit, times_s: [], units: 0, ok: false, note: `exit ${child.status ?? child.signal}: ${why}`, peak_rss_mb: 0 };
  }
}

const rows: { name: string; median_s: number; throughput: number; unit: string; peak_rss_mb: number; ok: boolean; note?: string }[] = [];
for (const w of chosen) {
  process.stderr.write(`running ${w.name} …\n`);
  const r = runChild(w, 'time');
  // A workload run once (npm test) is its own memory run; one that timed nothing has no memory run either.
  const mem = w.runs === 1 || r.times_s.length === 0 ? r : runChild(w, 'memory');
  const m = median(r.times_s);
  const note = [r.note, mem === r || mem.ok ? undefined : `memory run: ${mem.note ?? 'failed'}`].filter(Boolean).join('; ');
  rows.push({ name: w.name, median_s: m, throughput: Number.isFinite(m) && m > 0 ? r.units / m : 0, unit: w.unit, peak_rss_mb: mem.peak_rss_mb, ok: r.ok && mem.ok, ...(note ? { note } : {}) });
}

const fmt = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : n.toFixed(2));
console.log(`${'workload'.padEnd(20)} ${'median s'.padStart(9)} ${'throughput'.padStart(16)} ${'peak MB'.padStart(8)}  ok`);
for (const r of rows) console.log(`${r.name.padEnd(20)} ${r.median_s.toFixed(3).padStart(9)} ${`${fmt(r.throughput)} ${r.unit}`.padStart(16)} ${String(r.peak_rss_mb).padStart(8)}  ${r.ok ? 'yes' : 'NO'}${r.note ? `  (${r.note.slice(0, 120)})` : ''}`);
const base = rows.find((r) => r.name === 'crossfire-baseline');
const cross = rows.find((r) => r.name === 'crossfire');
if (base && cross) console.log(`crossfire / baseline: ${(cross.median_s / base.median_s).toFixed(1)}×`);
const floor = rows.find((r) => r.name === 'eql-eval-floor');
const eql = rows.find((r) => r.name === 'eql-eval');
if (floor && eql) console.log(`eql-eval / reading every field once: ${(eql.median_s / floor.median_s).toFixed(1)}× (the 60 M evals/s target is ${((eql.throughput * eql.median_s) / 60e6 / floor.median_s).toFixed(2)}× that read)`);
writeFileAtomic(join(import.meta.dirname, '../../reports/bench.json'), `${JSON.stringify({ workloads: rows }, null, 2)}\n`);
