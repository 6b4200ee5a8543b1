/**
 * Child process entry: run one workload (warm-up, then N timed runs) and print
 * one JSON line. Each workload runs in its own process so its peak RSS is its own.
 * A workload that throws (its engine does not import, its data is absent) still
 * prints a report, `ok: false` with the error as the note, so the table goes on.
 */
import { WORKLOADS, type RunResult } from './workloads.ts';

export interface WorkloadReport {
  readonly name: string;
  readonly unit: string;
  readonly times_s: number[];
  readonly units: number;
  readonly ok: boolean;
  readonly note?: string;
  readonly peak_rss_mb: number;
}

const peakRssMb = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

/**
 * Collect between runs (main.ts starts this process with --expose-gc), untimed: each run
 * then starts from a clean heap, so one run's garbage neither slows the next nor adds to
 * the peak RSS reported as the workload's own.
 */
const collect = (globalThis as { gc?: () => void }).gc ?? (() => {});

async function measure(name: string, runsArg: string | undefined): Promise<WorkloadReport> {
  const w = WORKLOADS.find((x) => x.name === name);
  if (!w) return { name, unit: '', times_s: [], units: 0, ok: false, note: `unknown workload '${name}'`, peak_rss_mb: peakRssMb() };
  const runs = w.runs ?? Number(runsArg ?? 5);
  const times: number[] = [];
  let last: RunResult = { units: 0, ok: false };
  try {
    const run = await w.prepare();
    if ((w.runs ?? 2) > 1) await run(); // warm-up: JIT and caches, not measured
    for (let i = 0; i < runs; i++) {
      collect();
      const t0 = process.hrtime.bigint();
      last = await run();
      times.push(Number(process.hrtime.bigint() - t0) / 1e9);
    }
  } catch (e) {
    const message = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    return { name: w.name, unit: w.unit, times_s: times, units: last.units, ok: false, note: `failed: ${message}`, peak_rss_mb: peakRssMb() };
  }
  return { name: w.name, unit: w.unit, times_s: times, units: last.units, ok: last.ok, ...(last.note ? { note: last.note } : {}), peak_rss_mb: peakRssMb() };
}

const [name, runsArg] = process.argv.slice(2);
const report = await measure(name ?? '', runsArg);
process.stdout.write(`${JSON.stringify(report)}\n`);
