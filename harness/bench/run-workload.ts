/**
 * Child process entry: run one workload and print one JSON line. Each workload
 * runs in its own processes, so its peak RSS is its own, and in two modes:
 * - `time`: a warm-up, then N timed runs back to back, as a long-lived process
 *   runs them (no forced collection between runs: a forced full GC shrinks the
 *   young generation and leaves allocation-heavy code, such as parsers, paying
 *   for many more scavenges than it does in steady state);
 * - `memory`: prepare, collect (main.ts starts this process with --expose-gc),
 *   then one run: the peak RSS of the workload's own data, with no garbage
 *   from earlier runs in it.
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

const collect = (globalThis as { gc?: () => void }).gc ?? (() => {});

export type Mode = 'time' | 'memory';

async function measure(name: string, runsArg: string | undefined, mode: Mode): Promise<WorkloadReport> {
  const w = WORKLOADS.find((x) => x.name === name);
  if (!w) return { name, unit: '', times_s: [], units: 0, ok: false, note: `unknown workload '${name}'`, peak_rss_mb: peakRssMb() };
  const runs = mode === 'memory' ? 1 : (w.runs ?? Number(runsArg ?? 5));
  const times: number[] = [];
  let last: RunResult = { units: 0, ok: false };
  try {
    const run = await w.prepare();
    if (mode === 'time' && (w.runs ?? 2) > 1) await run(); // warm-up: JIT and caches, not measured
    if (mode === 'memory') collect();
    for (let i = 0; i < runs; i++) {
      const t0 = process.hrtime.bigint();
      last = await run();
      times.push(Number(process.hrtime.bigint() - t0) / 1e9);
    }
  } catch (e) {
    const message = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    return { name: w.name, unit: w.unit, times_s: times, units: last.units, ok: false, note: `failed: ${message}`, peak_rss_mb: peakRssMb() };
  }
  return { name: w.name, unit: w.unit, times_s: times, units: last.units, ok: last.ok, ...(last.note ? { note: last.note } : {}), peak_rss_mb: Math.max(peakRssMb(), last.peakRssMb ?? 0) };
}

const [name, runsArg, modeArg] = process.argv.slice(2);
const report = await measure(name ?? '', runsArg, modeArg === 'memory' ? 'memory' : 'time');
process.stdout.write(`${JSON.stringify(report)}\n`);
