/**
 * Child process entry: run one workload (warm-up, then N timed runs) and print
 * one JSON line. Each workload runs in its own process so its peak RSS is its own.
 */
import { WORKLOADS } from './workloads.ts';

export interface WorkloadReport {
  readonly name: string;
  readonly unit: string;
  readonly times_s: number[];
  readonly units: number;
  readonly ok: boolean;
  readonly note?: string;
  readonly peak_rss_mb: number;
}

const [name, runsArg] = process.argv.slice(2);
const w = WORKLOADS.find((x) => x.name === name);
if (!w) {
  console.error(`unknown workload '${name}'`);
  process.exit(2);
}
const runs = w.runs ?? Number(runsArg ?? 5);
const run = w.prepare();
if ((w.runs ?? 2) > 1) run(); // warm-up: JIT and caches, not measured
const times: number[] = [];
let last = run();
for (let i = 0; i < runs; i++) {
  const t0 = process.hrtime.bigint();
  last = run();
  times.push(Number(process.hrtime.bigint() - t0) / 1e9);
}
const report: WorkloadReport = {
  name: w.name,
  unit: w.unit,
  times_s: times,
  units: last.units,
  ok: last.ok,
  ...(last.note ? { note: last.note } : {}),
  peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
};
process.stdout.write(`${JSON.stringify(report)}\n`);
